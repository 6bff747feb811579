// plan_path: motions -> trajectory -> LOF on the pair rows -> smoothing policy -> corrections.
//
//   1. rows[0] = 0 (frame 0); rows[i] = (dx, dy, da) of pair i if it is ok and finite, else 0
//      (counted in invalid_pairs). motions[0] itself is never read beyond that.
//   2. trajectory = compose(rows), the raw camera path.
//   3. If the policy is not `none` and there are at least kMinLofRows pair rows, LOF (k =
//      lof_neighbors, or n - 1 when fewer rows) on rows[1..N-1]; frame i gets pair row i's
//      score and is an outlier iff lof > lof_threshold (sklearn's contamination="auto" rule).
//      Zero-filled invalid rows take part: inside a pan they stand out and get the wider
//      window, which also absorbs the step their missing motion leaves in the trajectory.
//   4. smoothed, per policy (see PathParams / OutlierPolicy), and
//      correction[i] = smoothed[i] - base[i], zoom = params.zoom, where base is the trajectory
//      the policy smoothed.
#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.hpp"
#include "path/path.hpp"

namespace sw::path {
namespace {

void check(bool ok, const std::string& expected, const std::string& got) {
  if (!ok) throw Error("path", "expected " + expected + ", got " + got);
}

void validate(const PathParams& p) {
  check(p.radius >= 0, "radius >= 0", std::to_string(p.radius));
  check(p.lof_neighbors >= 1, "lof_neighbors >= 1", std::to_string(p.lof_neighbors));
  check(p.lof_threshold > 0 && std::isfinite(p.lof_threshold), "finite lof_threshold > 0",
        std::to_string(p.lof_threshold));
  check(p.recipe_half_window >= 0, "recipe_half_window >= 0", std::to_string(p.recipe_half_window));
  check(p.adaptive_base >= 0, "adaptive_base >= 0", std::to_string(p.adaptive_base));
  check(p.adaptive_cap >= p.adaptive_base,
        "adaptive_cap >= adaptive_base (" + std::to_string(p.adaptive_base) + ")",
        std::to_string(p.adaptive_cap));
}

bool usable(const Motion& m) {
  return m.valid() && std::isfinite(m.dx) && std::isfinite(m.dy) && std::isfinite(m.da);
}

}  // namespace

std::vector<Vec3> compose(std::span<const Vec3> rows) {
  std::vector<Vec3> path(rows.size());
  Vec3 t;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const double c = std::cos(rows[i].a), s = std::sin(rows[i].a);
    t = {c * t.x - s * t.y + rows[i].x, s * t.x + c * t.y + rows[i].y, t.a + rows[i].a};
    path[i] = t;
  }
  return path;
}

Transform2D correction_to(const Vec3& smoothed, const Vec3& camera, double zoom) {
  // C = S o T^-1 with T(p) = R(T.a) p + T.t and S(p) = R(S.a) p + S.t:
  // C(q) = R(S.a - T.a) (q - T.t) + S.t, then the zoom about the centre on top.
  const double da = smoothed.a - camera.a;
  const double c = std::cos(da), s = std::sin(da);
  const double dx = smoothed.x - (c * camera.x - s * camera.y);
  const double dy = smoothed.y - (s * camera.x + c * camera.y);
  return {zoom * dx, zoom * dy, da, zoom};
}

PathResult plan_path(std::span<const Motion> motions, const PathParams& params) {
  validate(params);
  const std::size_t n = motions.size();
  PathResult res;
  if (n == 0) return res;

  std::vector<Vec3> rows(n);
  for (std::size_t i = 1; i < n; ++i) {
    if (usable(motions[i])) {
      rows[i] = {motions[i].dx, motions[i].dy, motions[i].da};
    } else {
      ++res.invalid_pairs;
    }
  }
  res.trajectory = compose(rows);
  res.lof.assign(n, 1.0);
  res.outlier.assign(n, 0);

  const std::span<const Vec3> pairs = std::span<const Vec3>(rows).subspan(1);
  if (params.outliers != OutlierPolicy::none && pairs.size() >= kMinLofRows) {
    const std::vector<double> score = local_outlier_factor(pairs, params.lof_neighbors);
    for (std::size_t i = 1; i < n; ++i) {
      res.lof[i] = score[i - 1];
      res.outlier[i] = score[i - 1] > params.lof_threshold ? 1 : 0;
    }
  }

  std::vector<Vec3> replaced_path;  // only for `recipe`
  switch (params.outliers) {
    case OutlierPolicy::none:
      res.radius.assign(n, params.radius);
      res.smoothed = moving_average(res.trajectory, params.radius);
      break;
    case OutlierPolicy::recipe: {
      // The original script replaces a flagged pair row by the mean of its neighbourhood
      // before integrating, i.e. it removes the jolt from the *measured* path. The frames
      // still contain the jolt, and the correction (relative to the replaced path) no longer
      // knows about it, so the jolt passes through to the output uncorrected. Kept as the
      // reference behaviour; `adaptive` is the fix.
      std::vector<Vec3> replaced(rows);
      const std::vector<Vec3> fixed = recipe_replace(
          pairs, std::span<const std::uint8_t>(res.outlier).subspan(1), params.recipe_half_window);
      std::copy(fixed.begin(), fixed.end(), replaced.begin() + 1);
      replaced_path = compose(replaced);
      res.radius.assign(n, params.radius);
      res.smoothed = moving_average(replaced_path, params.radius);
      break;
    }
    case OutlierPolicy::adaptive:
      // The jolt stays in the trajectory, so the correction (smoothed - trajectory) cancels it;
      // the wider window only spreads the jolt's step thinly over 2 r_j + 1 frames.
      res.radius = adaptive_radii(res.lof, res.outlier, params);
      res.smoothed = moving_average(res.trajectory, res.radius);
      break;
  }

  const std::vector<Vec3>& base = replaced_path.empty() ? res.trajectory : replaced_path;
  res.correction.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    res.correction[i] = correction_to(res.smoothed[i], base[i], params.zoom);
  }
  return res;
}

}  // namespace sw::path
