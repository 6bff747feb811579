// Repeated frames (path/repeats.cpp): found exactly in a 2:3 pattern, never in a still shot
// whose picture keeps changing, and planned so that the output moves evenly even where the
// motion of distinct pairs between repeats could not be measured.
#include <cmath>
#include <limits>
#include <random>
#include <vector>

#include <gtest/gtest.h>

#include "path/crop.hpp"
#include "path/path.hpp"

namespace sw::path {
namespace {

constexpr FrameSize kFrame{640, 360};

// Source frame of frame i in a 2:3 pattern (24 fps content at 60).
std::size_t source_of(std::size_t i) {
  return 2 * i / 5;
}

// The camera of source frame k: a pan with a seeded shake, in path coordinates.
std::vector<Vec3> source_camera(std::size_t sources, std::uint64_t seed, double shake_px) {
  std::mt19937_64 rng(seed);
  std::normal_distribution<double> shake(0.0, 1.0);
  std::vector<Vec3> cam(sources);
  for (std::size_t k = 0; k < sources; ++k) {
    const double t = static_cast<double>(k);
    cam[k] = {3 * t + shake_px * shake(rng), 0.5 * t + shake_px * shake(rng),
              0.0005 * shake_px * shake(rng)};
  }
  return cam;
}

// Motions of a 2:3 clip: distinct pairs move by the source step and change the picture by a
// few levels; repeats measure a little noise (as an encoder's re-coding gives) and change it
// by a fraction of a level. repeat[i] = 1 for the repeats.
struct Clip {
  std::vector<Motion> motions;
  std::vector<std::uint8_t> repeat;
  std::vector<Vec3> picture;  // true camera of the picture each frame shows
};

Clip pulldown_clip(std::size_t n, std::uint64_t seed, double shake_px = 4) {
  const std::vector<Vec3> cam = source_camera(source_of(n - 1) + 1, seed, shake_px);
  std::mt19937_64 rng(seed + 1);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  Clip c;
  c.motions.resize(n);
  c.repeat.assign(n, 0);
  c.picture.resize(n);
  c.picture[0] = cam[0];
  for (std::size_t i = 1; i < n; ++i) {
    Motion& m = c.motions[i];
    m.status = MotionStatus::ok;
    c.picture[i] = cam[source_of(i)];
    if (source_of(i) == source_of(i - 1)) {
      c.repeat[i] = 1;
      m.dx = 0.1 * (u(rng) - 0.5), m.dy = 0.1 * (u(rng) - 0.5);
      m.picture_diff = i % 7 == 0 ? 0.0 : 0.6 * u(rng);
    } else {
      const Vec3 &a = cam[source_of(i - 1)], &b = cam[source_of(i)];
      m.da = b.a - a.a;
      m.dx = b.x - (std::cos(m.da) * a.x - std::sin(m.da) * a.y);
      m.dy = b.y - (std::sin(m.da) * a.x + std::cos(m.da) * a.y);
      m.picture_diff = 3 + 6 * u(rng);
    }
  }
  return c;
}

TEST(Repeats, FoundExactlyInA23Pattern) {
  const Clip c = pulldown_clip(300, 5);
  const std::vector<std::uint8_t> cut(c.motions.size(), 0);
  const auto found = detect_repeats(c.motions, cut, kFrame);
  EXPECT_EQ(found, c.repeat);
  EXPECT_EQ(std::count(found.begin(), found.end(), 1), 180);  // 3 of every 5
}

TEST(Repeats, NoneInAStillShotWhosePictureChanges) {
  std::mt19937_64 rng(9);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  // A camera on a tripod: motion at the estimator's noise. The picture changes by sensor noise
  // alone (about 1 level), or by a small subject crossing it (a fraction of a level on average).
  for (const double level : {1.0, 0.15}) {
    std::vector<Motion> m(200);
    for (std::size_t i = 1; i < m.size(); ++i) {
      m[i].status = MotionStatus::ok;
      m[i].dx = 0.02 * (u(rng) - 0.5);
      m[i].dy = 0.02 * (u(rng) - 0.5);
      m[i].picture_diff = level * (0.8 + 0.4 * u(rng));
    }
    const auto found = detect_repeats(m, std::vector<std::uint8_t>(m.size(), 0), kFrame);
    EXPECT_EQ(std::count(found.begin(), found.end(), 1), 0) << "change " << level;
  }
}

TEST(Repeats, NeedStillMotionAKnownDifferenceAndNoCut) {
  Clip c = pulldown_clip(40, 3);
  std::vector<std::uint8_t> cut(c.motions.size(), 0);
  // Frame 1 is a repeat; it stops being one when the camera moved, when its difference is
  // unknown (an older store), or when it starts a shot.
  ASSERT_EQ(c.repeat[1], 1);
  ASSERT_EQ(c.repeat[6], 1);
  ASSERT_EQ(c.repeat[9], 1);
  c.motions[1].dx = 2;
  c.motions[6].picture_diff = std::numeric_limits<double>::quiet_NaN();
  cut[9] = 1;
  const auto found = detect_repeats(c.motions, cut, kFrame);
  EXPECT_EQ(found[1], 0);
  EXPECT_EQ(found[6], 0);
  EXPECT_EQ(found[9], 0);
  EXPECT_EQ(found[2], 1);
  // A pair whose motion could not be measured counts when its picture is unchanged.
  c.motions[2].status = MotionStatus::no_features;
  EXPECT_EQ(detect_repeats(c.motions, cut, kFrame)[2], 1);
}

TEST(Repeats, CameraTimeInterpolatesRunsAndHoldsAtTheEnd) {
  const std::vector<Vec3> path = {{0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {9, 3, 0.3}, {9, 3, 0.3}};
  const std::vector<std::uint8_t> repeat = {0, 1, 1, 0, 1}, cut(5, 0);
  const auto camera = interpolate_repeats(path, repeat, cut);
  EXPECT_DOUBLE_EQ(camera[1].x, 3);
  EXPECT_DOUBLE_EQ(camera[2].y, 2);
  EXPECT_DOUBLE_EQ(camera[2].a, 0.2);
  EXPECT_DOUBLE_EQ(camera[4].x, 9);  // no distinct frame after it: held
  const std::vector<Vec3> steps = {{0, 0, 0}, {0, 0, 0}, {0, 0, 0}, {9, 3, 0.3}, {0, 0, 0}};
  const auto rows = spread_repeats(steps, repeat, cut);
  for (std::size_t i : {1u, 2u, 3u}) EXPECT_DOUBLE_EQ(rows[i].x, 3) << i;
  EXPECT_DOUBLE_EQ(rows[4].x, 0);
  const auto held = hold_repeats(camera, repeat);
  EXPECT_EQ(held[2].x, 0);
  EXPECT_EQ(held[4].x, 9);
}

// The output's camera path: the picture's true camera, moved by the correction (at zoom 1
// for the comparison; the zoom scales both alike).
std::vector<Vec3> output_path(const std::vector<Vec3>& picture, const PathResult& r) {
  std::vector<Vec3> out;
  for (std::size_t i = 0; i < picture.size(); ++i) {
    const Transform2D& c = r.correction[i];
    const double cs = std::cos(c.da), sn = std::sin(c.da);
    const Vec3& p = picture[i];
    out.push_back(
        {(cs * p.x - sn * p.y) + c.dx / c.zoom, (sn * p.x + cs * p.y) + c.dy / c.zoom, p.a + c.da});
  }
  return out;
}

// Largest second difference of the output path in x and y (px): how unevenly it moves.
double worst_acceleration(const std::vector<Vec3>& p) {
  double worst = 0;
  for (std::size_t i = 2; i < p.size(); ++i) {
    worst = std::max(worst, std::abs(p[i].x - 2 * p[i - 1].x + p[i - 2].x));
    worst = std::max(worst, std::abs(p[i].y - 2 * p[i - 1].y + p[i - 2].y));
  }
  return worst;
}

TEST(Repeats, OutputMovesEvenlyThroughUnmeasuredPairsBetweenRepeats) {
  // A pan of 3 px a source frame with a slight shake (0.5 px), which no filling can know.
  Clip c = pulldown_clip(300, 11, 0.5);
  // Motion blur: the distinct pairs of frames 120..160 could not be measured (the repeats
  // between them still measure their near-zero motion).
  for (std::size_t i = 120; i < 160; ++i) {
    if (c.repeat[i]) continue;
    c.motions[i].status = MotionStatus::fit_failed;
    c.motions[i].dx = c.motions[i].dy = c.motions[i].da = 0;
  }
  PathParams on;
  PathParams off = on;
  off.repeats = false;
  const PathResult with = plan_path(c.motions, on, kFrame);
  const PathResult without = plan_path(c.motions, off, kFrame);
  EXPECT_EQ(with.repeat, c.repeat);
  // Repeats sit exactly where their distinct frame is, and are corrected against it.
  for (std::size_t i = 1; i < c.repeat.size(); ++i) {
    if (!c.repeat[i]) continue;
    EXPECT_EQ(with.trajectory[i].x, with.trajectory[i - 1].x) << i;
    EXPECT_EQ(with.trajectory[i].a, with.trajectory[i - 1].a) << i;
  }
  // No border: the crop is computed from the real pictures' corrections.
  for (std::size_t i = 0; i < with.correction.size(); ++i)
    EXPECT_TRUE(covers(with.correction[i], kFrame)) << i;
  // Filled from the repeats' zeros, the gap froze the camera while it panned 3 px a source
  // frame, and the output jerked at the gap's ends; filled from the distinct pairs around it,
  // it moves on evenly. (Measured: 1.8 px / 4.6 px.)
  const double a_with = worst_acceleration(output_path(c.picture, with));
  const double a_without = worst_acceleration(output_path(c.picture, without));
  EXPECT_LT(a_with, 2.5) << "without repeats: " << a_without;
  EXPECT_GT(a_without, 3.5) << "with repeats: " << a_with;
}

TEST(Repeats, OffOrAbsentChangesNothing) {
  // Without repeats in the clip, the option makes no difference, bit for bit.
  std::vector<Motion> m(120);
  std::mt19937_64 rng(4);
  std::normal_distribution<double> g(0.0, 3.0);
  for (std::size_t i = 1; i < m.size(); ++i) {
    m[i] = {.dx = g(rng), .dy = g(rng), .da = 1e-3 * g(rng), .status = MotionStatus::ok};
    m[i].picture_diff = 5 + std::abs(g(rng));
  }
  PathParams off;
  off.repeats = false;
  const PathResult a = plan_path(m, PathParams{}, kFrame), b = plan_path(m, off, kFrame);
  ASSERT_EQ(a.correction.size(), b.correction.size());
  for (std::size_t i = 0; i < a.correction.size(); ++i) {
    EXPECT_EQ(a.correction[i].dx, b.correction[i].dx) << i;
    EXPECT_EQ(a.correction[i].zoom, b.correction[i].zoom) << i;
  }
}

}  // namespace
}  // namespace sw::path
