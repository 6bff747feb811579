// plan_path: motions -> trajectory -> cuts -> LOF on the pair rows -> outlier policy ->
// smoother per shot -> crop zoom -> corrections.
//
//   1. cut = detect_cuts(): frame i starts a new shot. Shots are smoothed on their own, so
//      nothing is averaged across a cut, and the (meaningless) motion measured across the
//      cut never reaches either shot's smoothed path.
//   2. repeat = detect_repeats(): frame i shows frame i-1's picture again (repeats.cpp).
//      rows[0] = 0 (frame 0); rows[i] = (dx, dy, da) of pair i if it is ok and finite, zero
//      for a repeat, else interpolated from the measured pairs around it in its shot
//      (fill_invalid(), gaps.cpp; counted in invalid_pairs). motions[0] itself is never read
//      beyond that.
//   3. trajectory = compose(rows), the raw camera path. From here on the path is planned in
//      camera time: each repeat's row takes its share of the next distinct step
//      (spread_repeats()), and the path the smoother follows has the repeats interpolated
//      between the distinct frames around them (interpolate_repeats()).
//   4. If the policy is not `none` and there are at least kMinLofRows pair rows, LOF (k =
//      lof_neighbors, or n - 1 when fewer rows) on rows[1..N-1]; frame i gets pair row i's
//      score and is an outlier iff lof > lof_threshold (sklearn's contamination="auto" rule),
//      except at a cut: a cut is a new shot, not a jolt to spread over a wider window.
//      Filled invalid rows take part like measured ones.
//   5. The policy gives the base path and the half width r_i per frame (see PathParams /
//      OutlierPolicy); the smoother (path/smoother.hpp) smooths each shot of the base path.
//   6. correction[i] = correction_to(smoothed[i], picture[i], zoom_i), picture[i] = base[i]
//      but for a repeat, whose picture is its distinct frame's (hold_repeats()); the crop mode
//      (path/crop.hpp) picks zoom_i: fixed (none, fill), the smallest constant per shot that
//      shows no outside pixel (automatic), or that per frame, smoothed (adaptive). Before the
//      zoom is picked, a correction that would need more than max_zoom is shrunk towards the
//      camera until it fits (limit_corrections()), and smoothed[i] becomes the path it gives
//      (not for fill: what its fixed zoom uncovers comes from other frames); such frames
//      are flagged in PathResult::limited.
//   Between 5 and 6, the path controls (path/controls.cpp): --tripod replaces the smoother
//   by one constant per shot, --horizon-lock sets the angle, --strength blends each axis
//   back towards the camera.
#include <algorithm>
#include <cmath>
#include <string>

#include "core/error.hpp"
#include "path/crop.hpp"
#include "path/path.hpp"
#include "path/smoother.hpp"

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
  check(p.sigma >= 0 && std::isfinite(p.sigma), "finite sigma >= 0", std::to_string(p.sigma));
  check(p.max_zoom >= 1 && p.max_zoom <= kMaxZoom, "max_zoom in [1, 4]",
        std::to_string(p.max_zoom));
  const std::string up_to = std::to_string(p.max_zoom) + " (max_zoom)";
  check(p.zoom >= 1 && p.zoom <= kMaxZoom, "zoom in [1, 4]", std::to_string(p.zoom));
  check(p.crop != Crop::none || p.zoom <= p.max_zoom, "zoom up to " + up_to,
        std::to_string(p.zoom));
  check(p.l1.crop_zoom == 0 || (p.l1.crop_zoom >= 1 && p.l1.crop_zoom <= p.max_zoom),
        "l1 crop_zoom 0 (auto) or in [1, " + up_to + "]", std::to_string(p.l1.crop_zoom));
  check(p.l1.drift_fraction >= 0 && p.l1.drift_fraction < 1, "l1 drift_fraction in [0, 1)",
        std::to_string(p.l1.drift_fraction));
  check(p.l1.gain_share > 0 && p.l1.gain_share <= 1, "l1 gain_share in (0, 1]",
        std::to_string(p.l1.gain_share));
  check(p.l1.stability_target >= 0 && p.l1.stability_target <= 1, "l1 stability_target in [0, 1]",
        std::to_string(p.l1.stability_target));
  check(p.l1.steady_score > 0 && p.l1.steady_score <= 1, "l1 steady_score in (0, 1]",
        std::to_string(p.l1.steady_score));
  check(p.l1.w0 >= 0 && p.l1.w1 >= 0 && p.l1.w2 >= 0 && p.l1.w3 >= 0, "l1 weights >= 0",
        std::to_string(p.l1.w1) + ", " + std::to_string(p.l1.w2) + ", " + std::to_string(p.l1.w3));
  check(p.l1.margin_px >= 0, "l1 margin_px >= 0", std::to_string(p.l1.margin_px));
  check(p.adaptive_crop_radius >= 1, "adaptive_crop_radius >= 1",
        std::to_string(p.adaptive_crop_radius));
  check(p.horizon_deg >= -45 && p.horizon_deg <= 45, "horizon_deg in [-45, 45]",
        std::to_string(p.horizon_deg));
  for (const double s : {p.strength.x, p.strength.y, p.strength.a})
    check(s >= 0 && s <= 1, "strength in [0, 1] per axis", std::to_string(s));
  check(p.cut_threshold_invalid <= p.cut_threshold || p.cut_threshold <= 0,
        "cut_threshold_invalid <= cut_threshold (" + std::to_string(p.cut_threshold) + ")",
        std::to_string(p.cut_threshold_invalid));
}

