// warp_rgb (render/warp_rgb.hpp): a known shift moves the picture by that much, each channel is
// warped exactly as the render warps a luma plane, the borders follow the policy (black = RGB
// 0), and bad frames or transforms are refused.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "core/error.hpp"
#include "render/warp_rgb.hpp"

namespace sw::render {
namespace {

constexpr int kW = 64, kH = 48;

// A smooth seeded RGB texture, packed, kW x kH.
cv::Mat rgb_texture(std::uint64_t seed) {
  cv::RNG rng(seed);
  cv::Mat noise(kH, kW, CV_32FC3);
  rng.fill(noise, cv::RNG::NORMAL, 0, 1);
  cv::GaussianBlur(noise, noise, cv::Size(), 2.0);
  cv::Mat out;
  cv::normalize(noise, out, 10, 245, cv::NORM_MINMAX, CV_8UC3);
  return out;
}

std::uint8_t at(const std::vector<std::uint8_t>& rgb, int x, int y, int c) {
  return rgb[(static_cast<std::size_t>(y) * kW + x) * 3 + c];
}

std::vector<std::uint8_t> warp(const cv::Mat& in, const Transform2D& t, Border border) {
  return warp_rgb(in.data, kW, kH, in.step, t, WarpParams{border, 0});
}

TEST(WarpRgb, ZeroCorrectionIsTheFrame) {
  const cv::Mat in = rgb_texture(1);
  const auto out = warp(in, {}, Border::black);
  EXPECT_EQ(out, std::vector<std::uint8_t>(in.data, in.data + in.total() * 3));
}

TEST(WarpRgb, AShiftMovesThePictureByIt) {
  const cv::Mat in = rgb_texture(2);
  const int sx = 3, sy = -2;
  const auto out = warp(in, {sx, sy, 0, 1}, Border::black);
  int worst = 0;
  for (int y = 0; y < kH; ++y) {
    for (int x = 0; x < kW; ++x) {
      for (int c = 0; c < 3; ++c) {
        const int xs = x - sx, ys = y - sy;
        if (xs < 0 || xs >= kW || ys < 0 || ys >= kH) {
          EXPECT_EQ(at(out, x, y, c), 0) << x << "," << y;  // uncovered: black
          continue;
        }
        worst = std::max(worst, std::abs(at(out, x, y, c) - in.at<cv::Vec3b>(ys, xs)[c]));
      }
    }
  }
  EXPECT_LE(worst, 1);
}

// Each channel goes through the render's own warp of a luma plane (render/warp.hpp), rotation
// and zoom included, so a notebook sees what the output shows.
TEST(WarpRgb, EachChannelIsTheRendersLumaWarp) {
  const cv::Mat in = rgb_texture(3);
  const Transform2D t{1.75, -0.4, 0.03, 1.08};
  for (const Border border : {Border::black, Border::replicate, Border::mirror}) {
    const auto out = warp(in, t, border);
    cv::Mat channels[3];
    cv::split(in, channels);
    for (int c = 0; c < 3; ++c) {
      cv::Mat plane = channels[c].clone(), warped(kH, kW, CV_8UC1, cv::Scalar(7));
      FrameView view;
      view.planes[0] = {plane.data, static_cast<int>(plane.step), kW, kH, 1};
      MutableFrameView dst;
      dst.planes[0] = {warped.data, static_cast<int>(warped.step), kW, kH, 1};
      warp_frame(view, t, WarpParams{border, 0}, dst);
      int differ = 0;
      for (int y = 0; y < kH; ++y) {
        for (int x = 0; x < kW; ++x) {
          const int luma = warped.at<std::uint8_t>(y, x);
          // The render's black is Y 16; RGB black is 0. Elsewhere the bytes are the same.
          const bool border_black = border == Border::black && at(out, x, y, c) == 0 && luma == 16;
          differ += at(out, x, y, c) != luma && !border_black;
        }
      }
      EXPECT_EQ(differ, 0) << "channel " << c << ", border " << static_cast<int>(border);
    }
  }
}

TEST(WarpRgb, PaddedRowsAreReadByTheirStride) {
  const cv::Mat in = rgb_texture(4);
  cv::Mat wide(kH, kW + 5, CV_8UC3, cv::Scalar(255, 255, 255));
  in.copyTo(wide(cv::Rect(0, 0, kW, kH)));
  const cv::Mat roi = wide(cv::Rect(0, 0, kW, kH));
  EXPECT_EQ(warp_rgb(roi.data, kW, kH, roi.step, {2, 1, 0.01, 1}, {}),
            warp(in, {2, 1, 0.01, 1}, Border::black));
}

TEST(WarpRgb, BadFramesAndTransformsAreRefused) {
  const cv::Mat in = rgb_texture(5);
  const auto problem = [&](auto call) {
    try {
      call();
    } catch (const Error& e) {
      return e.problem();
    }
    return std::string("no error");
  };
  EXPECT_EQ(problem([&] { warp_rgb(in.data, 0, kH, in.step, {}, {}); }),
            "expected a frame of at least 1x1 pixels, got 0x48");
  EXPECT_EQ(problem([&] { warp_rgb(in.data, kW, kH, kW * 3 - 1, {}, {}); }),
            "expected rows of at least 192 bytes, got 191");
  EXPECT_EQ(problem([&] {
              warp_rgb(in.data, kW, kH, in.step, {0, 0, 0, 0}, {});
            }),
            "expected a finite transform with zoom > 0, got zoom 0.000000");
  EXPECT_EQ(problem([&] {
              warp_rgb(in.data, kW, kH, in.step, {}, {Border::black, 15});
            }),
            "expected no fill radius (full frame needs the neighbouring frames), got 15");
}

}  // namespace
}  // namespace sw::render
