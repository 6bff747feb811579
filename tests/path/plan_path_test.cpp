// plan_path properties: what each outlier policy does to a jolt, the adaptive window's tent,
// a pan left alone, invalid pairs filled, tiny clips, parameter errors.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "path/path.hpp"
#include "test_rng.hpp"

namespace sw::path {
namespace {

std::vector<Motion> to_motions(const std::vector<Vec3>& pair_rows) {
  std::vector<Motion> m(pair_rows.size() + 1);
  m[0].status = MotionStatus::first_frame;
  for (std::size_t i = 0; i < pair_rows.size(); ++i) {
    m[i + 1] = {.dx = pair_rows[i].x,
                .dy = pair_rows[i].y,
                .da = pair_rows[i].a,
                .status = MotionStatus::ok};
  }
  return m;
}

// The camera path the viewer sees: the real path plus the correction render applies.
double output_x(const PathResult& r, std::size_t i) {
  return r.trajectory[i].x + r.correction[i].dx;
}

// The recipe's smoother at its fixed zoom: what these tests pin down (the other smoothers
// and crop modes have their own tests in smoother_test.cpp and crop_test.cpp).
// The recipe's moving average (half width 15; the library default is the command line's 30).
PathParams ma_params() {
  PathParams params;
  params.smoother = SmootherKind::ma;
  params.radius = 15;
  params.crop = Crop::none;
  return params;
}

PathParams with_policy(OutlierPolicy p) {
  PathParams params = ma_params();
  params.outliers = p;
  return params;
}

// A hand-held clip (1 px shake) with one jolt of 80 px between frames k-1 and k.
struct JoltClip {
  static constexpr std::size_t k = 300;
  static constexpr double jolt = 80.0;
  std::vector<Motion> motions;
  explicit JoltClip(double pan = 0.0) {
    auto rows = testing::shake_rows(600, 11, 1.0, 1e-3);
    for (auto& r : rows) r.x += pan;
    rows[k - 1].x += jolt;  // pair row k-1 is frame k's motion
    motions = to_motions(rows);
  }
};

TEST(PathPlan, AdaptiveCancelsAJolt) {
  for (const double pan : {0.0, 2.0}) {
    const JoltClip clip(pan);
    const PathResult r = plan_path(clip.motions, with_policy(OutlierPolicy::adaptive));
    ASSERT_EQ(r.outlier[JoltClip::k], 1) << "LOF missed the jolt, lof " << r.lof[JoltClip::k];
    const double step = output_x(r, JoltClip::k) - output_x(r, JoltClip::k - 1);
    EXPECT_LT(std::abs(step - pan), 0.05 * JoltClip::jolt) << "pan " << pan;
    EXPECT_GE(r.radius[JoltClip::k], 50);
  }
}

TEST(PathPlan, RecipeLetsTheJoltThrough) {
  const JoltClip clip;
  const PathResult r = plan_path(clip.motions, with_policy(OutlierPolicy::recipe));
  ASSERT_EQ(r.outlier[JoltClip::k], 1);
  const double step = output_x(r, JoltClip::k) - output_x(r, JoltClip::k - 1);
  EXPECT_GT(std::abs(step), 0.9 * JoltClip::jolt);
}

TEST(PathPlan, RecipeIsReplaceThenIntegrateThenAverage) {
  const JoltClip clip;
  const PathParams params = with_policy(OutlierPolicy::recipe);
  const PathResult r = plan_path(clip.motions, params);
  std::vector<Vec3> pairs;
  for (std::size_t i = 1; i < clip.motions.size(); ++i) {
    pairs.push_back({clip.motions[i].dx, clip.motions[i].dy, clip.motions[i].da});
  }
  const auto lof = local_outlier_factor(pairs, params.lof_neighbors);
  std::vector<std::uint8_t> flagged;
  for (double l : lof) flagged.push_back(l > params.lof_threshold ? 1 : 0);
  std::vector<Vec3> rows{Vec3{}};
  for (const Vec3& v : recipe_replace(pairs, flagged, 50)) rows.push_back(v);
  const auto replaced = compose(rows);
  const auto smoothed = moving_average(replaced, params.radius);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(r.smoothed[i].x, smoothed[i].x);
    const Transform2D expected = correction_to(smoothed[i], replaced[i], params.zoom);
    EXPECT_EQ(r.correction[i].dx, expected.dx);
    EXPECT_EQ(r.correction[i].da, expected.da);
    EXPECT_EQ(r.correction[i].zoom, params.zoom);
  }
}

TEST(PathPlan, NonePolicyIsPlainMovingAverage) {
  const JoltClip clip;
  const PathResult r = plan_path(clip.motions, with_policy(OutlierPolicy::none));
  const auto smoothed = moving_average(r.trajectory, 15);
  for (std::size_t i = 0; i < r.trajectory.size(); ++i) {
    EXPECT_EQ(r.smoothed[i].y, smoothed[i].y);
    EXPECT_EQ(r.radius[i], 15);
    EXPECT_EQ(r.lof[i], 1.0);
    EXPECT_EQ(r.outlier[i], 0);
  }
}

TEST(PathAdaptiveRadii, TentFormula) {
  PathParams p = ma_params();
  const std::size_t n = 400;
  std::vector<double> lof(n, 1.0);
  std::vector<std::uint8_t> flagged(n, 0);
  // Close and overlapping tents, one at the edge, one huge score (clamped to the cap).
  for (const auto& [j, l] : std::vector<std::pair<std::size_t, double>>{
           {0, 2.0}, {100, 1.6}, {110, 4.5}, {130, 1.51}, {300, 1e10}}) {
    lof[j] = l;
    flagged[j] = 1;
  }
  lof[200] = 9.0;  // high score but not flagged: ignored
  const auto r = adaptive_radii(lof, flagged, p);
  ASSERT_EQ(r.size(), n);
  for (std::size_t i = 0; i < n; ++i) {
    long long want = p.radius;
    for (std::size_t j = 0; j < n; ++j) {
      if (!flagged[j]) continue;
      const double rj = std::clamp(std::round(p.adaptive_base * lof[j] / p.lof_threshold),
                                   double(p.adaptive_base), double(p.adaptive_cap));
      want = std::max(want, static_cast<long long>(rj) - std::abs(long(i) - long(j)));
    }
    EXPECT_EQ(r[i], want) << "frame " << i;
    if (i > 0) {
      EXPECT_LE(std::abs(r[i] - r[i - 1]), 1) << "frame " << i;
    }
  }
  EXPECT_EQ(r[110], 150);  // round(50 * 4.5 / 1.5) = 150
  EXPECT_EQ(r[300], 150);  // capped
  EXPECT_EQ(r[130], 130);  // 110's tent (150 - 20) beats its own 50
}

TEST(PathPlan, AdaptiveRadiusIsATentOnRealShake) {
  auto rows = testing::shake_rows(3000, 12);
  for (std::size_t j : {500u, 520u, 1700u, 2990u}) rows[j].y += 30.0 + j % 7;
  const PathResult r = plan_path(to_motions(rows), ma_params());
  int flagged = 0;
  for (std::size_t i = 0; i < r.radius.size(); ++i) {
    EXPECT_GE(r.radius[i], 15);
    if (i > 0) {
      EXPECT_LE(std::abs(r.radius[i] - r.radius[i - 1]), 1) << "frame " << i;
    }
    if (r.outlier[i]) {
      EXPECT_GE(r.radius[i], 50) << "frame " << i;
    }
    flagged += r.outlier[i];
  }
  EXPECT_GE(flagged, 4);
}

// A steady pan (translation only) and a steady roll (rotation about the centre only) are
// straight lines in (x, y, a); a moving average leaves them alone. (Translation *and* roll
// together make the content travel on a circle, which smoothing rightly rounds.)
TEST(PathPlan, ConstantRollIsLeftAlone) {
  const std::vector<Vec3> rows(299, Vec3{0.0, 0.0, 0.002});
  const PathResult r = plan_path(to_motions(rows), with_policy(OutlierPolicy::none));
  for (std::size_t i = 15; i + 15 < r.correction.size(); ++i) {
    EXPECT_NEAR(r.correction[i].dx, 0.0, 1e-9) << "frame " << i;
    EXPECT_NEAR(r.correction[i].da, 0.0, 1e-12) << "frame " << i;
  }
}

TEST(PathPlan, ConstantPanIsLeftAlone) {
  const std::vector<Vec3> rows(299, Vec3{3.0, -1.0, 0.0});
  for (const auto policy : {OutlierPolicy::none, OutlierPolicy::adaptive, OutlierPolicy::recipe}) {
    const PathResult r = plan_path(to_motions(rows), with_policy(policy));
    for (std::size_t i = 15; i + 15 < r.correction.size(); ++i) {
      EXPECT_NEAR(r.correction[i].dx, 0.0, 1e-9) << "frame " << i;
      EXPECT_NEAR(r.correction[i].dy, 0.0, 1e-9) << "frame " << i;
      EXPECT_NEAR(r.correction[i].da, 0.0, 1e-12) << "frame " << i;
    }
    // Near the ends the edge padding pulls the path back: the known cost of "edge" padding.
    EXPECT_GT(r.correction.front().dx, 1.0);
    EXPECT_EQ(std::count(r.outlier.begin(), r.outlier.end(), 1), 0);
  }
}

TEST(PathPlan, InvalidPairsTakeTheirNeighboursMotion) {
  auto motions = to_motions(std::vector<Vec3>(99, Vec3{2.0, 1.0, 0.0}));
  motions[30].da = 0.01;
  motions[10].status = MotionStatus::no_features;
  motions[11].status = MotionStatus::too_few_tracks;
  motions[50].status = MotionStatus::fit_failed;
  motions[70].dx = std::numeric_limits<double>::quiet_NaN();  // "ok" but unusable
  motions[0].dx = 1000.0;                                     // frame 0 is never read
  const PathResult r = plan_path(motions, ma_params());
  EXPECT_EQ(r.invalid_pairs, 4);
  EXPECT_EQ(r.trajectory[0].x, 0.0);
  // Before the roll at pair 30 the composition is a plain sum: the filled pairs moved the
  // camera like their neighbours did, so the pan goes on through the gap.
  for (std::size_t i : {10u, 11u}) {
    EXPECT_DOUBLE_EQ(r.trajectory[i].x - r.trajectory[i - 1].x, 2.0) << "frame " << i;
    EXPECT_DOUBLE_EQ(r.trajectory[i].y - r.trajectory[i - 1].y, 1.0) << "frame " << i;
    EXPECT_EQ(r.trajectory[i].a, r.trajectory[i - 1].a) << "frame " << i;
  }
  const std::vector<Vec3> rows = fill_invalid(motions, r.cut);
  for (std::size_t i : {10u, 11u, 50u, 70u}) {
    EXPECT_EQ(rows[i].x, 2.0) << "pair " << i;
    EXPECT_EQ(rows[i].y, 1.0) << "pair " << i;
    EXPECT_EQ(rows[i].a, 0.0) << "pair " << i;
  }
  for (const auto& c : r.correction) EXPECT_TRUE(std::isfinite(c.dx));
}

TEST(PathPlan, TinyClips) {
  EXPECT_TRUE(plan_path({}, ma_params()).correction.empty());
  for (std::size_t n = 1; n <= 6; ++n) {
    auto rows = testing::shake_rows(n - 1, 13);
    if (n > 2) rows.back().x += 100.0;
    const PathResult r = plan_path(to_motions(rows), ma_params());
    ASSERT_EQ(r.correction.size(), n);
    ASSERT_EQ(r.lof.size(), n);
    EXPECT_EQ(r.lof[0], 1.0);
    if (n - 1 < kMinLofRows) {
      for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(r.lof[i], 1.0) << "n " << n;
    } else {
      // sklearn's k = n - 1: a lone jolt is then everyone's k-th neighbour and scores ~1, so
      // tiny clips are scored but rarely flagged. The scores are still LOF's.
      const auto lof = local_outlier_factor(rows, ma_params().lof_neighbors);
      for (std::size_t i = 1; i < n; ++i) EXPECT_EQ(r.lof[i], lof[i - 1]) << "n " << n;
    }
    for (const auto& c : r.correction) EXPECT_TRUE(std::isfinite(c.dx));
  }
  const PathResult one = plan_path(to_motions({}), ma_params());
  EXPECT_EQ(one.correction[0].dx, 0.0);
}

TEST(PathPlan, RejectsBadParams) {
  const auto motions = to_motions(testing::shake_rows(20, 14));
  auto expect_error = [&](PathParams p, const std::string& problem) {
    try {
      plan_path(motions, p);
      ADD_FAILURE() << "accepted: " << problem;
    } catch (const Error& e) {
      EXPECT_EQ(e.subject(), "path");
      EXPECT_EQ(e.problem(), problem);
    }
  };
  PathParams p = ma_params();
  p.radius = -1;
  expect_error(p, "expected radius >= 0, got -1");
  p = ma_params();
  p.lof_neighbors = 0;
  expect_error(p, "expected lof_neighbors >= 1, got 0");
  p = ma_params();
  p.adaptive_cap = 10;
  expect_error(p, "expected adaptive_cap >= adaptive_base (50), got 10");
}

TEST(PathMovingAverage, VariableRadiiEqualFixedWhenConstant) {
  const auto path = cumulative(testing::shake_rows(500, 15));
  const auto fixed = moving_average(path, 7);
  const auto var = moving_average(path, std::vector<int>(500, 7));
  for (std::size_t i = 0; i < path.size(); ++i) EXPECT_EQ(fixed[i].x, var[i].x);
}

TEST(PathMovingAverage, LongPanKeepsPrecision) {
  // A pan reaching 3.6e7 px: naive prefix sums (~2e12) would be off by ~1e-5 px; the
  // window over a (nearly) linear path must stay on it to the path's own rounding.
  const std::vector<Vec3> rows(108000, Vec3{333.0 + 1.0 / 3.0, 0, 0});
  const auto path = cumulative(rows);
  const auto smoothed = moving_average(path, 15);
  for (std::size_t i = 15; i + 15 < path.size(); i += 97) {
    EXPECT_NEAR(smoothed[i].x, path[i].x, 1e-6) << "frame " << i;
  }
}

}  // namespace
}  // namespace sw::path