// [begin, end) of each shot: a new shot starts at every cut.
std::vector<std::pair<std::size_t, std::size_t>> shots(std::span<const std::uint8_t> cut) {
  std::vector<std::pair<std::size_t, std::size_t>> out;
  std::size_t begin = 0;
  for (std::size_t i = 1; i < cut.size(); ++i) {
    if (cut[i]) {
      out.emplace_back(begin, i);
      begin = i;
    }
  }
  if (!cut.empty()) out.emplace_back(begin, cut.size());
  return out;
}

// A frame whose view max_zoom moved by more than this (pixels, at the frame's corners) from
// the planned path is not held (PathResult::limited). limit_corrections() eases every shrink
// in and out over adaptive_crop_radius frames, which moves frames around a shrunk one by
// hundredths of a pixel: those are still held as far as any viewer can see.
constexpr double kHeldPx = 0.1;

// How far the corners of the view of path point `a` are from those of `b`, at most.
double moved_px(const Vec3& a, const Vec3& b, FrameSize frame) {
  const double half_diagonal = 0.5 * std::hypot(frame.width, frame.height);
  return std::hypot(a.x - b.x, a.y - b.y) + std::abs(a.a - b.a) * half_diagonal;
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

Vec3 follow(const Transform2D& correction, const Vec3& camera) {
  // S = C o T: S(p) = R(da) (R(T.a) p + T.t) + d.
  const double c = std::cos(correction.da), s = std::sin(correction.da);
  return {c * camera.x - s * camera.y + correction.dx, s * camera.x + c * camera.y + correction.dy,
          camera.a + correction.da};
}

PathResult plan_path(std::span<const Motion> motions, const PathParams& params, FrameSize frame) {
  validate(params);
  const bool needs_frame = (params.crop != Crop::none && params.crop != Crop::fill) ||
                           (params.smoother == SmootherKind::l1 && !params.tripod);
  check(!needs_frame || (frame.width >= 2 && frame.height >= 2),
        "a frame size for crop modes other than none and for the l1 smoother",
        std::to_string(frame.width) + "x" + std::to_string(frame.height));
  const std::size_t n = motions.size();
  PathResult res;
  if (n == 0) return res;

  for (std::size_t i = 1; i < n; ++i) res.invalid_pairs += usable(motions[i]) ? 0 : 1;
  res.cut = detect_cuts(motions, params);
  res.repeat =
      params.repeats ? detect_repeats(motions, res.cut, frame) : std::vector<std::uint8_t>(n, 0);
  const std::vector<Vec3> measured_rows = fill_invalid(motions, res.cut, res.repeat);
  res.trajectory = compose(measured_rows);
  // Planned in camera time (path/repeats.cpp): without repeats these are the measured rows.
  const std::vector<Vec3> rows = spread_repeats(measured_rows, res.repeat, res.cut);
  res.lof.assign(n, 1.0);
  res.outlier.assign(n, 0);

  const std::span<const Vec3> pairs = std::span<const Vec3>(rows).subspan(1);
  if (params.outliers != OutlierPolicy::none && pairs.size() >= kMinLofRows) {
    const std::vector<double> score = local_outlier_factor(pairs, params.lof_neighbors);
    for (std::size_t i = 1; i < n; ++i) {
      res.lof[i] = score[i - 1];
      res.outlier[i] = score[i - 1] > params.lof_threshold && !res.cut[i] ? 1 : 0;
    }
  }

  std::vector<Vec3> replaced_path;  // only for `recipe`
  switch (params.outliers) {
    case OutlierPolicy::none:
      res.radius.assign(n, params.radius);
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
      break;
    }
    case OutlierPolicy::adaptive:
      // The jolt stays in the trajectory, so the correction (smoothed - trajectory) cancels it;
      // the wider window only spreads the jolt's step thinly over 2 r_j + 1 frames.
      res.radius = adaptive_radii(res.lof, res.outlier, params);
      break;
  }

  // `base` is the camera path the smoother follows, in camera time; `picture` is where each
  // frame's picture really is (a repeat's is its distinct frame's), which the corrections
  // and the crop are computed against.
  const std::vector<Vec3> picture =
      hold_repeats(replaced_path.empty() ? res.trajectory : replaced_path, res.repeat);
  const std::vector<Vec3> base = interpolate_repeats(picture, res.repeat, res.cut);
  const std::unique_ptr<Smoother> smoother = make_smoother(params);
  res.smoothed.resize(n);
  res.correction.resize(n);
  const std::span<const Vec3> base_span(base), picture_span(picture);
  const std::span<const int> radius_span(res.radius);
  const std::span<const std::uint8_t> outlier_span(res.outlier);
  for (const auto& [b, e] : shots(res.cut)) {
    const std::size_t len = e - b;
    const std::span<Vec3> shot_path(res.smoothed.data() + b, len);
    const std::span<const Vec3> shot_picture = picture_span.subspan(b, len);
    if (params.tripod) {
      hold_still(shot_path, shot_picture);
    } else {
      const std::vector<Vec3> smoothed =
          smoother->smooth({base_span.subspan(b, len), radius_span.subspan(b, len),
                            outlier_span.subspan(b, len), frame, shot_picture});
      std::copy(smoothed.begin(), smoothed.end(), shot_path.begin());
    }
    if (params.horizon_lock) lock_horizon(shot_path, shot_picture, params.horizon_deg);
    apply_strength(shot_path, base_span.subspan(b, len), params.strength);

    // Unzoomed corrections first, held to max_zoom, then the shot's zoom.
    std::vector<double> zoom(len, params.zoom);
    for (std::size_t i = b; i < e; ++i)
      res.correction[i] = correction_to(res.smoothed[i], picture[i], 1.0);
    if (params.crop != Crop::none && params.crop != Crop::fill) {
      const std::span<Transform2D> shot(res.correction.data() + b, len);
      const std::vector<double> kept =
          limit_corrections(shot, frame, params.max_zoom, params.adaptive_crop_radius);
      for (std::size_t i = b; i < e; ++i) {
        // The path the shrunk correction gives: C o picture, with C = S o picture^-1.
        if (kept[i - b] < 1) {
          const Vec3 planned = res.smoothed[i];
          res.smoothed[i] = follow(res.correction[i], picture[i]);
          if (moved_px(planned, res.smoothed[i], frame) > kHeldPx) {
            if (res.limited.empty()) res.limited.assign(n, 0);
            res.limited[i] = 1;
          }
        }
        zoom[i - b] = min_zoom(res.correction[i], frame);
      }
      if (params.crop == Crop::automatic) {
        std::fill(zoom.begin(), zoom.end(), *std::max_element(zoom.begin(), zoom.end()));
      } else {
        zoom = adaptive_zoom(zoom, params.adaptive_crop_radius);
      }
    }
    // As correction_to(smoothed, picture, zoom): the zoom scales the translation.
    for (std::size_t i = b; i < e; ++i) {
      Transform2D& c = res.correction[i];
      const double z = zoom[i - b];
      c = {z * c.dx, z * c.dy, c.da, z};
    }
  }
  return res;
}

std::vector<Vec3> measured_path(std::span<const Motion> motions) {
  std::vector<Vec3> rows;
  rows.reserve(motions.size());
  for (const Motion& m : motions) rows.push_back(m.valid() ? Vec3{m.dx, m.dy, m.da} : Vec3{});
  return compose(rows);
}

}  // namespace sw::path
