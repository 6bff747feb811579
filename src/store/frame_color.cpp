#include "store/frame_color.hpp"

#include <algorithm>

#include <opencv2/imgproc.hpp>

#include "core/error.hpp"

namespace sw::store {
namespace {

// BT.601 limited range -> RGB in 20-bit fixed point: round(c * 2^20) of the textbook factors
// 1.164 (Y), 1.596 (V->R), -0.391 (U->G), -0.813 (V->G), 2.018 (U->B). These are the values
// OpenCV's I420 conversion uses, so this path and cv::cvtColor agree bit for bit.
constexpr int kShift = 20;
constexpr int kCY = 1220542;
constexpr int kCVR = 1673527;
constexpr int kCUG = -409993;
constexpr int kCVG = -852492;
constexpr int kCUB = 2116026;

std::uint8_t clamp8(int v) {
  return static_cast<std::uint8_t>(std::clamp(v, 0, 255));
}

// One sample of a plane at (x, y), reduced to 8 bits.
int sample8(const PlaneView& p, int x, int y, int bit_depth) {
  const std::uint8_t* row = p.data + static_cast<std::ptrdiff_t>(y) * p.stride;
  if (p.bytes_per_sample == 1) return row[x];
  const int v = row[2 * x] | (row[2 * x + 1] << 8);  // little-endian words (core/frame.hpp)
  if (bit_depth <= 8) return std::min(v, 255);
  return std::min((v + (1 << (bit_depth - 9))) >> (bit_depth - 8), 255);
}

void check_frame(const FrameView& f) {
  const PlaneView& y = f.planes[0];
  const auto fail = [](const std::string& what) {
    throw sw::Error("yuv_to_rgb", "unsupported frame (expected " + what + ")");
  };
  if (!y.data || y.width <= 0 || y.height <= 0) fail("a luma plane, got none");
  if (f.chroma_shift_x < 0 || f.chroma_shift_x > 1 || f.chroma_shift_y < 0 ||
      f.chroma_shift_y > 1) {
    fail("4:2:0, 4:2:2 or 4:4:4 chroma, got shifts " + std::to_string(f.chroma_shift_x) + "," +
         std::to_string(f.chroma_shift_y));
  }
  if (f.bit_depth < 8 || f.bit_depth > 16) {
    fail("8 to 16 bits, got " + std::to_string(f.bit_depth));
  }
  const int cw = chroma_extent(y.width, f.chroma_shift_x);
  const int ch = chroma_extent(y.height, f.chroma_shift_y);
  for (int i = 1; i < 3; ++i) {
    const PlaneView& c = f.planes[i];
    if (!c.data || c.width < cw || c.height < ch) {
      fail("chroma plane " + std::to_string(i) + " of at least " + std::to_string(cw) + "x" +
           std::to_string(ch) + ", got " + std::to_string(c.width) + "x" +
           std::to_string(c.height));
    }
  }
}

// The common case: 8-bit 4:2:0 of even size, which cvtColor takes as one I420 image (the Y
// rows, then the U rows, then the V rows, each chroma row W/2 bytes).
void i420_to_rgb(const FrameView& f, std::vector<std::uint8_t>& rgb) {
  const int w = f.planes[0].width, h = f.planes[0].height;
  cv::Mat i420(h * 3 / 2, w, CV_8UC1);
  for (int y = 0; y < h; ++y) {
    std::copy_n(f.planes[0].data + static_cast<std::ptrdiff_t>(y) * f.planes[0].stride, w,
                i420.ptr<std::uint8_t>(y));
  }
  std::uint8_t* chroma = i420.ptr<std::uint8_t>(h);
  for (int i = 1; i < 3; ++i) {
    for (int y = 0; y < h / 2; ++y) {
      std::copy_n(f.planes[i].data + static_cast<std::ptrdiff_t>(y) * f.planes[i].stride, w / 2,
                  chroma);
      chroma += w / 2;
    }
  }
  cv::Mat out(h, w, CV_8UC3, rgb.data());
  cv::cvtColor(i420, out, cv::COLOR_YUV2RGB_I420);
}

void generic_to_rgb(const FrameView& f, std::vector<std::uint8_t>& rgb) {
  const int w = f.planes[0].width, h = f.planes[0].height;
  for (int y = 0; y < h; ++y) {
    std::uint8_t* out = rgb.data() + static_cast<std::size_t>(y) * w * 3;
    const int cy = y >> f.chroma_shift_y;
    for (int x = 0; x < w; ++x) {
      const int cx = x >> f.chroma_shift_x;
      const int u = sample8(f.planes[1], cx, cy, f.bit_depth) - 128;
      const int v = sample8(f.planes[2], cx, cy, f.bit_depth) - 128;
      const int luma = std::max(0, sample8(f.planes[0], x, y, f.bit_depth) - 16) * kCY;
      const int round = 1 << (kShift - 1);
      out[3 * x + 0] = clamp8((luma + round + kCVR * v) >> kShift);
      out[3 * x + 1] = clamp8((luma + round + kCVG * v + kCUG * u) >> kShift);
      out[3 * x + 2] = clamp8((luma + round + kCUB * u) >> kShift);
    }
  }
}

}  // namespace

void rgb_to_luma(const std::uint8_t* rgb, std::size_t rgb_stride, int width, int height,
                 std::uint8_t* luma, std::size_t luma_stride) {
  for (int y = 0; y < height; ++y) {
    const std::uint8_t* in = rgb + y * rgb_stride;
    std::uint8_t* out = luma + y * luma_stride;
    for (int x = 0; x < width; ++x) out[x] = rgb_to_luma(in[3 * x], in[3 * x + 1], in[3 * x + 2]);
  }
}

void yuv_to_rgb(const FrameView& frame, std::vector<std::uint8_t>& rgb) {
  check_frame(frame);
  const int w = frame.planes[0].width, h = frame.planes[0].height;
  rgb.resize(static_cast<std::size_t>(w) * h * 3);
  const bool i420 = frame.bit_depth == 8 && frame.planes[0].bytes_per_sample == 1 &&
                    frame.chroma_shift_x == 1 && frame.chroma_shift_y == 1 && w % 2 == 0 &&
                    h % 2 == 0;
  if (i420) {
    i420_to_rgb(frame, rgb);
  } else {
    generic_to_rgb(frame, rgb);
  }
}

}  // namespace sw::store
