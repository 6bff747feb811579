// The path stage: per-pair motions -> per-frame corrections. Cheap, per-frame numbers only.
//
//   motions[i], i = 1..N-1: pair (i-1 -> i); motions[0] is frame 0 (no pair, zero motion).
//   trajectory[i] = motions[1..i] composed as similarity transforms (see compose(); for
//                   small angles the recipe's cumulative sum of (dx, dy, da)), N rows
//   cut[i]        = 1 when frame i starts a new shot (a hard scene cut, see detect_cuts())
//   repeat[i]     = 1 when frame i shows frame i-1's picture again (detect_repeats()); its
//                   pair row is zero, and the path is planned with it interpolated between
//                   the distinct frames around it (path/repeats.cpp)
//   smoothed[i]   = the trajectory of frame i's shot, smoothed on its own by the smoother
//                   (path/smoother.hpp: ma, gauss, l1), with the LOF policy's radius r_i
//   correction[i] = smoothed[i] o trajectory[i]^-1, then the zoom the crop mode picks
//                   (path/crop.hpp), see correction_to()
//
// Invalid pairs (status != ok, or non-finite numbers) take the motion interpolated from the
// measured pairs around them in their shot (fill_invalid()), and are counted in
// PathResult::invalid_pairs.
//
// Outlier detection is the Local Outlier Factor (Breunig, Kriegel, Ng, Sander, "LOF:
// Identifying Density-Based Local Outliers", SIGMOD 2000) with scikit-learn 1.2.1's exact
// semantics
// (https://scikit-learn.org/1.2/modules/generated/sklearn.neighbors.LocalOutlierFactor.html), run
// on the N-1 pair rows (dx, dy, da) only. Frame i's score is the score of pair row i. Memory is
// O(N) small rows (plus N*k neighbour ids inside LOF, and one L1 window's LP); nothing per pixel.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "core/names.hpp"
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
inline constexpr Named<OutlierPolicy> kOutlierPolicyNames[] = {
    {OutlierPolicy::adaptive, "adaptive"},
    {OutlierPolicy::recipe, "recipe"},
    {OutlierPolicy::none, "none"}};
constexpr std::span<const Named<OutlierPolicy>> names_of(OutlierPolicy) {
  return kOutlierPolicyNames;
}

// Which smoother turns a shot's camera path into the path the output follows
// (path/smoother.cpp makes each).
enum class SmootherKind {
  ma,     // moving average of half width radius (the recipe)
  gauss,  // Gaussian, sigma frames, truncated at 3 sigma
  l1,     // L1-optimal path under the crop constraint (Grundmann, Kwatra, Essa, CVPR 2011)
};
inline constexpr Named<SmootherKind> kSmootherNames[] = {
    {SmootherKind::ma, "ma"}, {SmootherKind::gauss, "gauss"}, {SmootherKind::l1, "l1"}};
constexpr std::span<const Named<SmootherKind>> names_of(SmootherKind) {
  return kSmootherNames;
}

// How the zoom of each frame is chosen (path/crop.hpp).
enum class Crop {
  automatic,  // one zoom per shot, the smallest that shows no pixel from outside the frame
  adaptive,   // a per-frame zoom, smooth in time, never below the frame's own minimum
  none,       // PathParams::zoom, fixed; outside pixels are filled by the render border mode
  // The path of `automatic` (the l1 smoother keeps its crop window), but the output keeps the
  // fixed PathParams::zoom (1 by default on the command line) and render fills the uncovered
  // pixels from neighbouring frames (render/fill.hpp).
  fill,
};
inline constexpr Named<Crop> kCropNames[] = {{Crop::automatic, "auto"},
                                             {Crop::adaptive, "adaptive"},
                                             {Crop::none, "none"},
                                             {Crop::fill, "fill"}};
constexpr std::span<const Named<Crop>> names_of(Crop) {
  return kCropNames;
}

// The L1 smoother's own parameters (see path/l1_smoother.cpp).
struct L1Params {
  // Weights of |D1 P|, |D2 P|, |D3 P| (the paper's w1, w2, w3, section 3 / eq. 6): constant
  // pieces are cheap, constant-velocity pieces slightly dearer, jerk very dear. The paper's
  // 10, 1, 100 leave sharp corners whose jerk the stability score counts as shake; 3, 1, 300
  // round them (measured on the footage: docs/architecture.md, "Path").
  double w1 = 3, w2 = 1, w3 = 300;
  // Our addition: w0 |P - camera|, a pull towards the camera small enough never to bring
  // shake back (w0 << w1), so that among equally smooth paths the closest one wins.
  double w0 = 0.01;
  int window = 300;  // frames per LP; memory is O(window); >= 10
  int overlap = 60;  // frames shared with the next window; in [3, window / 2]
  // Crop window = the output frame shrunk by this; in [1, PathParams::max_zoom], or 0 =
  // chosen per shot from the shot's motion (l1_auto_path() in path/smoother.hpp).
  double crop_zoom = 0;
  double margin_px = 1;  // slack for the linearised rotation (see l1_smoother.cpp); >= 0
  // Our addition: the objective counts the roughness of the path relative to the camera's
  // slow drift, the camera path under a Gaussian whose std-dev is this fraction of the shot's
  // frames (15..300 frames), so the path follows the shot's slowest motion instead of
  // holding still against it; in [0, 1), 0 = the paper's objective.
  double drift_fraction = 0.05;
  // crop_zoom 0: the smallest window in [1, max_zoom] whose path gets this share of the gain
  // in predicted stability (predicted_stability() in path/smoother.hpp) that the max_zoom
  // window's path gets over the camera's; in (0, 1] (1 = max_zoom, unless a smaller window
  // is as good) ...
  double gain_share = 0.85;
  // ... or max_zoom itself when its path's predicted stability stays below this; in [0, 1];
  double stability_target = 0.6;
  // ... or window 1 (the camera's path) when the camera already predicts this; in (0, 1].
  double steady_score = 0.8;
};

