// The path stage: per-pair motions -> per-frame corrections. Cheap, per-frame numbers only.
//
//   motions[i], i = 1..N-1: pair (i-1 -> i); motions[0] is frame 0 (no pair, zero motion).
//   trajectory[i] = motions[1..i] composed as similarity transforms (see compose(); for
//                   small angles the recipe's cumulative sum of (dx, dy, da)), N rows
//   smoothed[i]   = moving average of trajectory (edge padding), radius r, or r_i for outliers
//   correction[i] = smoothed[i] o trajectory[i]^-1, then the render zoom (see correction_to())
//
// Invalid pairs (status != ok, or non-finite numbers) contribute zero motion (documented
// fallback: the camera is assumed not to have moved across a pair we could not measure) and
// are counted in PathResult::invalid_pairs.
//
// Outlier detection is the Local Outlier Factor (Breunig, Kriegel, Ng, Sander, "LOF:
// Identifying Density-Based Local Outliers", SIGMOD 2000) with scikit-learn 1.2.1's exact
// semantics
// (https://scikit-learn.org/1.2/modules/generated/sklearn.neighbors.LocalOutlierFactor.html), run
// on the N-1 pair rows (dx, dy, da) only. Frame i's score is the score of pair row i. Memory is
// O(N) small rows (plus N*k neighbour ids inside LOF); nothing per pixel.
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
  int radius = 15;  // moving-average half width, frames (window 2r+1); >= 0
  OutlierPolicy outliers = OutlierPolicy::adaptive;
  int lof_neighbors = 20;       // >= 1
  double lof_threshold = 1.5;   // sklearn contamination="auto"; > 0
  int recipe_half_window = 50;  // >= 0
  int adaptive_base = 50;       // half width at the threshold; >= 0
  int adaptive_cap = 150;       // largest half width; >= adaptive_base
  double zoom = 1.04;
};

// LOF needs at least this many pair rows; with fewer (N < 4 frames) no frame is scored
// (every lof is 1, no outliers): with 1 or 2 rows every LOF is 1 by construction anyway.
// Up to lof_neighbors rows LOF runs with k = rows - 1 (sklearn's rule); a lone jolt is then
// every row's k-th neighbour and scores about 1, so clips that short are rarely flagged.
inline constexpr std::size_t kMinLofRows = 3;

// Everything the path stage computes, one row per frame (N rows). The store keeps all of it.
struct PathResult {
  // Raw camera path: the measured motions composed (see compose()), whatever the policy.
  std::vector<Vec3> trajectory;
  // The smoothed path. For `recipe` this is the smoothed *replaced* path, and correction[i] =
  // correction_to(smoothed[i], (composition of the replaced rows)[i]); so trajectory + correction
  // differs from smoothed by exactly the jolts the recipe removed from the measurement (its flaw).
  std::vector<Vec3> smoothed;
  std::vector<double> lof;            // LOF of the frame's pair row (1 for frame 0 / no LOF)
  std::vector<std::uint8_t> outlier;  // 1 iff lof > lof_threshold
  std::vector<int> radius;            // smoothing half width used per frame
  std::vector<Transform2D> correction;
  std::int64_t invalid_pairs = 0;
};

// Throws sw::Error("path", "expected ..., got ...") on out-of-range params.
PathResult plan_path(std::span<const Motion> motions, const PathParams& params);

// --- The building blocks, exposed for tests and for other smoothers. ---

// Cumulative sum down each column (rows are pair motions), length n, summed in row order.
std::vector<Vec3> cumulative(std::span<const Vec3> rows);

// The camera path by composing the pair motions as similarity transforms: T_0 = identity,
// T_i = M_i o T_{i-1} with M_i(q) = R(da_i) q + (dx_i, dy_i). Returns (t_x, t_y, angle) of
// each T_i: a point p of frame 0 appears at R(angle) p + t in frame i. For small angles this
// is the recipe's cumulative sum; composing keeps it exact when the camera has travelled far
// from the frame centre and then rolls.
std::vector<Vec3> compose(std::span<const Vec3> rows);

// The warp that moves frame content from where the camera put it (camera path point T) to
// where the smoothed path wants it (S): C = S o T^-1, then zoom about the centre, as the
// Transform2D render applies (p' = zoom R(da) p + (dx, dy)).
Transform2D correction_to(const Vec3& smoothed, const Vec3& camera, double zoom);

// Box filter of width 2r+1 with "edge" padding (first/last value repeated); radius >= 0.
std::vector<Vec3> moving_average(std::span<const Vec3> path, int radius);

// The same with a half width per row: out[i] = mean of the edge-padded path over
// [i - radii[i], i + radii[i]]. radii.size() == path.size(), every radius >= 0.
std::vector<Vec3> moving_average(std::span<const Vec3> path, std::span<const int> radii);

// Local Outlier Factor with scikit-learn's semantics (n_neighbors=k, Euclidean, the row itself
// excluded, 1e-10 added to the mean reachability distance). Returns the LOF (positive, i.e.
// minus sklearn's negative_outlier_factor_). With rows.size() <= k sklearn uses k = n - 1, and
// so do we. n == 1 returns {1} (sklearn raises). Neighbours tied at equal distance are taken
// in row order. Throws sw::Error for k < 1 or non-finite rows.
std::vector<double> local_outlier_factor(std::span<const Vec3> rows, int k);

// The recipe's replacement: flagged rows become the mean of the original rows in
// [max(0, i-h), min(n-1, i+h)]. flagged.size() == rows.size().
std::vector<Vec3> recipe_replace(std::span<const Vec3> rows, std::span<const std::uint8_t> flagged,
                                 int half_window);

// The adaptive policy's half widths (see path.cpp): R_j = clamp(round(base * lof_j /
// threshold), base, cap) for every flagged j, and r_i = max(radius, max_j (R_j - |i - j|)).
std::vector<int> adaptive_radii(std::span<const double> lof, std::span<const std::uint8_t> flagged,
                                const PathParams& params);

}  // namespace sw::path
