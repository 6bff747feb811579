// The path stage: per-pair motions -> per-frame corrections. Cheap, per-frame numbers only.
//
//   motions[i], i = 1..N-1: pair (i-1 -> i); motions[0] is frame 0 (no pair, zero motion).
//   trajectory[i] = sum_{j<=i} (dx, dy, da) of motions[j]        (raw camera path, N rows)
//   smoothed[i]   = moving average of trajectory (edge padding), radius r, or r_i for outliers
//   correction[i] = smoothed[i] - trajectory[i]  (+ the render zoom)
//
// Invalid pairs (status != ok) contribute zero motion (documented fallback: the camera is
// assumed not to have moved across a pair we could not measure) and are counted.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "core/types.hpp"

namespace sw::path {

struct Vec3 {
  double x = 0, y = 0, a = 0;
};

enum class OutlierPolicy {
  none,      // no LOF
  recipe,    // the original script: flagged pair rows -> mean of rows [i-50, i+50]
  adaptive,  // flagged frames smoothed over a wider window that grows with the LOF score
};

struct PathParams {
  int radius = 15;  // moving-average half width, frames (window 2r+1)
  OutlierPolicy outliers = OutlierPolicy::adaptive;
  int lof_neighbors = 20;
  double lof_threshold = 1.5;      // sklearn contamination="auto"
  int recipe_half_window = 50;
  int adaptive_base = 50;          // half width at the threshold
  int adaptive_cap = 150;          // largest half width
  double zoom = 1.04;
};

// Everything the path stage computes, one row per frame (N rows). The store keeps all of it.
struct PathResult {
  std::vector<Vec3> trajectory;
  std::vector<Vec3> smoothed;
  std::vector<double> lof;         // LOF of the frame's pair row (1 for frame 0 / no LOF)
  std::vector<std::uint8_t> outlier;
  std::vector<int> radius;         // smoothing half width used per frame
  std::vector<Transform2D> correction;
  std::int64_t invalid_pairs = 0;
};

PathResult plan_path(std::span<const Motion> motions, const PathParams& params);

// --- The building blocks, exposed for tests and for other smoothers. ---

// Cumulative sum down each column (rows are pair motions), length n.
std::vector<Vec3> cumulative(std::span<const Vec3> rows);

// Box filter of width 2r+1 with "edge" padding (first/last value repeated).
std::vector<Vec3> moving_average(std::span<const Vec3> path, int radius);

// Local Outlier Factor with scikit-learn's semantics (n_neighbors=k, Euclidean, the row itself
// excluded, 1e-10 added to the mean reachability distance). Returns the LOF (positive, i.e.
// minus sklearn's negative_outlier_factor_). Requires rows.size() > k; with fewer rows sklearn
// uses k = n - 1, and so do we.
std::vector<double> local_outlier_factor(std::span<const Vec3> rows, int k);

// The recipe's replacement: flagged rows become the mean of the original rows in
// [max(0, i-h), min(n-1, i+h)].
std::vector<Vec3> recipe_replace(std::span<const Vec3> rows, std::span<const std::uint8_t> flagged,
                                 int half_window);

}  // namespace sw::path
