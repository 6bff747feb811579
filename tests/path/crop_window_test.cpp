// The L1 smoother's per-shot crop window and its drift term: the predicted stability reads
// like the report's score, the chosen window is 1 for a clean shot, grows with the shake and
// with --max-zoom, the default shows no border, and the drift term follows slow motion the
// paper's path holds still against.
#include <cmath>
#include <numbers>
#include <vector>

#include <gtest/gtest.h>

#include "path/crop.hpp"
#include "path/path.hpp"
#include "path/smoother.hpp"
#include "test_rng.hpp"

namespace sw::path {
namespace {

constexpr FrameSize kFrame{640, 360};

// A hand-held camera: AR(1) offsets of `px` per axis and `px` / 800 rad of roll about a path
// that pans 0.5 px a frame.
std::vector<Vec3> shaky_camera(std::size_t n, std::uint64_t seed, double px) {
  testing::Rng rng(seed);
  std::vector<Vec3> camera(n);
  Vec3 o;
  for (std::size_t i = 0; i < n; ++i) {
    o = {0.5 * o.x + 0.87 * px * rng.gauss(), 0.5 * o.y + 0.87 * px * rng.gauss(),
         0.5 * o.a + 0.87 * px / 800 * rng.gauss()};
    camera[i] = {0.5 * static_cast<double>(i) + o.x, o.y, o.a};
  }
  return camera;
}

TEST(PredictedStability, ReadsLikeTheReportsScore) {
  // A constant pan has no motion but its mean (DC): perfectly stable.
  std::vector<Vec3> pan(200);
  for (std::size_t i = 0; i < pan.size(); ++i) pan[i] = {3.0 * double(i), -1.0 * double(i), 0};
  EXPECT_NEAR(predicted_stability(pan, kFrame), 1.0, 1e-9);
  // A slow sway (one period over the clip) is all in the low band.
  std::vector<Vec3> sway(200);
  for (std::size_t i = 0; i < sway.size(); ++i) {
    const double w = 2 * std::numbers::pi * double(i) / double(sway.size());
    sway[i] = {40 * std::sin(w), 20 * std::cos(w), 0.01 * std::sin(w)};
  }
  EXPECT_GT(predicted_stability(sway, kFrame), 0.95);
  // White shake spreads over all 100 components: about 5 / 100 in the low band.
  EXPECT_LT(predicted_stability(shaky_camera(200, 3, 4), kFrame), 0.15);
  // Too short to have a spectrum: 1, as the report says.
  EXPECT_EQ(predicted_stability(shaky_camera(8, 3, 4), kFrame), 1.0);
}

// The score through a plain O(n^2) DFT, bins 1..n/2, with the report's noise floor (0.05 px
// at 640 px wide, over the half diagonal for the angle): what the O(n) Parseval form must give.
double naive_share(const std::vector<double>& v, double floor_rms) {
  const std::size_t n = v.size();
  double low = 0, all = 0;
  for (std::size_t k = 1; k <= n / 2; ++k) {
    double re = 0, im = 0;
    for (std::size_t t = 0; t < n; ++t) {
      const double w = 2 * std::numbers::pi * double(k * t) / double(n);
      re += v[t] * std::cos(w);
      im -= v[t] * std::sin(w);
    }
    all += re * re + im * im;
    if (k <= 5) low += re * re + im * im;
  }
  const double f = 0.5 * double(n) * double(n) * floor_rms * floor_rms;
  return (low + f) / (all + f);
}

TEST(PredictedStability, EqualsTheFullSpectrumForOddAndEvenLengths) {
  for (const std::size_t n : {201u, 300u}) {
    const auto path = shaky_camera(n, 9, 2);
    std::vector<double> x, y, a;
    for (std::size_t i = 1; i < n; ++i) {
      const double da = path[i].a - path[i - 1].a, c = std::cos(da), s = std::sin(da);
      x.push_back(path[i].x - (c * path[i - 1].x - s * path[i - 1].y));
      y.push_back(path[i].y - (s * path[i - 1].x + c * path[i - 1].y));
      a.push_back(da);
    }
    const double floor_rad = 0.05 / (0.5 * std::hypot(640.0, 360.0));
    const double expected =
        std::min(0.5 * (naive_share(x, 0.05) + naive_share(y, 0.05)), naive_share(a, floor_rad));
    EXPECT_NEAR(predicted_stability(path, kFrame), expected, 1e-9) << n;
  }
}

// Full frame fills its border, so even a shot the prediction calls steady gets the room of
// kFillMinWindow; the default (min_window 1) keeps such a shot's own path.
TEST(L1CropWindow, FullFrameSearchesFromItsMinimumWindow) {
  const std::vector<Vec3> mild = shaky_camera(300, 5, 0.01);
  const L1Params params;
  EXPECT_EQ(l1_auto_path(mild, params, kFrame, 1.25).crop_zoom, 1.0);
  const L1Choice fill = l1_auto_path(mild, params, kFrame, 1.25, {}, kFillMinWindow);
  EXPECT_EQ(fill.crop_zoom, kFillMinWindow);
  ASSERT_EQ(fill.path.size(), mild.size());
  EXPECT_NE(fill.path[150].x, mild[150].x);  // a path of its own, not the camera's
  // A shaky shot still gets more than the minimum when it needs it.
  EXPECT_GT(
      l1_auto_path(shaky_camera(300, 7, 8), params, kFrame, 1.25, {}, kFillMinWindow).crop_zoom,
      kFillMinWindow);
}

TEST(L1CropWindow, ACleanShotKeepsItsFullPicture) {
  // A pan with no shake at all, and one whose shake is below what the estimator can see.
  std::vector<Vec3> pan(300);
  for (std::size_t i = 0; i < pan.size(); ++i) pan[i] = {0.7 * double(i), 0.1 * double(i), 0};
  const L1Params params;
  EXPECT_EQ(l1_auto_path(pan, params, kFrame, 1.25).crop_zoom, 1.0);
  EXPECT_EQ(l1_auto_path(shaky_camera(300, 5, 0.01), params, kFrame, 1.25).crop_zoom, 1.0);
  // And the whole plan: zoom 1 plus crop.hpp's edge epsilon, nothing more.
  std::vector<Motion> motions = testing::pair_motions(pan);
  motions[0].status = MotionStatus::first_frame;
  const PathResult r = plan_path(motions, PathParams{}, kFrame);
  for (const auto& c : r.correction) ASSERT_LT(c.zoom, 1.001);
}

TEST(L1CropWindow, GrowsWithTheShake) {
  const L1Params params;
  double last = 0;
  std::vector<double> chosen;
  for (const double px : {0.25, 1.0, 4.0, 16.0, 64.0}) {
    const L1Choice c = l1_auto_path(shaky_camera(200, 7, px), params, kFrame, 1.25);
    chosen.push_back(c.crop_zoom);
    EXPECT_GE(c.crop_zoom, last) << "shake " << px << " px";
    EXPECT_LE(c.crop_zoom, 1.25) << "shake " << px << " px";
    last = c.crop_zoom;
  }
  EXPECT_LT(chosen.front(), 1.05) << "a mild shot keeps nearly all its field of view";
  EXPECT_GT(chosen.back(), 1.15) << "a wild one gets most of the room there is";
}

TEST(L1CropWindow, IsTheSmallestWindowThatGetsTheShareOfTheLargestsGain) {
  const auto camera = shaky_camera(300, 13, 4);
  const L1Params params;
  const L1Choice c = l1_auto_path(camera, params, kFrame, 1.25);
  ASSERT_LT(c.crop_zoom, 1.25) << "the knee must lie below the bound for this test";
  ASSERT_GT(c.crop_zoom, 1.0) << "and above the camera's own path";
  const double from = predicted_stability(camera, kFrame);
  const double target =
      from + params.gain_share *
                 (predicted_stability(l1_path(camera, params, kFrame, 1.25), kFrame) - from);
  EXPECT_GE(predicted_stability(c.path, kFrame), target);
  // ... and a window one bisection step smaller does not reach it.
  const double smaller = c.crop_zoom - 0.25 / 32;
  EXPECT_LT(predicted_stability(l1_path(camera, params, kFrame, smaller), kFrame), target)
      << c.crop_zoom;
}

// The knee, not a fixed score: a shot that is fairly steady as filmed (a diver's slow sway
// with a little shake) still gets the window that removes most of its shake, where a fixed
// score would have left it the camera's path.
TEST(L1CropWindow, AFairlySteadyShotIsStillStabilized) {
  auto camera = shaky_camera(300, 21, 0.6);
  for (std::size_t i = 0; i < camera.size(); ++i)
    camera[i].y += 25 * std::sin(2 * std::numbers::pi * double(i) / double(camera.size()));
  const L1Params params;
  const double filmed = predicted_stability(camera, kFrame);
  const L1Choice c = l1_auto_path(camera, params, kFrame, 1.25);
  EXPECT_GT(c.crop_zoom, 1.0) << "filmed score " << filmed;
  EXPECT_GT(predicted_stability(c.path, kFrame), filmed + 0.1) << "filmed score " << filmed;
  EXPECT_LT(c.crop_zoom, 1.15) << "but it needs little room";
}

TEST(L1CropWindow, GrowsWithTheMaxZoomAndStaysWithinIt) {
  const auto camera = shaky_camera(300, 17, 8);
  const L1Params params;
  std::vector<double> chosen;
  for (const double max_zoom : {1.0, 1.02, 1.05, 1.1, 1.2, 1.3, 1.5}) {
    chosen.push_back(l1_auto_path(camera, params, kFrame, max_zoom).crop_zoom);
    EXPECT_LE(chosen.back(), max_zoom) << max_zoom;
    if (chosen.size() > 1) {
      // Monotone to within the bisection's resolution, (max_zoom - 1) / 32.
      EXPECT_GE(chosen.back(), chosen[chosen.size() - 2] - (max_zoom - 1) / 32) << max_zoom;
    }
  }
  EXPECT_EQ(chosen[0], 1.0) << "no room at all";
  EXPECT_GT(chosen[1], 1.01) << "a tight bound is nearly all used";
  EXPECT_LT(chosen.back(), 1.2) << "a loose one is not: the shake needs less";
}

TEST(L1CropWindow, TheDefaultShowsNoBorder) {
  std::vector<Motion> motions = testing::pair_motions(shaky_camera(400, 9, 6));
  motions[0].status = MotionStatus::first_frame;
  const PathResult r = plan_path(motions, PathParams{}, kFrame);
  for (std::size_t i = 0; i < r.correction.size(); ++i) {
    ASSERT_TRUE(covers(r.correction[i], kFrame)) << "frame " << i;
    ASSERT_LE(r.correction[i].zoom, PathParams{}.max_zoom) << "frame " << i;
  }
}

TEST(L1Drift, FollowsASlowSwayAndLeavesTheWindowToTheShake) {
  // A slow sway (one period over the shot) under the shake. The paper's path holds still
  // against the sway as long as the window allows, so the correction is mostly sway; the
  // drift path follows it, and the correction is left with the shake.
  auto camera = shaky_camera(300, 11, 3);
  for (std::size_t i = 0; i < camera.size(); ++i)
    camera[i].y += 12 * std::sin(2 * std::numbers::pi * double(i) / double(camera.size()));
  L1Params paper;
  paper.drift_fraction = 0;
  const L1Params drift;
  auto mean_correction = [&](const std::vector<Vec3>& p) {
    double sum = 0;
    for (std::size_t t = 0; t < p.size(); ++t) sum += std::abs(p[t].y - camera[t].y);
    return sum / double(p.size());
  };
  const double c_paper = mean_correction(l1_path(camera, paper, kFrame, 1.1));
  const double c_drift = mean_correction(l1_path(camera, drift, kFrame, 1.1));
  EXPECT_LT(c_drift, 0.6 * c_paper)
      << "mean |correction y|: paper " << c_paper << " px, drift " << c_drift << " px";
}

}  // namespace
}  // namespace sw::path
