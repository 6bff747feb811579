// Crop modes and cut detection: the zoom that hides every border (exactly the smallest one),
// the adaptive zoom's bounds, and shots smoothed on their own.
#include <algorithm>
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "path/crop.hpp"
#include "path/path.hpp"
#include "test_rng.hpp"

namespace sw::path {
namespace {

constexpr FrameSize kFrame{640, 360};

std::vector<Motion> to_motions(const std::vector<Vec3>& pair_rows, double scene = 0.02) {
  std::vector<Motion> m(pair_rows.size() + 1);
  for (std::size_t i = 0; i < pair_rows.size(); ++i) {
    m[i + 1] = {.dx = pair_rows[i].x,
                .dy = pair_rows[i].y,
                .da = pair_rows[i].a,
                .status = MotionStatus::ok,
                .scene_score = scene};
  }
  return m;
}

// Brute force: is every luma output pixel's source (pixel centres, sampled on a grid that
// includes the edges) inside the frame's sample area?
bool every_pixel_inside(const Transform2D& c, FrameSize f) {
  const double hx = (f.width - 1) / 2.0, hy = (f.height - 1) / 2.0;
  const double cs = std::cos(c.da), sn = std::sin(c.da);
  for (int y = 0; y < f.height; y += 7) {
    for (int x = 0; x < f.width; x += 7) {
      for (const auto& [px, py] :
           {std::pair{x, y}, std::pair{f.width - 1, y}, std::pair{x, f.height - 1}}) {
        const double ox = px - hx, oy = py - hy;
        const double vx = (ox - c.dx) / c.zoom, vy = (oy - c.dy) / c.zoom;
        const double qx = cs * vx + sn * vy, qy = -sn * vx + cs * vy;
        if (std::abs(qx) > hx || std::abs(qy) > hy) return false;
      }
    }
  }
  return true;
}

TEST(Crop, MinZoomIsTheSmallestThatCovers) {
  testing::Rng rng(4);
  for (int k = 0; k < 200; ++k) {
    Transform2D c{20 * rng.gauss(), 12 * rng.gauss(), 0.02 * rng.gauss(), 1};
    const double z = min_zoom(c, kFrame);
    Transform2D at{z * c.dx, z * c.dy, c.da, z};
    EXPECT_TRUE(covers(at, kFrame)) << k;
    EXPECT_TRUE(every_pixel_inside(at, kFrame)) << k;
    if (z > 1) {
      const double less = z * (1 - 1e-4);
      EXPECT_FALSE(covers({less * c.dx, less * c.dy, c.da, less}, kFrame)) << k << " zoom " << z;
    }
  }
  EXPECT_LT(min_zoom({0, 0, 0, 1}, kFrame), 1.001) << "only the edge epsilon";
  EXPECT_EQ(min_zoom({400, 0, 0, 1}, kFrame), kMaxZoom) << "half a frame away: cannot be hidden";
}

TEST(Crop, AdaptiveZoomNeverDipsBelowTheMinimumAndMovesSmoothly) {
  testing::Rng rng(9);
  std::vector<double> minimum(300, 1.0);
  for (auto& z : minimum) z = 1.0 + 0.08 * std::abs(rng.gauss());
  minimum[150] = 1.5;  // one jolt
  const auto z = adaptive_zoom(minimum, 30);
  double max_step = 0, peak_step = 0;
  for (std::size_t i = 0; i < z.size(); ++i) {
    EXPECT_GE(z[i], minimum[i]) << i;
    if (i > 0) max_step = std::max(max_step, std::abs(z[i] - z[i - 1]));
    peak_step = std::max(peak_step, std::abs(minimum[i] - (i ? minimum[i - 1] : minimum[i])));
  }
  EXPECT_LT(max_step, 0.1 * peak_step) << "adaptive zoom step " << max_step;
  EXPECT_LT(z[20], 1.45) << "far from the jolt the zoom comes back down";
}

TEST(Crop, AutoAndAdaptivePlansShowNoBorder) {
  auto rows = testing::shake_rows(400, 7, 5.0, 0.004);
  for (auto& r : rows) r.x += 0.5;
  const auto motions = to_motions(rows);
  for (const Crop crop : {Crop::automatic, Crop::adaptive}) {
    for (const SmootherKind s : {SmootherKind::ma, SmootherKind::gauss, SmootherKind::l1}) {
      PathParams p;
      p.crop = crop;
      p.smoother = s;
      const PathResult r = plan_path(motions, p, kFrame);
      double zmax = 0;
      for (std::size_t i = 0; i < r.correction.size(); ++i) {
        ASSERT_TRUE(every_pixel_inside(r.correction[i], kFrame))
            << "crop " << int(crop) << " smoother " << int(s) << " frame " << i;
        zmax = std::max(zmax, r.correction[i].zoom);
      }
      EXPECT_GT(zmax, 1.01) << "the shake needs some zoom";
      if (crop == Crop::automatic) {
        for (const auto& c : r.correction) EXPECT_EQ(c.zoom, zmax) << "one zoom per shot";
      }
    }
  }
}

TEST(Crop, MaxZoomBoundsEveryFrameInEverySmootherAndCropMode) {
  // A random walk of 5 px a frame: the moving average's corrections need zooms far above 1.05.
  const auto motions = to_motions(testing::shake_rows(400, 7, 5.0, 0.004));
  for (const Crop crop : {Crop::automatic, Crop::adaptive}) {
    for (const SmootherKind s : {SmootherKind::ma, SmootherKind::gauss, SmootherKind::l1}) {
      PathParams p;
      p.crop = crop;
      p.smoother = s;
      PathParams bounded = p;
      bounded.max_zoom = 1.05;
      const PathResult free = plan_path(motions, p, kFrame);
      const PathResult r = plan_path(motions, bounded, kFrame);
      double free_max = 0;
      for (const auto& c : free.correction) free_max = std::max(free_max, c.zoom);
      // (l1 chooses its own window, which may need less.)
      if (s != SmootherKind::l1) {
        EXPECT_GT(free_max, 1.06) << "crop " << int(crop) << " smoother " << int(s);
      }
      for (std::size_t i = 0; i < r.correction.size(); ++i) {
        ASSERT_LE(r.correction[i].zoom, 1.05) << "crop " << int(crop) << " smoother " << int(s);
        ASSERT_TRUE(every_pixel_inside(r.correction[i], kFrame))
            << "crop " << int(crop) << " smoother " << int(s) << " frame " << i;
        // smoothed is the path the bounded correction gives.
        const Transform2D c = correction_to(r.smoothed[i], r.trajectory[i], r.correction[i].zoom);
        ASSERT_NEAR(c.dx, r.correction[i].dx, 1e-6) << i;
        ASSERT_NEAR(c.da, r.correction[i].da, 1e-12) << i;
      }
    }
  }
}

TEST(Crop, LimitedCorrectionsShrinkTowardsTheCameraSmoothly) {
  // One jolt the bound cannot hide: the correction around it is given up gradually.
  std::vector<Transform2D> c(181, Transform2D{1, 0, 0, 1});
  c[60] = {60, 0, 0, 1};  // needs about 1 + 2 * 60 / 640 = 1.19
  const std::vector<double> kept = limit_corrections(c, kFrame, 1.1, 30);
  EXPECT_LE(min_zoom(c[60], kFrame), 1.1 * (1 + 1e-9));
  EXPECT_GT(min_zoom(c[60], kFrame), 1.099) << "shrunk no more than needed";
  // The running max reaches +-30 frames, the Gaussian 30 more.
  EXPECT_EQ(kept[121], 1.0) << "far from the jolt nothing is given up";
  EXPECT_EQ(c[121].dx, 1.0);
  double max_step = 0;
  for (std::size_t i = 1; i < kept.size(); ++i)
    max_step = std::max(max_step, std::abs(kept[i] - kept[i - 1]));
  EXPECT_LT(max_step, 0.2 * (1 - kept[60])) << "the share given up moves smoothly";
  // A bound below what even the identity needs is raised to it, not a border.
  std::vector<Transform2D> one{{5, 5, 0.01, 1}};
  limit_corrections(one, kFrame, 1.0, 30);
  EXPECT_TRUE(
      covers({reachable_zoom(1.0, kFrame) * one[0].dx, reachable_zoom(1.0, kFrame) * one[0].dy,
              one[0].da, reachable_zoom(1.0, kFrame)},
             kFrame));
}

TEST(Crop, MaxZoomIsValidated) {
  const auto motions = to_motions(testing::shake_rows(50, 3));
  PathParams p;
  p.max_zoom = 0.9;
  EXPECT_THROW(plan_path(motions, p, kFrame), Error);
  p.max_zoom = 1.1;
  p.l1.crop_zoom = 1.2;
  EXPECT_THROW(plan_path(motions, p, kFrame), Error) << "a crop window above the bound";
  p.l1.crop_zoom = 0;
  p.crop = Crop::none;
  p.zoom = 1.15;
  EXPECT_THROW(plan_path(motions, p, kFrame), Error) << "a fixed zoom above the bound";
}

TEST(Crop, NoneKeepsTheFixedZoomAndShowsBorders) {
  auto rows = testing::shake_rows(200, 8, 6.0, 0.004);
  PathParams p;
  p.crop = Crop::none;
  p.smoother = SmootherKind::ma;
  p.zoom = 1.0;
  const PathResult r = plan_path(to_motions(rows), p, kFrame);
  int outside = 0;
  for (const auto& c : r.correction) {
    EXPECT_EQ(c.zoom, 1.0);
    outside += covers(c, kFrame) ? 0 : 1;
  }
  EXPECT_GT(outside, 100) << "without a crop the shake shows borders";
}

TEST(Crop, NeedsAFrameSize) {
  PathParams p;
  p.crop = Crop::automatic;
  p.smoother = SmootherKind::ma;
  EXPECT_THROW(plan_path(to_motions(testing::shake_rows(10, 1)), p), Error);
}

// A still camera with slight shake and, at frame k, a cut where the tracker matched the two
// shots' unrelated content into a large bogus motion.
struct CutClip {
  static constexpr std::size_t k = 150;
  std::vector<Motion> motions;
  CutClip() {
    // Shake as offsets from a still camera (bounded, unlike summed white rows).
    const auto offsets = testing::shake_rows(300, 12, 0.3, 1e-4);
    std::vector<Vec3> rows(299);
    for (std::size_t i = 0; i < rows.size(); ++i) {
      rows[i] = {offsets[i + 1].x - offsets[i].x, offsets[i + 1].y - offsets[i].y,
                 offsets[i + 1].a - offsets[i].a};
    }
    motions = to_motions(rows);
    motions[k].dx = 120;
    motions[k].dy = -40;
    motions[k].scene_score = 0.8;
  }
};

TEST(Cuts, EachShotIsSmoothedOnItsOwn) {
  const CutClip clip;
  for (const SmootherKind s : {SmootherKind::ma, SmootherKind::gauss, SmootherKind::l1}) {
    PathParams p;
    p.smoother = s;
    p.radius = 30;
    const PathResult with = plan_path(clip.motions, p, kFrame);
    ASSERT_EQ(with.cut[CutClip::k], 1);
    EXPECT_EQ(std::count(with.cut.begin(), with.cut.end(), 1), 1);
    EXPECT_EQ(with.outlier[CutClip::k], 0) << "a cut is not a jolt";
    p.cut_threshold = 0;
    const PathResult without = plan_path(clip.motions, p, kFrame);
    double near_with = 0, near_without = 0;
    for (std::size_t i = CutClip::k - 5; i <= CutClip::k + 5; ++i) {
      const auto& a = with.correction[i];
      const auto& b = without.correction[i];
      near_with = std::max(near_with, std::hypot(a.dx, a.dy) / a.zoom);
      near_without = std::max(near_without, std::hypot(b.dx, b.dy) / b.zoom);
    }
    EXPECT_LT(near_with, 2.0) << "smoother " << int(s) << ": correction near the cut";
    EXPECT_GT(near_without, 20.0) << "smoother " << int(s) << ": without cut detection the "
                                  << "bogus step is smeared over the neighbours";
  }
}

TEST(Cuts, ThresholdsAndUnknownScores) {
  std::vector<Motion> m = to_motions(testing::shake_rows(10, 2));
  for (auto& motion : m) motion.scene_score = 0.02;  // within a shot
  m[2].scene_score = 0.45;                           // usable motion, above cut_threshold: a cut
  m[5].scene_score = 0.25;                           // usable motion, below it: not a cut
  m[8].scene_score = 0.25;  // unusable motion, above cut_threshold_invalid: a cut
  m[8].status = MotionStatus::fit_failed;
  m[10].scene_score = std::nan("");
  PathParams p;
  const auto cut = detect_cuts(m, p);
  EXPECT_EQ(cut, (std::vector<std::uint8_t>{0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0}));
  p.cut_threshold = 0;
  const auto none = detect_cuts(m, p);
  EXPECT_EQ(std::count(none.begin(), none.end(), 1), 0);
}

TEST(Cuts, RunOfHighScoresIsNotACut) {
  // Continuous change (a whip pan through motion blur): every pair scores high, none stands out.
  std::vector<Motion> m = to_motions(testing::shake_rows(10, 3));
  for (auto& motion : m) motion.scene_score = 0.02;
  for (std::size_t i = 3; i <= 6; ++i) {
    m[i].scene_score = 0.5 + 0.05 * static_cast<double>(i);
    m[i].status = MotionStatus::fit_failed;
  }
  const auto cut = detect_cuts(m, PathParams{});
  EXPECT_EQ(std::count(cut.begin(), cut.end(), 1), 0);
}

}  // namespace
}  // namespace sw::path