// How much of the unwanted motion each axis removes (path/controls.cpp): the planned path is
// camera + s * (smoothed - camera) per axis of the composed path, each s in [0, 1]; 0 keeps
// the camera's motion on that axis (a = roll).
struct Strength {
  double x = 1, y = 1, a = 1;
};

struct PathParams {
  SmootherKind smoother = SmootherKind::l1;
  int radius = 30;    // moving-average half width, frames (window 2r+1); >= 0
  double sigma = 15;  // Gaussian std-dev, frames; >= 0 (0 = no smoothing)
  L1Params l1;
  OutlierPolicy outliers = OutlierPolicy::adaptive;
  int lof_neighbors = 20;       // >= 1
  double lof_threshold = 1.5;   // sklearn contamination="auto"; > 0
  int recipe_half_window = 50;  // >= 0
  int adaptive_base = 50;       // half width at the threshold; >= 0
  int adaptive_cap = 150;       // largest half width; >= adaptive_base
  Crop crop = Crop::automatic;
  double zoom = 1.04;  // the fixed zoom of Crop::none and Crop::fill; in [1, max_zoom]
  // The largest zoom of any frame in any crop mode, in [1, kMaxZoom]. The L1 window never
  // exceeds it, and a frame whose correction would need more has its correction shrunk
  // towards the camera until it fits (limit_corrections() in path/crop.hpp): steadiness is
  // given up, the picture is never given up to a border. (Below 1 + ~0.2 / width it is raised
  // to what even the identity needs: crop.hpp's edge epsilon.) Crop::fill needs no such
  // limit: what its fixed zoom uncovers is filled from other frames.
  double max_zoom = 1.25;
  int adaptive_crop_radius = 30;  // Crop::adaptive: running-max half width, frames; >= 1
  // Hard cuts (see detect_cuts()): a pair is a cut when its scene score reaches
  // cut_threshold, or cut_threshold_invalid when its motion could not be measured either.
  // cut_threshold <= 0 disables cut detection.
  double cut_threshold = 0.4;
  double cut_threshold_invalid = 0.2;
  // Repeated frames (see detect_repeats()): planned between the distinct frames around them.
  bool repeats = true;
  // Path controls (path/controls.cpp), applied to each shot's path in this order:
  // tripod: the path is one constant per shot (a still view), the smoother is not run.
  bool tripod = false;
  // horizon_lock: the path's angle is constant per shot, so the output's roll is too: the
  // shot's first frame's angle plus horizon_deg (in degrees; the first frame's horizon is
  // tilted by that much counter-clockwise on screen, and the output turns it level); in
  // [-45, 45].
  bool horizon_lock = false;
  double horizon_deg = 0;
  Strength strength;
};

// The coded frame size; the crop modes need it (0 x 0 is fine for Crop::none).
struct FrameSize {
  int width = 0, height = 0;
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
  std::vector<std::uint8_t> cut;      // 1 iff frame i starts a new shot (frame 0 is 0)
  std::vector<std::uint8_t> repeat;   // 1 iff frame i shows frame i-1's picture again
  std::vector<Transform2D> correction;
  // 1 iff the frame's correction was shrunk towards the camera to fit max_zoom
  // (limit_corrections()) so far that its view moved by more than 0.1 px from the planned
  // path: the path could not be held there (with tripod: the frame is not held still).
  // Empty when no frame was, or for a store that predates it.
  std::vector<std::uint8_t> limited;
  std::int64_t invalid_pairs = 0;
};

// Throws sw::Error("path", "expected ..., got ...") on out-of-range params, or when a crop
// mode other than none is asked for without a frame size.
PathResult plan_path(std::span<const Motion> motions, const PathParams& params,
                     FrameSize frame = {});

// --- The building blocks, exposed for tests and for other smoothers. ---

// Path controls (path/controls.cpp), each on one shot's path, in place.
// The still view that needs the least crop: per axis the middle of the range of `picture`
// (the Chebyshev centre, which minimises the largest correction on that axis).
void hold_still(std::span<Vec3> path, std::span<const Vec3> picture);
// Every angle set to the shot's first picture's angle plus `deg` degrees.
void lock_horizon(std::span<Vec3> path, std::span<const Vec3> picture, double deg);
// path = camera + s * (path - camera), per axis.
void apply_strength(std::span<Vec3> path, std::span<const Vec3> camera, const Strength& s);

