// fill_invalid(): unmeasured pairs take the motion interpolated between their shot's measured
// neighbours, hold at a shot's ends, never reach across a cut, and leave the status alone.
#include <cmath>
#include <limits>
#include <vector>

#include <gtest/gtest.h>

#include "path/path.hpp"

namespace sw::path {
namespace {

// Pair i moves (1 + 0.5 i, -0.2 i, 1e-4 i): a camera that speeds up steadily.
Vec3 linear(std::size_t i) {
  const double t = static_cast<double>(i);
  return {1 + 0.5 * t, -0.2 * t, 1e-4 * t};
}

std::vector<Motion> linear_motions(std::size_t n) {
  std::vector<Motion> m(n);
  m[0].status = MotionStatus::first_frame;
  for (std::size_t i = 1; i < n; ++i) {
    const Vec3 v = linear(i);
    m[i] = {.dx = v.x, .dy = v.y, .da = v.a, .status = MotionStatus::ok};
  }
  return m;
}

// What an unmeasured pair looks like: a failed status, numbers that must not be used.
void break_pair(Motion& m) {
  m.status = MotionStatus::fit_failed;
  m.dx = std::numeric_limits<double>::quiet_NaN();
  m.dy = 1e9;
  m.da = -3;
}

TEST(FillInvalid, RecoversALinearMotionAcrossAGap) {
  auto motions = linear_motions(40);
  for (std::size_t i = 12; i < 25; ++i) break_pair(motions[i]);
  const std::vector<std::uint8_t> cut(motions.size(), 0);
  const auto rows = fill_invalid(motions, cut);
  ASSERT_EQ(rows.size(), motions.size());
  EXPECT_EQ(rows[0].x, 0.0);
  for (std::size_t i = 1; i < rows.size(); ++i) {
    EXPECT_NEAR(rows[i].x, linear(i).x, 1e-12) << "pair " << i;
    EXPECT_NEAR(rows[i].y, linear(i).y, 1e-12) << "pair " << i;
    EXPECT_NEAR(rows[i].a, linear(i).a, 1e-15) << "pair " << i;
  }
  // What was measured is still on record: only the path's rows are filled.
  EXPECT_EQ(motions[12].status, MotionStatus::fit_failed);
}

TEST(FillInvalid, HoldsTheOneNeighbourAtAShotsEnds) {
  auto motions = linear_motions(30);
  for (std::size_t i : {1u, 2u, 3u, 26u, 27u, 28u, 29u}) break_pair(motions[i]);
  const auto rows = fill_invalid(motions, std::vector<std::uint8_t>(motions.size(), 0));
  for (std::size_t i : {1u, 2u, 3u}) EXPECT_EQ(rows[i].x, linear(4).x) << "pair " << i;
  for (std::size_t i : {26u, 27u, 28u, 29u}) EXPECT_EQ(rows[i].y, linear(25).y) << "pair " << i;
}

TEST(FillInvalid, NeverReachesAcrossACut) {
  auto motions = linear_motions(30);
  std::vector<std::uint8_t> cut(motions.size(), 0);
  cut[15] = 1;
  break_pair(motions[15]);  // the pair across the cut: unmeasured, so no motion
  for (std::size_t i : {12u, 13u, 14u, 16u, 17u}) break_pair(motions[i]);
  const auto rows = fill_invalid(motions, cut);
  EXPECT_EQ(rows[15].x, 0.0);
  EXPECT_EQ(rows[15].a, 0.0);
  // Shot [0, 15) ends with a gap: hold pair 11; shot [15, 30) starts with one: hold pair 18.
  for (std::size_t i : {12u, 13u, 14u}) EXPECT_EQ(rows[i].x, linear(11).x) << "pair " << i;
  for (std::size_t i : {16u, 17u}) EXPECT_EQ(rows[i].x, linear(18).x) << "pair " << i;
}

TEST(FillInvalid, AShotWithNoMeasurementStaysStill) {
  auto motions = linear_motions(10);
  for (std::size_t i = 1; i < motions.size(); ++i) break_pair(motions[i]);
  for (const Vec3& r : fill_invalid(motions, std::vector<std::uint8_t>(motions.size(), 0))) {
    EXPECT_EQ(r.x, 0.0);
    EXPECT_EQ(r.y, 0.0);
    EXPECT_EQ(r.a, 0.0);
  }
}

TEST(FillInvalid, APanThroughAGapLeavesNoStepInTheTrajectory) {
  // A steady pan of 4 px a frame with 20 unmeasured pairs: zero motion there would leave the
  // camera 80 px behind for the rest of the clip.
  std::vector<Motion> motions(100);
  motions[0].status = MotionStatus::first_frame;
  for (std::size_t i = 1; i < motions.size(); ++i)
    motions[i] = {.dx = 4.0, .dy = 0.0, .da = 0.0, .status = MotionStatus::ok};
  for (std::size_t i = 40; i < 60; ++i) break_pair(motions[i]);
  PathParams p;
  p.smoother = SmootherKind::ma;
  p.crop = Crop::none;
  const PathResult r = plan_path(motions, p);
  EXPECT_EQ(r.invalid_pairs, 20);
  EXPECT_DOUBLE_EQ(r.trajectory.back().x, 4.0 * 99);
}

}  // namespace
}  // namespace sw::path
