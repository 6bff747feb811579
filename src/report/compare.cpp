// Side-by-side video: both decoders deliver 8-bit planar YUV with the same chroma subsampling
// (the output is encoded with the input's), so the halves are plane copies, without colour
// conversion. Encoding goes through io::SegmentEncoder, a video-only MP4 writer with the
// render pass's encoder set-up. A frame is encoded once the next one is read, so that its
// duration is the distance to the next pts (the last frame keeps the one before it).
#include "report/compare.hpp"

#include <algorithm>
#include <cstring>

#include <opencv2/imgproc.hpp>

#include "core/error.hpp"
#include "core/frame.hpp"
#include "io/segment_encoder.hpp"
#include "io/video_reader.hpp"

namespace sw::report {

namespace {

// Copies `src` (at least width x height) into `dst` from column x0 on.
void copy_plane(const PlaneView& src, const MutablePlaneView& dst, int x0, int width, int height) {
  for (int y = 0; y < height; ++y) {
    std::memcpy(dst.data + static_cast<std::ptrdiff_t>(y) * dst.stride + x0,
                src.data + static_cast<std::ptrdiff_t>(y) * src.stride,
                static_cast<std::size_t>(width));
  }
}

// White text with a dark outline on the luma plane (chroma is left as the picture's: the
// label stays readable on any colour).
void draw_label(cv::Mat& luma, const std::string& text, int x0, int half_height) {
  const double scale = std::max(0.4, half_height / 540.0);
  const int thickness = std::max(1, static_cast<int>(scale * 2));
  const int margin = std::max(4, half_height / 40);
  int baseline = 0;
  const cv::Size size =
      cv::getTextSize(text, cv::FONT_HERSHEY_SIMPLEX, scale, thickness, &baseline);
  const cv::Point origin(x0 + margin, margin + size.height);
  cv::putText(luma, text, origin, cv::FONT_HERSHEY_SIMPLEX, scale, cv::Scalar(16),
              thickness + 2 * std::max(1, thickness / 2), cv::LINE_AA);
  cv::putText(luma, text, origin, cv::FONT_HERSHEY_SIMPLEX, scale, cv::Scalar(235), thickness,
              cv::LINE_AA);
}

}  // namespace

CompareOutcome write_compare(const std::string& input, const std::string& output,
                             const std::string& compare, const io::EncodeOptions& encode,
                             int decoder_threads) {
  io::ReaderOptions ro;
  ro.decoder_threads = decoder_threads;
  ro.convert_to_8bit_yuv = true;
  io::VideoReader in(input, ro), out(output, ro);
  const io::VideoStreamParams op = out.stream_params();
  const io::VideoStreamParams ip = in.stream_params();
  const int w = op.width, h = op.height;
  if (ip.width < w || ip.height < h || ip.chroma_shift_x != op.chroma_shift_x ||
      ip.chroma_shift_y != op.chroma_shift_y) {
    throw Error(output, "expected the stabilized output of " + input +
                            " (same size and chroma "
                            "format, at most cut to even), got another video");
  }
  io::VideoStreamParams params = op;
  params.width = 2 * w;
  io::SegmentEncoder encoder(compare, encode, params);

  CompareOutcome outcome;
  FrameView a, b;
  bool pending = false;
  std::int64_t pending_pts = 0;
  while (in.next(a) && out.next(b)) {
    if (pending) encoder.encode(pending_pts, b.pts - pending_pts);
    MutableFrameView& f = encoder.begin_frame();
    for (int p = 0; p < 3; ++p) {
      const int pw = p == 0 ? w : chroma_extent(w, op.chroma_shift_x);
      const int ph = p == 0 ? h : chroma_extent(h, op.chroma_shift_y);
      copy_plane(a.planes[p], f.planes[p], 0, pw, ph);
      copy_plane(b.planes[p], f.planes[p], pw, pw, ph);
    }
    cv::Mat luma(f.planes[0].height, f.planes[0].width, CV_8UC1, f.planes[0].data,
                 static_cast<std::size_t>(f.planes[0].stride));
    draw_label(luma, "input", 0, h);
    draw_label(luma, "stabilized", w, h);
    pending = true;
    pending_pts = b.pts;
    ++outcome.frames;
  }
  if (!pending) throw Error(output, "has no frames to compare");
  encoder.encode(pending_pts, 0);
  encoder.finish();
  outcome.warnings = encoder.warnings();
  return outcome;
}

}  // namespace sw::report
