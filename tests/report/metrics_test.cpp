// The pure parts of the metrics: the spectral stability ratio and the affine scores.
#include <gtest/gtest.h>

#include <cmath>
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

}  // namespace
}  // namespace sw::report
