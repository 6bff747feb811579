// The smoothers: the Gaussian's pan and impulse response, the smoother table, and the L1
// path's crop guarantee, smoothness against the moving average, and window joins.
#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "path/crop.hpp"
#include "path/path.hpp"
#include "path/smoother.hpp"
#include "test_rng.hpp"

namespace sw::path {
namespace {

constexpr FrameSize kFrame{640, 360};

// A camera that pans 0.5 px/frame right (an eighth of that down) and shakes: AR(1) offsets
// (like tests/support's clips) of `px` per axis and `rad` in angle.
std::vector<Motion> shaky_pan(std::size_t n, std::uint64_t seed, double px = 4,
                              double rad = 0.005) {
  testing::Rng rng(seed);
  std::vector<Vec3> camera(n);
  Vec3 o;
  for (std::size_t i = 0; i < n; ++i) {
    o = {0.5 * o.x + 0.87 * px * rng.gauss(), 0.5 * o.y + 0.87 * px * rng.gauss(),
         0.5 * o.a + 0.87 * rad * rng.gauss()};
    camera[i] = {0.5 * i + o.x, 0.125 * i + o.y, o.a};
  }
  return testing::pair_motions(camera);
}

// The project's jitter measure (report/jitter.hpp) on a path: corner displacement RMS
// against the path's own 31-frame moving average.
double corner_jitter(std::span<const Vec3> p) {
  const auto avg = moving_average(p, 15);
  const double r = std::hypot(kFrame.width, kFrame.height) / 2;
  double sum = 0;
  for (std::size_t i = 0; i < p.size(); ++i) {
    const double ex = p[i].x - avg[i].x, ey = p[i].y - avg[i].y, ea = (p[i].a - avg[i].a) * r;
    sum += ex * ex + ey * ey + ea * ea;
  }
  return std::sqrt(sum / static_cast<double>(p.size()));
}

// The path the viewer sees is the smoothed path (scaled by the zoom, the same for both).
double output_jitter(const PathResult& r) {
  return corner_jitter(r.smoothed);
}

// No LOF policy: the comparison is between smoothers, not outlier treatments.
PathParams params_for(SmootherKind kind, Crop crop) {
  PathParams p;
  p.smoother = kind;
  p.crop = crop;
  p.radius = 30;
  p.outliers = OutlierPolicy::none;
  return p;
}

TEST(Gaussian, KeepsAConstantPan) {
  std::vector<Vec3> pan(300);
  for (std::size_t i = 0; i < pan.size(); ++i) pan[i] = {1e5 + 0.7 * i, -0.2 * i, 1e-4 * i};
  const std::vector<double> sigmas(pan.size(), 8.0);
  const auto out = gaussian(pan, sigmas);
  // Away from the edges (where padding repeats the end value), a pan is a fixed point.
  for (std::size_t i = 25; i + 25 < pan.size(); ++i) {
    EXPECT_NEAR(out[i].x, pan[i].x, 1e-9) << i;
    EXPECT_NEAR(out[i].y, pan[i].y, 1e-9) << i;
    EXPECT_NEAR(out[i].a, pan[i].a, 1e-15) << i;
  }
}

TEST(Gaussian, ImpulseResponseIsTheTruncatedKernel) {
  const double sigma = 4;
  std::vector<Vec3> path(201);
  path[100].x = 1;
  const auto out = gaussian(path, std::vector<double>(path.size(), sigma));
  double total = 0;
  for (int k = -12; k <= 12; ++k) total += std::exp(-0.5 * k * k / (sigma * sigma));
  double sum = 0;
  for (int i = 0; i < 201; ++i) {
    const int k = i - 100;
    const double want = std::abs(k) <= 12 ? std::exp(-0.5 * k * k / (sigma * sigma)) / total : 0;
    EXPECT_NEAR(out[static_cast<std::size_t>(i)].x, want, 1e-15) << "tap " << k;
    sum += out[static_cast<std::size_t>(i)].x;
  }
  EXPECT_NEAR(sum, 1.0, 1e-12) << "the kernel is normalised";
  EXPECT_NEAR(out[100].x, 1 / (sigma * std::sqrt(2 * std::numbers::pi)), 2e-3);
}

TEST(Gaussian, ZeroSigmaIsTheIdentityAndNegativeIsRefused) {
  const auto rows = compose(testing::shake_rows(50, 3));
  const auto out = gaussian(rows, std::vector<double>(rows.size(), 0.0));
  for (std::size_t i = 0; i < rows.size(); ++i) EXPECT_EQ(out[i].x, rows[i].x);
  EXPECT_THROW(gaussian(rows, std::vector<double>(rows.size(), -1.0)), Error);
  EXPECT_THROW(gaussian(rows, std::vector<double>(3, 1.0)), Error);
}

TEST(Gaussian, SigmaFollowsTheOutlierPolicysRadius) {
  // gauss scales sigma by r_i / radius: a frame whose radius doubled is smoothed as a
  // gaussian of twice the sigma.
  const auto path = compose(testing::shake_rows(200, 5, 2.0));
  std::vector<int> radius(path.size(), 15);
  radius[100] = 30;
  GaussParams gp{6, 15};
  PathParams p;
  p.smoother = SmootherKind::gauss;
  p.sigma = gp.sigma;
  p.radius = gp.radius;
  const std::vector<std::uint8_t> flags(path.size(), 0);
  const auto out = make_smoother(p)->smooth({path, radius, flags, kFrame});
  const auto wide = gaussian(path, std::vector<double>(path.size(), 12.0));
  const auto narrow = gaussian(path, std::vector<double>(path.size(), 6.0));
  EXPECT_DOUBLE_EQ(out[100].x, wide[100].x);
  EXPECT_DOUBLE_EQ(out[99].x, narrow[99].x);
}

TEST(SmootherTable, NamesRoundTrip) {
  for (const auto& name : names<SmootherKind>()) {
    const auto kind = value_of<SmootherKind>(name);
    ASSERT_TRUE(kind.has_value()) << name;
    EXPECT_EQ(std::string(name_of(*kind)), name);
    PathParams p;
    p.smoother = *kind;
    EXPECT_NE(make_smoother(p), nullptr) << name;
  }
  EXPECT_FALSE(value_of<SmootherKind>("box").has_value());
  EXPECT_EQ(names<SmootherKind>().size(), 3u);
}

TEST(L1Path, KeepsTheCropWindowInsideEveryFrame) {
  const auto motions = shaky_pan(700, 11);
  const PathResult r = plan_path(motions, params_for(SmootherKind::l1, Crop::automatic), kFrame);
  // The default chooses the window per shot; max_zoom is the largest it can choose.
  ASSERT_EQ(PathParams{}.l1.crop_zoom, 0.0);
  const double budget =
      l1_auto_path(r.trajectory, PathParams{}.l1, kFrame, PathParams{}.max_zoom).crop_zoom;
  EXPECT_LE(budget, PathParams{}.max_zoom);
  EXPECT_GT(budget, 1.01) << "the shake needs a window";
  for (std::size_t i = 0; i < r.correction.size(); ++i) {
    ASSERT_TRUE(covers(r.correction[i], kFrame)) << "frame " << i;
    // The LP kept the budget's crop window inside; the exact zoom is no larger.
    ASSERT_LE(r.correction[i].zoom, budget * (1 + 1e-6)) << "frame " << i;
  }
  // Rendering at the budget zoom with the LP's path, checked with the exact geometry.
  for (std::size_t i = 0; i < r.correction.size(); ++i) {
    ASSERT_TRUE(covers(correction_to(r.smoothed[i], r.trajectory[i], budget), kFrame))
        << "frame " << i;
  }
}

TEST(L1Path, LeavesLessJitterThanTheMovingAverageAtTheSameCrop) {
  const auto motions = shaky_pan(600, 21);
  const PathResult ma = plan_path(motions, params_for(SmootherKind::ma, Crop::automatic), kFrame);
  // The zoom ma needs to hide its borders is the crop window l1 gets.
  PathParams p = params_for(SmootherKind::l1, Crop::automatic);
  p.l1.crop_zoom = ma.correction[0].zoom;
  const PathResult l1 = plan_path(motions, p, kFrame);
  const double input = corner_jitter(ma.trajectory);
  const double j_ma = output_jitter(ma), j_l1 = output_jitter(l1);
  EXPECT_LT(j_l1, j_ma) << "corner jitter: input " << input << " px, ma " << j_ma << " px, l1 "
                        << j_l1 << " px, at zoom " << ma.correction[0].zoom;
  EXPECT_LE(l1.correction[0].zoom, ma.correction[0].zoom * (1 + 1e-6));
}

TEST(L1Path, WindowsJoinAsSmoothlyAsOneWindow) {
  const auto motions = shaky_pan(700, 31);
  std::vector<Vec3> rows;
  for (const Motion& m : motions) rows.push_back({m.dx, m.dy, m.da});
  rows[0] = {};
  const auto camera = compose(rows);
  L1Params one;
  one.window = 1000;
  const L1Params windows;  // the defaults: 300 frames, 60 overlap
  const auto a = l1_path(camera, one, kFrame, 1.2);
  const auto b = l1_path(camera, windows, kFrame, 1.2);
  // The LP's objective: the roughness of the path relative to the camera's drift.
  const auto drift = gaussian(
      camera, std::vector<double>(camera.size(), windows.drift_fraction * double(camera.size())));
  auto cost = [&](const std::vector<Vec3>& p) {
    const double r = std::hypot(kFrame.width, kFrame.height) / 2;
    double c = 0;
    for (std::size_t t = 0; t + 3 < p.size(); ++t) {
      auto at = [&](std::size_t k, int ch) {
        const Vec3 d{p[k].x - drift[k].x, p[k].y - drift[k].y, p[k].a - drift[k].a};
        return ch == 0 ? d.x : ch == 1 ? d.y : d.a * r;
      };
      for (int ch = 0; ch < 3; ++ch) {
        c += windows.w1 * std::abs(at(t + 1, ch) - at(t, ch));
        c += windows.w2 * std::abs(at(t + 2, ch) - 2 * at(t + 1, ch) + at(t, ch));
        c += windows.w3 *
             std::abs(at(t + 3, ch) - 3 * at(t + 2, ch) + 3 * at(t + 1, ch) - at(t, ch));
      }
    }
    return c;
  };
  EXPECT_LT(cost(b), 1.15 * cost(a)) << "one window " << cost(a) << ", windows " << cost(b);
  // The windowed optimum places its kinks differently (about 0.4 px against 0.13 px of
  // residual jitter on this clip); both stay far below the input's.
  EXPECT_LT(corner_jitter(b), 0.6)
      << "windowed " << corner_jitter(b) << " px, one window " << corner_jitter(a) << " px";
  for (std::size_t i = 0; i < b.size(); ++i) {
    ASSERT_TRUE(covers(correction_to(b[i], camera[i], 1.2), kFrame)) << "frame " << i;
  }
}

TEST(L1Path, RefusesBadWindows) {
  const auto camera = compose(testing::shake_rows(20, 1));
  L1Params p;
  p.overlap = 2;
  EXPECT_THROW(l1_path(camera, p, kFrame, 1.2), Error);
  p = {};
  EXPECT_THROW(l1_path(camera, p, {}, 1.2), Error);
}

}  // namespace
}  // namespace sw::path