// Frames with a nonzero flag (PathResult::limited, cut, ...).
std::int64_t count_flags(std::span<const std::uint8_t> flags);

// Cumulative sum down each column (rows are pair motions), length n, summed in row order.
std::vector<Vec3> cumulative(std::span<const Vec3> rows);

// The camera path by composing the pair motions as similarity transforms: T_0 = identity,
// T_i = M_i o T_{i-1} with M_i(q) = R(da_i) q + (dx_i, dy_i). Returns (t_x, t_y, angle) of
// each T_i: a point p of frame 0 appears at R(angle) p + t in frame i. For small angles this
// is the recipe's cumulative sum; composing keeps it exact when the camera has travelled far
// from the frame centre and then rolls.
std::vector<Vec3> compose(std::span<const Vec3> rows);

// The camera path as measured: compose() of the motions' (dx, dy, da), an invalid pair
// (Motion::valid() false) as no motion. Unlike PathResult::trajectory, nothing is filled in:
// the reports' "before" jitter and the metrics read it.
std::vector<Vec3> measured_path(std::span<const Motion> motions);

// The warp that moves frame content from where the camera put it (camera path point T) to
// where the smoothed path wants it (S): C = S o T^-1, then zoom about the centre, as the
// Transform2D render applies (p' = zoom R(da) p + (dx, dy)).
Transform2D correction_to(const Vec3& smoothed, const Vec3& camera, double zoom);

// The inverse of correction_to() at zoom 1: the path point S with C = S o T^-1 (C.zoom is
// ignored).
Vec3 follow(const Transform2D& correction, const Vec3& camera);

// Box filter of width 2r+1 with "edge" padding (first/last value repeated); radius >= 0.
std::vector<Vec3> moving_average(std::span<const Vec3> path, int radius);

// The same with a half width per row: out[i] = mean of the edge-padded path over
// [i - radii[i], i + radii[i]]. radii.size() == path.size(), every radius >= 0.
std::vector<Vec3> moving_average(std::span<const Vec3> path, std::span<const int> radii);

// Gaussian smoothing with a standard deviation per row: out[i] = the edge-padded path
// convolved with a Gaussian of std-dev sigmas[i], truncated at ceil(3 sigma) and normalised
// over the taps. sigmas.size() == path.size(), every sigma >= 0 (0 = the row itself).
std::vector<Vec3> gaussian(std::span<const Vec3> path, std::span<const double> sigmas);

// Hard cuts: cut[i] = 1 (i >= 1) iff motions[i].scene_score >= cut_threshold, or >=
// cut_threshold_invalid when the pair's motion is unusable. A NaN score (unknown) is never a
// cut. All zeros when params.cut_threshold <= 0.
std::vector<std::uint8_t> detect_cuts(std::span<const Motion> motions, const PathParams& params);

// The pair rows the path is built from: rows[0] = 0; rows[i] = (dx, dy, da) of motions[i]
// when it is ok and finite; rows[i] = 0 when repeat[i] (an empty `repeat`: none). A run of
// unusable pairs inside a shot (cut[i] = 1 starts one) is filled linearly between the measured
// rows on either side, repeats left out; a run at a shot's start or end holds its one measured
// neighbour; a shot with none stays zero. An unusable pair across a cut is zero.
// cut.size() == motions.size(). See gaps.cpp.
std::vector<Vec3> fill_invalid(std::span<const Motion> motions, std::span<const std::uint8_t> cut,
                               std::span<const std::uint8_t> repeat = {});

// Repeated frames (path/repeats.cpp): repeat[i] = 1 (i >= 1, not a cut) iff pair i is still
// (its motion moves no corner by more than half a pixel at 640 px analysis width, or was not
// measured) and its picture difference is 0, or at most 0.2 of the largest within 6 pairs and
// at most 1 level.
std::vector<std::uint8_t> detect_repeats(std::span<const Motion> motions,
                                         std::span<const std::uint8_t> cut, FrameSize frame);

// The path in camera time: each run of repeats interpolated linearly between the distinct
// frame it repeats and the next distinct frame of its shot (held when the shot ends first).
std::vector<Vec3> interpolate_repeats(std::span<const Vec3> path,
                                      std::span<const std::uint8_t> repeat,
                                      std::span<const std::uint8_t> cut);

// Where each frame's picture is: a repeat takes the value of the distinct frame it repeats.
std::vector<Vec3> hold_repeats(std::span<const Vec3> path, std::span<const std::uint8_t> repeat);

// Pair rows in camera time: the row of the distinct frame after a run of repeats is shared
// evenly by the run's pairs and its own (a run that ends its shot keeps its zero rows).
std::vector<Vec3> spread_repeats(std::span<const Vec3> rows, std::span<const std::uint8_t> repeat,
                                 std::span<const std::uint8_t> cut);

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
