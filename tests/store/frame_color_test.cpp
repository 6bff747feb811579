// The colour conversions of the frames arrays (store/frame_color.hpp) against their references:
// RGB -> luma against the BT.601 formula and against libswscale's rgb24 -> yuv420p luma, and
// YUV -> RGB against OpenCV's COLOR_YUV2RGB_I420 for every chroma layout and bit depth.
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

extern "C" {
#include <libavutil/pixfmt.h>
#include <libswscale/swscale.h>
}

#include "core/error.hpp"
#include "store/frame_color.hpp"

namespace sw::store {
namespace {

std::vector<std::uint8_t> random_bytes(std::size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int> byte(0, 255);
  std::vector<std::uint8_t> v(n);
  for (auto& b : v) b = static_cast<std::uint8_t>(byte(rng));
  return v;
}

TEST(RgbToLuma, IsTheRoundedBt601LimitedRangeFormula) {
  // Every grey level, the primaries and a random sample: the integer formula equals
  // round(16 + (65.738 R + 129.057 G + 25.064 B) / 256) except where the exact value is within
  // the fixed point's error of a .5 tie: swscale's coefficients are the real ones rounded to
  // 1/2^15, which moves the sum by at most 255 * (0.464 + 0.296 + 0.192) / 2^15 < 0.0075.
  std::vector<std::array<int, 3>> colours;
  for (int v = 0; v < 256; ++v) colours.push_back({v, v, v});
  for (int r : {0, 255})
    for (int g : {0, 255})
      for (int b : {0, 255}) colours.push_back({r, g, b});
  const auto noise = random_bytes(3 * 20000, 1);
  for (std::size_t i = 0; i < noise.size(); i += 3) {
    colours.push_back({noise[i], noise[i + 1], noise[i + 2]});
  }
  int near_ties = 0;
  for (const auto& [r, g, b] : colours) {
    const double exact = 16 + (65.738 * r + 129.057 * g + 25.064 * b) / 256;
    const int y = rgb_to_luma(std::uint8_t(r), std::uint8_t(g), std::uint8_t(b));
    if (std::abs(exact - std::floor(exact) - 0.5) < 0.0075) {
      ++near_ties;
      EXPECT_LE(std::abs(y - exact), 0.5075) << r << " " << g << " " << b;
    } else {
      EXPECT_EQ(y, std::lround(exact)) << r << " " << g << " " << b;
    }
  }
  EXPECT_LT(near_ties, int(colours.size() / 50));  // the window is 1.5% wide
  EXPECT_EQ(rgb_to_luma(0, 0, 0), 16);
  EXPECT_EQ(rgb_to_luma(255, 255, 255), 235);
}

// swscale's luma for packed RGB pixels, converted to yuv420p at the same size.
std::vector<std::uint8_t> swscale_luma(const std::vector<std::uint8_t>& rgb, int w, int h,
                                       int flags) {
  SwsContext* sws = sws_getContext(w, h, AV_PIX_FMT_RGB24, w, h, AV_PIX_FMT_YUV420P, flags, nullptr,
                                   nullptr, nullptr);
  EXPECT_NE(sws, nullptr);
  std::vector<std::uint8_t> y(static_cast<std::size_t>(w) * h), u(w * h / 4), v(w * h / 4);
  const std::uint8_t* src[4] = {rgb.data(), nullptr, nullptr, nullptr};
  const int src_stride[4] = {3 * w, 0, 0, 0};
  std::uint8_t* dst[4] = {y.data(), u.data(), v.data(), nullptr};
  const int dst_stride[4] = {w, w / 2, w / 2, 0};
  EXPECT_EQ(sws_scale(sws, src, src_stride, 0, h, dst, dst_stride), h);
  sws_freeContext(sws);
  return y;
}

TEST(RgbToLuma, MatchesSwscaleRgb24ToYuv420p) {
  const int w = 96, h = 64;
  const auto rgb = random_bytes(static_cast<std::size_t>(w) * h * 3, 2);
  std::vector<std::uint8_t> ours(static_cast<std::size_t>(w) * h);
  rgb_to_luma(rgb.data(), 3 * w, w, h, ours.data(), w);
  // io/frame_convert's flags, and swscale's defaults as the ffmpeg tool uses them.
  for (const int flags : {SWS_BICUBIC | SWS_ACCURATE_RND | SWS_BITEXACT, SWS_BICUBIC}) {
    SCOPED_TRACE(flags);
    const auto theirs = swscale_luma(rgb, w, h, flags);
    int equal = 0;
    for (std::size_t i = 0; i < ours.size(); ++i) {
      EXPECT_LE(std::abs(int(ours[i]) - int(theirs[i])), 1) << i;
      equal += ours[i] == theirs[i];
    }
    // Differences are rounding only, so they must be rare.
    EXPECT_GT(equal, int(ours.size() * 0.95)) << equal << " of " << ours.size() << " equal";
    std::printf("swscale flags %#x: %d of %zu luma samples equal, the rest within 1\n", flags,
                equal, ours.size());
  }
}

// A planar YUV frame over owned buffers.
struct Yuv {
  std::vector<std::uint8_t> y, u, v;
  FrameView view;
};

// Random 8-bit planes of w x h with chroma shifts sx, sy, stored in `bytes` bytes per sample
// (2: little-endian words holding the 8-bit value shifted up to `depth` bits).
Yuv make_yuv(int w, int h, int sx, int sy, int bytes, int depth, unsigned seed) {
  Yuv f;
  const int cw = (w + (1 << sx) - 1) >> sx, ch = (h + (1 << sy) - 1) >> sy;
  const auto values = random_bytes(static_cast<std::size_t>(w * h + 2 * cw * ch), seed);
  auto plane = [&](std::vector<std::uint8_t>& buf, int pw, int ph, std::size_t at, int i) {
    const int stride = pw * bytes + 5;  // padded rows, as decoders deliver them
    buf.assign(static_cast<std::size_t>(stride) * ph, 0xEE);
    for (int yy = 0; yy < ph; ++yy) {
      for (int xx = 0; xx < pw; ++xx) {
        const int v = values[at + yy * pw + xx];
        if (bytes == 1) {
          buf[yy * stride + xx] = std::uint8_t(v);
        } else {
          const int word = v << (depth - 8);
          buf[yy * stride + 2 * xx] = std::uint8_t(word & 255);
          buf[yy * stride + 2 * xx + 1] = std::uint8_t(word >> 8);
        }
      }
    }
    f.view.planes[i] = {buf.data(), stride, pw, ph, bytes};
  };
  plane(f.y, w, h, 0, 0);
  plane(f.u, cw, ch, static_cast<std::size_t>(w * h), 1);
  plane(f.v, cw, ch, static_cast<std::size_t>(w * h + cw * ch), 2);
  f.view.chroma_shift_x = sx;
  f.view.chroma_shift_y = sy;
  f.view.bit_depth = depth;
  return f;
}

// OpenCV's I420 conversion of an 8-bit 4:2:0 frame of even size, cropped to crop_w x crop_h.
std::vector<std::uint8_t> opencv_rgb(const Yuv& f, int crop_w, int crop_h) {
  const PlaneView* p = f.view.planes;
  cv::Mat i420(crop_h * 3 / 2, crop_w, CV_8UC1);
  for (int y = 0; y < crop_h; ++y) {
    for (int x = 0; x < crop_w; ++x) i420.at<std::uint8_t>(y, x) = p[0].data[y * p[0].stride + x];
  }
  std::uint8_t* c = i420.ptr<std::uint8_t>(crop_h);
  for (int i = 1; i < 3; ++i) {
    for (int y = 0; y < crop_h / 2; ++y) {
      for (int x = 0; x < crop_w / 2; ++x) *c++ = p[i].data[y * p[i].stride + x];
    }
  }
  cv::Mat rgb;
  cv::cvtColor(i420, rgb, cv::COLOR_YUV2RGB_I420);
  return {rgb.data, rgb.data + rgb.total() * 3};
}

TEST(YuvToRgb, Yuv420p8BitIsOpenCvI420) {
  const Yuv f = make_yuv(32, 18, 1, 1, 1, 8, 3);
  std::vector<std::uint8_t> rgb;
  yuv_to_rgb(f.view, rgb);
  EXPECT_EQ(rgb, opencv_rgb(f, 32, 18));
}

TEST(YuvToRgb, TheGenericPathEqualsOpenCvOn420) {
  // 16-bit words holding the same 8-bit values (depth 8, then 10 and 12 bits shifted up) take
  // the generic path; its fixed point must give OpenCV's result exactly.
  for (const int depth : {8, 10, 12, 16}) {
    SCOPED_TRACE(depth);
    const Yuv f8 = make_yuv(32, 18, 1, 1, 1, 8, 4);
    const Yuv f16 = make_yuv(32, 18, 1, 1, 2, depth, 4);
    std::vector<std::uint8_t> rgb;
    yuv_to_rgb(f16.view, rgb);
    EXPECT_EQ(rgb, opencv_rgb(f8, 32, 18));
  }
}

TEST(YuvToRgb, OddSizesUseTheChromaSampleCoveringEachPixel) {
  // A 7x5 4:2:0 frame: its 6x4 top-left equals OpenCV on that crop (same chroma samples).
  const Yuv f = make_yuv(7, 5, 1, 1, 1, 8, 5);
  std::vector<std::uint8_t> rgb;
  yuv_to_rgb(f.view, rgb);
  ASSERT_EQ(rgb.size(), 7u * 5 * 3);
  const auto reference = opencv_rgb(f, 6, 4);
  for (int y = 0; y < 4; ++y) {
    for (int x = 0; x < 6 * 3; ++x)
      EXPECT_EQ(rgb[y * 21 + x], reference[y * 18 + x]) << y << " " << x;
  }
}

TEST(YuvToRgb, Chroma422And444FollowTheSameFormula) {
  // 4:2:2 whose chroma rows repeat in pairs, and 4:4:4 whose chroma repeats in 2x2 blocks,
  // describe the same picture as a 4:2:0 frame: all three must convert identically.
  const int w = 16, h = 10;
  const Yuv f420 = make_yuv(w, h, 1, 1, 1, 8, 6);
  Yuv f422 = make_yuv(w, h, 1, 0, 1, 8, 6);
  Yuv f444 = make_yuv(w, h, 0, 0, 1, 8, 6);
  std::copy(f420.y.begin(), f420.y.end(), f422.y.begin());
  std::copy(f420.y.begin(), f420.y.end(), f444.y.begin());
  for (int i = 1; i < 3; ++i) {
    const PlaneView& src = f420.view.planes[i];
    for (Yuv* f : {&f422, &f444}) {
      const PlaneView& dst = f->view.planes[i];
      std::vector<std::uint8_t>& out = i == 1 ? f->u : f->v;
      for (int y = 0; y < dst.height; ++y) {
        for (int x = 0; x < dst.width; ++x) {
          const int sy = f->view.chroma_shift_y ? y : y / 2;
          const int sx = f->view.chroma_shift_x ? x : x / 2;
          out[y * dst.stride + x] = src.data[sy * src.stride + sx];
        }
      }
    }
  }
  std::vector<std::uint8_t> a, b, c;
  yuv_to_rgb(f420.view, a);
  yuv_to_rgb(f422.view, b);
  yuv_to_rgb(f444.view, c);
  EXPECT_EQ(a, b);
  EXPECT_EQ(a, c);
}

TEST(YuvToRgb, RejectsFramesItCannotConvert) {
  Yuv f = make_yuv(8, 8, 1, 1, 1, 8, 7);
  f.view.planes[2] = {};
  std::vector<std::uint8_t> rgb;
  try {
    yuv_to_rgb(f.view, rgb);
    FAIL() << "a frame without a V plane must be rejected";
  } catch (const sw::Error& e) {
    EXPECT_EQ(e.problem(), "unsupported frame (expected chroma plane 2 of at least 4x4, got 0x0)");
  }
}

}  // namespace
}  // namespace sw::store
