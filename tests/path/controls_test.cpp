// The path controls (path/controls.cpp) through plan_path: --tripod holds one view per shot
// and flags the frames max_zoom made it give up, --horizon-lock levels the first frame by DEG
// (sign included), --strength blends each axis back towards the camera.
#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "path/crop.hpp"
#include "path/path.hpp"
#include "test_rng.hpp"

namespace sw::path {
namespace {

constexpr FrameSize kFrame{640, 360};

// A hand-held camera: AR(1)-like shake around a still view, plus `drift_px` of steady
// motion in x over the clip and `roll_rad` of steady roll.
std::vector<Vec3> camera_path(std::size_t n, double drift_px = 0, double roll_rad = 0) {
  testing::Rng rng(7);
  std::vector<Vec3> cam(n);
  Vec3 o;
  for (std::size_t i = 0; i < n; ++i) {
    o = {0.5 * o.x + 3 * rng.gauss(), 0.5 * o.y + 3 * rng.gauss(), 0.5 * o.a + 2e-3 * rng.gauss()};
    const double f = static_cast<double>(i) / static_cast<double>(n - 1);
    cam[i] = {o.x + drift_px * f, o.y, o.a + roll_rad * f};
  }
  return cam;
}

// The output's view of frame i: the correction composed with the camera (zoom left aside).
Vec3 output_view(const PathResult& r, std::size_t i) {
  Transform2D c = r.correction[i];
  c.dx /= c.zoom;
  c.dy /= c.zoom;
  return follow(c, r.trajectory[i]);
}

TEST(Controls, TripodHoldsOneViewThatNeedsTheLeastCrop) {
  const auto cam = camera_path(200);
  PathParams p;
  p.tripod = true;
  const PathResult r = plan_path(testing::pair_motions(cam), p, kFrame);
  ASSERT_EQ(r.smoothed.size(), cam.size());
  EXPECT_TRUE(r.limited.empty()) << "a 3 px shake fits in 1.25";
  const Vec3 first = output_view(r, 0);
  for (std::size_t i = 0; i < cam.size(); ++i) {
    const Vec3 v = output_view(r, i);
    ASSERT_NEAR(v.x, first.x, 1e-9) << i;
    ASSERT_NEAR(v.y, first.y, 1e-9) << i;
    ASSERT_NEAR(v.a, first.a, 1e-12) << i;
    ASSERT_TRUE(covers(r.correction[i], kFrame)) << i;
  }
  // The middle of the range: the largest correction on x is half the range.
  double lo = 1e9, hi = -1e9;
  for (const Vec3& t : r.trajectory) lo = std::min(lo, t.x), hi = std::max(hi, t.x);
  EXPECT_NEAR(first.x, 0.5 * (lo + hi), 1e-9);
}

TEST(Controls, TripodGivesWayWhereTheCameraMovesTooFarAndSaysWhere) {
  // An 80 px walk in x: no still view fits in 1.1 (a 640 px frame allows about +-29 px).
  const auto cam = camera_path(200, 80);
  PathParams p;
  p.tripod = true;
  p.max_zoom = 1.1;
  const PathResult r = plan_path(testing::pair_motions(cam), p, kFrame);
  ASSERT_EQ(r.limited.size(), cam.size());
  const std::int64_t limited = count_flags(r.limited);
  EXPECT_GT(limited, 20);
  EXPECT_LT(limited, 170) << "the middle of the walk is held";
  for (std::size_t i = 0; i < cam.size(); ++i) {
    ASSERT_LE(r.correction[i].zoom, 1.1 + 1e-9) << i;
    ASSERT_TRUE(covers(r.correction[i], kFrame)) << i;
    // A frame that is held shows the still view.
    if (!r.limited[i]) {
      ASSERT_NEAR(r.smoothed[i].x, r.smoothed[cam.size() / 2].x, 0.1) << i;
    }
  }
}

TEST(Controls, TripodStartsAgainAtACut) {
  auto motions = testing::pair_motions(camera_path(120));
  motions[60].scene_score = 0.9;  // a hard cut: the second shot holds a view of its own
  motions[60].dx += 40;
  PathParams p;
  p.tripod = true;
  const PathResult r = plan_path(motions, p, kFrame);
  ASSERT_EQ(r.cut[60], 1);
  for (std::size_t i = 1; i < 120; ++i) {
    const std::size_t shot_start = i < 60 ? 0 : 60;
    ASSERT_EQ(r.smoothed[i].x, r.smoothed[shot_start].x) << i;
  }
  EXPECT_GT(std::abs(r.smoothed[60].x - r.smoothed[0].x), 20);
}

TEST(Controls, HorizonLockLevelsTheFirstFrameTurnedByDeg) {
  const double roll = 4 * std::numbers::pi / 180;  // 4 degrees of drift
  const auto cam = camera_path(200, 0, roll);
  for (const double deg : {0.0, 2.0, -1.5}) {
    PathParams p;
    p.horizon_lock = true;
    p.horizon_deg = deg;
    p.max_zoom = 1.5;
    const PathResult r = plan_path(testing::pair_motions(cam), p, kFrame);
    EXPECT_TRUE(r.limited.empty()) << deg;
    const double level = r.trajectory[0].a + deg * std::numbers::pi / 180;
    for (std::size_t i = 0; i < cam.size(); ++i)
      ASSERT_NEAR(output_view(r, i).a, level, 1e-12) << deg << ", frame " << i;
    // The sign: R(a) turns +x towards +y (down), clockwise on screen. A first frame whose
    // horizon rises to the right by DEG is turned clockwise by DEG, i.e. by +DEG.
    EXPECT_NEAR(r.correction[0].da, deg * std::numbers::pi / 180, 1e-12);
  }
}

TEST(Controls, HorizonLockWithinATightMaxZoomGivesWay) {
  const auto cam = camera_path(200, 0, 8 * std::numbers::pi / 180);
  PathParams p;
  p.horizon_lock = true;
  p.max_zoom = 1.1;
  const PathResult r = plan_path(testing::pair_motions(cam), p, kFrame);
  EXPECT_GT(count_flags(r.limited), 0);
  for (const Transform2D& c : r.correction) ASSERT_LE(c.zoom, 1.1 + 1e-9);
}

TEST(Controls, StrengthZeroKeepsTheCamerasMotionOnThatAxis) {
  const auto cam = camera_path(150);
  PathParams full;
  full.smoother = SmootherKind::ma;
  full.crop = Crop::none;
  full.zoom = 1.2;
  const PathResult smoothed = plan_path(testing::pair_motions(cam), full, kFrame);
  PathParams keep_roll = full;
  keep_roll.strength = {1, 0.5, 0};
  const PathResult r = plan_path(testing::pair_motions(cam), keep_roll, kFrame);
  for (std::size_t i = 0; i < cam.size(); ++i) {
    ASSERT_EQ(r.correction[i].da, 0.0) << i;
    ASSERT_EQ(r.smoothed[i].x, smoothed.smoothed[i].x) << i;
    const double half = r.trajectory[i].y + 0.5 * (smoothed.smoothed[i].y - r.trajectory[i].y);
    ASSERT_NEAR(r.smoothed[i].y, half, 1e-12) << i;
  }
}

TEST(Controls, FullStrengthPlansExactlyTheDefaultPath) {
  const auto motions = testing::pair_motions(camera_path(150));
  PathParams p;
  const PathResult a = plan_path(motions, p, kFrame);
  p.strength = {1, 1, 1};
  const PathResult b = plan_path(motions, p, kFrame);
  for (std::size_t i = 0; i < motions.size(); ++i) {
    ASSERT_EQ(a.correction[i].dx, b.correction[i].dx);
    ASSERT_EQ(a.correction[i].da, b.correction[i].da);
  }
}

TEST(Controls, OutOfRangeValuesAreRefused) {
  const auto motions = testing::pair_motions(camera_path(20));
  PathParams p;
  p.strength.y = 1.5;
  EXPECT_THROW(plan_path(motions, p, kFrame), Error);
  p = {};
  p.strength.a = -0.1;
  EXPECT_THROW(plan_path(motions, p, kFrame), Error);
  p = {};
  p.horizon_deg = 60;
  EXPECT_THROW(plan_path(motions, p, kFrame), Error);
}

}  // namespace
}  // namespace sw::path