namespace sw::path {
namespace {

// Maps p by the similarity (angle a, translation x, y).
Vec3 apply(const Vec3& t, double px, double py) {
  return {std::cos(t.a) * px - std::sin(t.a) * py + t.x,
          std::sin(t.a) * px + std::cos(t.a) * py + t.y, 0};
}

TEST(PathCompose, MatchesStepByStepTransformOfPoints) {
  const auto rows = testing::shake_rows(200, 21);
  std::vector<Vec3> with_first{Vec3{}};
  with_first.insert(with_first.end(), rows.begin(), rows.end());
  const auto path = compose(with_first);
  double px = 123.0, py = -45.0;  // a point of frame 0, followed through every pair
  for (std::size_t i = 1; i < with_first.size(); ++i) {
    const Vec3 q = apply(with_first[i], px, py);
    px = q.x;
    py = q.y;
    const Vec3 direct = apply(path[i], 123.0, -45.0);
    ASSERT_NEAR(direct.x, px, 1e-9) << "frame " << i;
    ASSERT_NEAR(direct.y, py, 1e-9) << "frame " << i;
  }
}

TEST(PathCompose, CorrectionMovesCameraPointToSmoothedPoint) {
  const Vec3 camera{40.0, -12.0, 0.03}, smoothed{35.5, -10.0, 0.01};
  const double zoom = 1.04;
  const Transform2D c = correction_to(smoothed, camera, zoom);
  for (const auto& p : {Vec3{0, 0, 0}, Vec3{100, 50, 0}, Vec3{-300, 20, 0}}) {
    const Vec3 in_frame = apply(camera, p.x, p.y);
    // Transform2D is p' = zoom R(da) p + (dx, dy): scale the rotated part.
    const double rx = std::cos(c.da) * in_frame.x - std::sin(c.da) * in_frame.y;
    const double ry = std::sin(c.da) * in_frame.x + std::cos(c.da) * in_frame.y;
    const Vec3 want = apply(smoothed, p.x, p.y);
    EXPECT_NEAR(zoom * rx + c.dx, zoom * want.x, 1e-9);
    EXPECT_NEAR(zoom * ry + c.dy, zoom * want.y, 1e-9);
  }
}

}  // namespace
}  // namespace sw::path
