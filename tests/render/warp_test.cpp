// warp_frame on small seeded YUV frames: exact copies and shifts where the arithmetic allows
// them, border fills, a round trip through a rotation, and the geometry of odd sizes.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "core/error.hpp"
#include "render/warp.hpp"

namespace sw::render {
namespace {

cv::Mat texture(int width, int height, std::uint64_t seed, int type = CV_8UC1) {
  cv::RNG rng(seed);
  cv::Mat noise(height, width, CV_32FC1);
  rng.fill(noise, cv::RNG::NORMAL, 0, 1);
  cv::GaussianBlur(noise, noise, cv::Size(), 2.5);
  cv::Mat out;
  cv::normalize(noise, out, 20, 235, cv::NORM_MINMAX, type);
  return out;
}

// Input planes and output planes of one frame, with views over both.
struct Frame {
  cv::Mat in[3];
  cv::Mat out[3];
  int shift_x = 1, shift_y = 1;
  int bit_depth = 8;

  // Textured input of the given luma size; output of (out_width, out_height), zero-filled.
  Frame(int width, int height, int out_width, int out_height, int sx = 1, int sy = 1)
      : shift_x(sx), shift_y(sy) {
    const auto chroma = [](int n, int s) { return (n + (1 << s) - 1) >> s; };
    in[0] = texture(width, height, 1);
    in[1] = texture(chroma(width, sx), chroma(height, sy), 2);
    in[2] = texture(chroma(width, sx), chroma(height, sy), 3);
    out[0] = cv::Mat::zeros(out_height, out_width, CV_8UC1);
    out[1] = cv::Mat::zeros(chroma(out_height, sy), chroma(out_width, sx), CV_8UC1);
    out[2] = out[1].clone();
  }
  Frame(int width, int height) : Frame(width, height, width, height) {}

  FrameView in_view() const {
    FrameView v;
    for (int k = 0; k < 3; ++k) {
      v.planes[k] = PlaneView{in[k].data, static_cast<int>(in[k].step[0]), in[k].cols, in[k].rows,
                              static_cast<int>(in[k].elemSize())};
    }
    v.chroma_shift_x = shift_x;
    v.chroma_shift_y = shift_y;
    v.bit_depth = bit_depth;
    return v;
  }

  MutableFrameView out_view() {
    MutableFrameView v;
    for (int k = 0; k < 3; ++k) {
      v.planes[k] = MutablePlaneView{out[k].data, static_cast<int>(out[k].step[0]), out[k].cols,
                                     out[k].rows, static_cast<int>(out[k].elemSize())};
    }
    v.chroma_shift_x = shift_x;
    v.chroma_shift_y = shift_y;
    v.bit_depth = bit_depth;
    return v;
  }

  // Makes this a 10-bit frame: input samples times 4 plus `low` (0..3 each), 16-bit output.
  void make_ten_bit(const cv::Mat (&low)[3]) {
    for (int k = 0; k < 3; ++k) {
      cv::Mat wide;
      in[k].convertTo(wide, CV_16UC1, 4.0);
      in[k] = wide + low[k];
      out[k] = cv::Mat::zeros(out[k].size(), CV_16UC1);
    }
    bit_depth = 10;
  }

