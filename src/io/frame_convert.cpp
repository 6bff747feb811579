#include "io/frame_convert.hpp"

#include "io/pixel_format.hpp"

extern "C" {
#include <libavutil/pixdesc.h>
}

namespace sw::io {
namespace {

// Planar YUV without alpha, little-endian, one component per plane, 4:2:0/4:2:2/4:4:4, at a
// depth FrameView can carry as is.
bool deliverable_as_is(AVPixelFormat fmt, bool force_8bit) {
  const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(fmt);
  if (!d || d->nb_components != 3) return false;
  const auto bad_flags = AV_PIX_FMT_FLAG_RGB | AV_PIX_FMT_FLAG_BE | AV_PIX_FMT_FLAG_HWACCEL |
                         AV_PIX_FMT_FLAG_PAL | AV_PIX_FMT_FLAG_BITSTREAM | AV_PIX_FMT_FLAG_FLOAT;
  if ((d->flags & bad_flags) || !(d->flags & AV_PIX_FMT_FLAG_PLANAR)) return false;
  const int depth = d->comp[0].depth;
  if (!(depth == 8 || (!force_8bit && (depth == 10 || depth == 12)))) return false;
  for (int c = 0; c < 3; ++c) {
    const AVComponentDescriptor& comp = d->comp[c];
    if (comp.plane != c || comp.shift != 0 || comp.offset != 0 || comp.depth != depth ||
        comp.step != (depth > 8 ? 2 : 1))
      return false;
  }
  const int sx = d->log2_chroma_w, sy = d->log2_chroma_h;
  return (sx == 0 && sy == 0) || (sx == 1 && sy == 0) || (sx == 1 && sy == 1);
}

// The 8-bit planar YUV format that keeps as much of `fmt`'s chroma as we can deliver.
AVPixelFormat eight_bit_yuv_for(AVPixelFormat fmt) {
  const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(fmt);
  if (!d || (d->flags & AV_PIX_FMT_FLAG_RGB) || d->nb_components < 3) return AV_PIX_FMT_YUV420P;
  if (d->log2_chroma_w == 0) return AV_PIX_FMT_YUV444P;  // 4:4:4 and 4:4:0
  if (d->log2_chroma_h == 0 && d->log2_chroma_w == 1) return AV_PIX_FMT_YUV422P;
  return AV_PIX_FMT_YUV420P;  // 4:2:0, and 4:1:1/4:1:0 (more chroma than they had)
}

bool is_full_range(const AVFrame& f) {
  switch (f.format) {
    case AV_PIX_FMT_YUVJ420P:
    case AV_PIX_FMT_YUVJ422P:
    case AV_PIX_FMT_YUVJ444P:
    case AV_PIX_FMT_YUVJ440P:
    case AV_PIX_FMT_YUVJ411P:
      return true;
    default:
      return f.color_range == AVCOL_RANGE_JPEG;
  }
}

}  // namespace

bool known_pixel_format(const std::string& name) {
  return av_get_pix_fmt(name.c_str()) != AV_PIX_FMT_NONE;
}

AVPixelFormat yuv_for_shifts(int shift_x, int shift_y, int bit_depth) {
  const bool s444 = shift_x == 0 && shift_y == 0, s422 = shift_x == 1 && shift_y == 0;
  if (bit_depth == 10)
    return s444 ? AV_PIX_FMT_YUV444P10LE : s422 ? AV_PIX_FMT_YUV422P10LE : AV_PIX_FMT_YUV420P10LE;
  if (bit_depth == 12)
    return s444 ? AV_PIX_FMT_YUV444P12LE : s422 ? AV_PIX_FMT_YUV422P12LE : AV_PIX_FMT_YUV420P12LE;
  return s444 ? AV_PIX_FMT_YUV444P : s422 ? AV_PIX_FMT_YUV422P : AV_PIX_FMT_YUV420P;
}

void FrameConverter::configure(const AVFrame& first) {
  source_format_ = static_cast<AVPixelFormat>(first.format);
  width_ = first.width;
  height_ = first.height;
  const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(source_format_);
  from_rgb_ = d && ((d->flags & AV_PIX_FMT_FLAG_RGB) || d->nb_components < 3);
  format_ = deliverable_as_is(source_format_, force_8bit_) ? source_format_
                                                           : eight_bit_yuv_for(source_format_);
}

const AVFrame& FrameConverter::convert(const AVFrame& src) {
  const auto src_fmt = static_cast<AVPixelFormat>(src.format);
  if (!converted_) {
    converted_ = make_frame();
    converted_->format = format_;
    converted_->width = width_;
    converted_->height = height_;
    if (av_frame_get_buffer(converted_.get(), 0) < 0) throw Error(path_, "out of memory (frame)");
  }
  // BITEXACT + ACCURATE_RND: the same pixels whatever SIMD the machine has.
  // sws_getCachedContext returns the same context or frees it and makes a new one.
  sws_.reset(sws_getCachedContext(sws_.release(), src.width, src.height, src_fmt, width_, height_,
                                  format_, SWS_BICUBIC | SWS_ACCURATE_RND | SWS_BITEXACT, nullptr,
                                  nullptr, nullptr));
  if (!sws_)
    throw Error(path_, std::string("cannot convert ") + av_get_pix_fmt_name(src_fmt) + " to " +
                           av_get_pix_fmt_name(format_));
  // Keep the range of YUV sources (a full-range GoPro clip stays full range); RGB/gray become
  // limited-range BT.601, which is what from_rgb() tells the encoder.
  const int src_range = is_full_range(src) ? 1 : 0;
  const int dst_range = from_rgb_ ? 0 : src_range;
  const int cs = (src.colorspace > 0 && src.colorspace <= 10) ? src.colorspace : SWS_CS_DEFAULT;
  sws_setColorspaceDetails(sws_.get(), sws_getCoefficients(cs), src_range,
                           sws_getCoefficients(SWS_CS_DEFAULT), dst_range, 0, 1 << 16, 1 << 16);
  if (av_frame_make_writable(converted_.get()) < 0) throw Error(path_, "out of memory (frame)");
  const int rows = sws_scale(sws_.get(), src.data, src.linesize, 0, src.height, converted_->data,
                             converted_->linesize);
  if (rows < 0) throw Error(path_, "swscale failed (" + av_error_string(rows) + ")");
  return *converted_;
}

void FrameConverter::to_view(const AVFrame& frame, FrameView& view) {
  const bool same_shape =
      frame.format == source_format_ && frame.width == width_ && frame.height == height_;
  if (!same_shape) {
    if (reshaped_++ == 0) {
      const char* name = av_get_pix_fmt_name(static_cast<AVPixelFormat>(frame.format));
      first_reshape_ = std::to_string(frame.width) + "x" + std::to_string(frame.height) + " " +
                       (name ? name : "?");
    }
  }
  const AVFrame& f = (same_shape && format_ == source_format_) ? frame : convert(frame);

  const AVPixFmtDescriptor* d = av_pix_fmt_desc_get(format_);
  view.chroma_shift_x = d->log2_chroma_w;
  view.chroma_shift_y = d->log2_chroma_h;
  view.bit_depth = d->comp[0].depth;
  for (int p = 0; p < 3; ++p) {
    PlaneView& pv = view.planes[p];
    pv.data = f.data[p];
    pv.stride = f.linesize[p];
    pv.width = p == 0 ? width_ : chroma_extent(width_, d->log2_chroma_w);
    pv.height = p == 0 ? height_ : chroma_extent(height_, d->log2_chroma_h);
    pv.bytes_per_sample = d->comp[p].step;
  }
}

}  // namespace sw::io
