// The pure parts of the metrics: the spectral stability ratio and the affine scores.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <vector>

#include "report/frame_metrics.hpp"
#include "report/stability.hpp"

namespace sw::report {
namespace {

TEST(Stability, SlowMotionScoresHighWhiteShakeLow) {
  const int n = 300;
  std::vector<double> slow(n), white(n);
  std::mt19937_64 rng(7);
  std::normal_distribution<double> normal(0, 2);
  for (int i = 0; i < n; ++i) {
    slow[i] = 3 * std::sin(2 * std::numbers::pi * 2 * i / n);  // component k = 2
    white[i] = normal(rng);
  }
  EXPECT_GT(low_frequency_ratio(slow, 0), 0.99);
  // White noise spreads evenly over the n/2 components: about 5 / 150 of it is low.
  EXPECT_LT(low_frequency_ratio(white, 0), 0.15);
}

TEST(Stability, MotionBelowTheNoiseFloorCountsAsStable) {
  std::vector<double> tiny(200);
  std::mt19937_64 rng(3);
  std::normal_distribution<double> normal(0, 0.001);
  for (auto& v : tiny) v = normal(rng);
  EXPECT_LT(low_frequency_ratio(tiny, 0), 0.2);
  EXPECT_GT(low_frequency_ratio(tiny, 0.05), 0.99);
}

TEST(Stability, ScoresMotionsPerComponentAndTakesTheMinimum) {
  std::vector<Motion> motions(120);
  std::mt19937_64 rng(5);
  std::normal_distribution<double> normal(0, 1);
  for (std::size_t i = 1; i < motions.size(); ++i) {
    motions[i].status = MotionStatus::ok;
    motions[i].dx = 2.0;  // a steady pan: pure DC
    motions[i].dy = 0.5;
    motions[i].da = 0.01 * normal(rng);  // shaky rotation
  }
  const auto s = stability_score(motions, {0.01, 1e-5});
  EXPECT_GT(s.translation, 0.99);
  EXPECT_LT(s.rotation, 0.3);
  EXPECT_EQ(s.overall, s.rotation);
}

TEST(AffineScores, IdentityZoomRotationAndStretch) {
  const auto id = affine_scores(1, 0, 0, 1);
  EXPECT_DOUBLE_EQ(id.cropping, 1);
  EXPECT_DOUBLE_EQ(id.distortion, 1);
  const double z = 1 / 1.1, a = 0.2;
  const auto zr =
      affine_scores(z * std::cos(a), -z * std::sin(a), z * std::sin(a), z * std::cos(a));
  EXPECT_NEAR(zr.cropping, z, 1e-12);
  EXPECT_NEAR(zr.distortion, 1, 1e-12);
  const auto stretch = affine_scores(1.2, 0, 0, 0.9);
  EXPECT_NEAR(stretch.distortion, 0.9 / 1.2, 1e-12);
  const auto shear = affine_scores(1, 0.3, 0, 1);  // singular values of a shear
  const double t = std::sqrt(0.09 + 4);
  EXPECT_NEAR(shear.distortion, ((t - 0.3) / 2) / ((t + 0.3) / 2), 1e-12);
}

// A 64x48 4:2:0 frame of mid grey, to paint fills into.
struct TestFrame {
  static constexpr int w = 64, h = 48;
  std::vector<std::uint8_t> y = std::vector<std::uint8_t>(w * h, 120);
  std::vector<std::uint8_t> u = std::vector<std::uint8_t>(w * h / 4, 128);
  std::vector<std::uint8_t> v = std::vector<std::uint8_t>(w * h / 4, 128);
  void paint(int x0, int y0, int x1, int y1, std::uint8_t luma, std::uint8_t cb = 128) {
    for (int r = y0; r < y1; ++r)
      for (int c = x0; c < x1; ++c) {
        y[r * w + c] = luma;
        u[(r / 2) * (w / 2) + c / 2] = cb;
      }
  }
  FrameView view() const {
    FrameView f;
    f.planes[0] = {y.data(), w, w, h, 1};
    f.planes[1] = {u.data(), w / 2, w / 2, h / 2, 1};
    f.planes[2] = {v.data(), w / 2, w / 2, h / 2, 1};
    return f;
  }
};

TEST(BorderFraction, CountsBlackOfEitherRangeThatTouchesTheEdge) {
  TestFrame clean;
  EXPECT_EQ(border_fraction(clean.view()), 0);
  TestFrame ours;  // limited-range black with coding noise, a bar along the left edge
  ours.paint(0, 0, 8, 48, 17);
  EXPECT_DOUBLE_EQ(border_fraction(ours.view()), 8.0 * 48 / (64 * 48));
  TestFrame full;  // full-range black (vid.stab's crop=black), a band along the bottom
  full.paint(0, 40, 64, 48, 0);
  EXPECT_DOUBLE_EQ(border_fraction(full.view()), 8.0 * 64 / (64 * 48));
}

TEST(BorderFraction, IgnoresBlackInsideThePictureAndDarkColours) {
  TestFrame inside;  // black that does not reach the edge is part of the picture
  inside.paint(16, 16, 32, 32, 0);
  EXPECT_EQ(border_fraction(inside.view()), 0);
  TestFrame coloured;  // dark blue at the edge is not a fill
  coloured.paint(0, 0, 8, 48, 10, 160);
  EXPECT_EQ(border_fraction(coloured.view()), 0);
  TestFrame grey;  // a dark grey above the tolerance
  grey.paint(0, 0, 8, 48, 30);
  EXPECT_EQ(border_fraction(grey.view()), 0);
}

}  // namespace
}  // namespace sw::report