  void warp(const Transform2D& t, Border border = Border::black) {
    MutableFrameView o = out_view();
    warp_frame(in_view(), t, WarpParams{border}, o);
  }
};

double max_abs_diff(const cv::Mat& a, const cv::Mat& b) {
  return cv::norm(a, b, cv::NORM_INF);
}

bool all_equal(const cv::Mat& m, int value) {
  return cv::countNonZero(m != value) == 0;
}

TEST(WarpFrame, IdentityCopiesEveryPlaneExactly) {
  Frame f(320, 240);
  const std::uint8_t* before = f.out[0].data;
  f.warp(Transform2D{});
  EXPECT_EQ(f.out[0].data, before);  // written in place, not reallocated
  for (int k = 0; k < 3; ++k) EXPECT_EQ(max_abs_diff(f.out[k], f.in[k]), 0) << "plane " << k;
}

TEST(WarpFrame, IntegerTranslationShiftsLumaAndHalvesItForChroma) {
  Frame f(320, 240);
  f.warp(Transform2D{4, -2, 0, 1});
  // Luma: out(x, y) = in(x - 4, y + 2).
  EXPECT_EQ(max_abs_diff(f.out[0](cv::Rect(4, 0, 316, 238)), f.in[0](cv::Rect(0, 2, 316, 238))), 0);
  // Chroma: out(x, y) = in(x - 2, y + 1).
  for (int k = 1; k < 3; ++k) {
    EXPECT_EQ(max_abs_diff(f.out[k](cv::Rect(2, 0, 158, 119)), f.in[k](cv::Rect(0, 1, 158, 119))),
              0)
        << "plane " << k;
  }
}

TEST(WarpFrame, BlackBorderIsLimitedRangeBlack) {
  Frame f(320, 240);
  f.warp(Transform2D{4, -2, 0, 1}, Border::black);
  EXPECT_TRUE(all_equal(f.out[0].colRange(0, 4), 16));
  EXPECT_TRUE(all_equal(f.out[0].rowRange(238, 240), 16));
  for (int k = 1; k < 3; ++k) {
    EXPECT_TRUE(all_equal(f.out[k].colRange(0, 2), 128)) << "plane " << k;
    EXPECT_TRUE(all_equal(f.out[k].rowRange(119, 120), 128)) << "plane " << k;
  }
}

TEST(WarpFrame, ReplicateAndMirrorFillFromTheImage) {
  const Transform2D shift{4, -2, 0, 1};
  Frame replicate(320, 240), mirror(320, 240);
  replicate.warp(shift, Border::replicate);
  mirror.warp(shift, Border::mirror);
  const cv::Rect left(0, 0, 4, 238);
  EXPECT_FALSE(all_equal(replicate.out[0](left), 16));
  EXPECT_FALSE(all_equal(mirror.out[0](left), 16));
  EXPECT_GT(max_abs_diff(replicate.out[0](left), mirror.out[0](left)), 0);
  // Replicate: every filled column repeats input column 0 (shifted up by 2 rows).
  for (int x = 0; x < 4; ++x) {
    EXPECT_EQ(max_abs_diff(replicate.out[0](cv::Rect(x, 0, 1, 238)),
                           replicate.in[0](cv::Rect(0, 2, 1, 238))),
              0);
  }
  // Mirror (reflect-101): output column 4 - j shows input column j.
  for (int j = 1; j <= 4; ++j) {
    EXPECT_EQ(max_abs_diff(mirror.out[0](cv::Rect(4 - j, 0, 1, 238)),
                           mirror.in[0](cv::Rect(j, 2, 1, 238))),
              0);
  }
  EXPECT_FALSE(all_equal(mirror.out[1].colRange(0, 2), 128));
}

TEST(WarpFrame, RotationThenItsInverseRestoresTheInterior) {
  const Transform2D t{3.5, -2.25, 0.05, 1.02};
  // Inverse of p' = z R(a) p + d: p = (1/z) R(-a) p' - (1/z) R(-a) d.
  const double c = std::cos(-t.da) / t.zoom, s = std::sin(-t.da) / t.zoom;
  const Transform2D inverse{-(c * t.dx - s * t.dy), -(s * t.dx + c * t.dy), -t.da, 1 / t.zoom};

  Frame forward(320, 240);
  forward.warp(t);
  Frame back(320, 240);
  for (int k = 0; k < 3; ++k) forward.out[k].copyTo(back.in[k]);
  back.warp(inverse);
  for (int k = 0; k < 3; ++k) {
    const int inset = k == 0 ? 24 : 12;
    const cv::Rect interior(inset, inset, forward.in[k].cols - 2 * inset,
                            forward.in[k].rows - 2 * inset);
    cv::Mat diff;
    cv::absdiff(back.out[k](interior), forward.in[k](interior), diff);
    EXPECT_LT(cv::mean(diff)[0], 1.0) << "plane " << k;
  }
}

TEST(WarpFrame, ZoomAboutTheCentreKeepsTheCentrePixel) {
  Frame f(321, 241);  // odd, so every plane has a centre pixel
  f.warp(Transform2D{0, 0, 0, 1.04});
  for (int k = 0; k < 3; ++k) {
    const int cx = f.in[k].cols / 2, cy = f.in[k].rows / 2;
    EXPECT_EQ(f.out[k].at<std::uint8_t>(cy, cx), f.in[k].at<std::uint8_t>(cy, cx)) << k;
  }
  EXPECT_GT(max_abs_diff(f.out[0], f.in[0]), 0);
}

TEST(WarpFrame, OnePixelSmallerOutputMapsCentreToCentre) {
  Frame f(321, 241, 320, 240);
  f.warp(Transform2D{});
  // Output pixel (x, y) samples input (x + 0.5, y + 0.5): the mean of four input pixels.
  for (int k = 0; k < 3; ++k) {
    const cv::Mat& in = f.in[k];
    const cv::Mat& out = f.out[k];
    ASSERT_EQ(in.cols - out.cols, 1);
    cv::Mat avg;
    cv::Mat sum = cv::Mat::zeros(out.size(), CV_32F);
    for (int dy = 0; dy < 2; ++dy) {
      for (int dx = 0; dx < 2; ++dx) {
        cv::Mat part;
        in(cv::Rect(dx, dy, out.cols, out.rows)).convertTo(part, CV_32F);
        sum += part;
      }
    }
    cv::Mat out_f;
    out.convertTo(out_f, CV_32F);
    EXPECT_LE(cv::norm(out_f, sum / 4, cv::NORM_INF), 1.0) << "plane " << k;
  }
}

TEST(WarpFrame, FourTwoTwoChromaShiftsByHalfHorizontallyOnly) {
  Frame f(320, 240, 320, 240, 1, 0);
  ASSERT_EQ(f.in[1].rows, 240);
  f.warp(Transform2D{4, -2, 0, 1});
  for (int k = 1; k < 3; ++k) {
    EXPECT_EQ(max_abs_diff(f.out[k](cv::Rect(2, 0, 158, 238)), f.in[k](cv::Rect(0, 2, 158, 238))),
              0)
        << "plane " << k;
  }
}

// 10-bit samples are warped as they are: an 8-bit round trip would lose the two low bits.
TEST(WarpFrame, TenBitInputIsWarpedAtTenBits) {
  Frame eight(320, 240), ten(320, 240);
  cv::RNG rng(9);
  cv::Mat low[3];
  for (int k = 0; k < 3; ++k) {
    low[k] = cv::Mat(ten.in[k].size(), CV_16UC1);
    rng.fill(low[k], cv::RNG::UNIFORM, 0, 4);
  }
  ten.make_ten_bit(low);

  // An integer shift copies every 10-bit sample, low bits included.
  ten.warp(Transform2D{2, -2, 0, 1});
  for (int k = 0; k < 3; ++k) {
    const int s = k == 0 ? 2 : 1;
    const cv::Rect out_rect(s, 0, ten.in[k].cols - s, ten.in[k].rows - s);
    const cv::Rect in_rect(0, s, ten.in[k].cols - s, ten.in[k].rows - s);
    EXPECT_EQ(max_abs_diff(ten.out[k](out_rect), ten.in[k](in_rect)), 0) << "plane " << k;
  }

  // A sub-pixel warp agrees with the 8-bit warp of the same picture, at 4 times the scale
  // (the 8-bit warp rounds to 4 levels; the low bits add at most 3).
  const Transform2D t{1.3, 0.7, 0.01, 1};
  eight.warp(t);
  ten.warp(t);
  for (int k = 0; k < 3; ++k) {
    cv::Mat scaled;
    eight.out[k].convertTo(scaled, CV_16UC1, 4.0);
    EXPECT_LE(max_abs_diff(ten.out[k], scaled), 6) << k;
    EXPECT_GT(max_abs_diff(ten.out[k], scaled), 0) << k << ": the low bits must show";
  }
}

TEST(WarpFrame, TenBitBlackBorderIsTenBitLimitedRangeBlack) {
  Frame f(64, 48);
  cv::Mat low[3];
  for (int k = 0; k < 3; ++k) low[k] = cv::Mat::zeros(f.in[k].size(), CV_16UC1);
  f.make_ten_bit(low);
  f.warp(Transform2D{10, 0, 0, 1});
  EXPECT_TRUE(all_equal(f.out[0].colRange(0, 10), 64));
  EXPECT_TRUE(all_equal(f.out[1].colRange(0, 5), 512));
  EXPECT_TRUE(all_equal(f.out[2].colRange(0, 5), 512));
}

TEST(WarpFrame, MismatchedOutputSizeThrows) {
  Frame f(320, 240, 318, 240);
  try {
    f.warp(Transform2D{});
    FAIL() << "no exception";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()),
              "render: plane 0: expected an output plane of 320x240 (or one pixel smaller) with "
              "1-byte samples, got 318x240 with 1-byte samples");
  }
}

TEST(WarpFrame, InPlaceIsRefused) {
  Frame f(64, 48);
  MutableFrameView same = f.out_view();
  for (int k = 0; k < 3; ++k) same.planes[k].data = f.in[k].data;
  EXPECT_THROW(warp_frame(f.in_view(), Transform2D{}, WarpParams{}, same), Error);
}

}  // namespace
}  // namespace sw::render
