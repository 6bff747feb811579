// Smoothers: a shot's camera path in, the path the output should follow out.
//
// A smoother is a pure const function over read-only data (STYLE.md point 8): smooth() reads
// one shot (the frames between two hard cuts) and returns a new path of the same length; it
// keeps no state between calls, so shots, runs and threads cannot influence each other. Each
// smoother has its own typed parameters. The command line picks one by name through the
// name table beside SmootherKind (path.hpp) and smoother.cpp's table of makers (never by
// position, never by self-registration).
//
//   ma     moving average of half width r_i (edge padding), the recipe
//   gauss  Gaussian of std-dev sigma * r_i / radius, truncated at 3 sigma, edge padding
//   l1     the L1-optimal camera path (Grundmann, Kwatra, Essa, "Auto-Directed Video
//          Stabilization with Robust L1 Optimal Camera Paths", CVPR 2011), see l1_smoother.cpp;
//          its crop window chosen per shot unless given (crop_window.cpp)
//
// r_i is the half width the LOF outlier policy gives frame i (PathResult::radius).
#pragma once

#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "path/path.hpp"

namespace sw::path {

// One shot, as a smoother sees it. All spans have the same length (the shot's frames).
struct Shot {
  std::span<const Vec3> camera;           // the camera path (composed trajectory) of the shot
  std::span<const int> radius;            // the outlier policy's half width per frame
  std::span<const std::uint8_t> outlier;  // LOF flags per frame
  FrameSize frame;                        // coded frame size
  // Where each frame's picture is, when that differs from `camera` (repeated frames, see
  // path/repeats.cpp); empty = `camera`. A smoother that keeps the crop window inside the
  // frames (l1) must check it against these.
  std::span<const Vec3> picture = {};
};

class Smoother {
 public:
  virtual ~Smoother() = default;
  virtual std::vector<Vec3> smooth(const Shot& shot) const = 0;
};

struct MaParams {
  int radius = 30;  // the box filter's half width where no outlier widened it
};

struct GaussParams {
  double sigma = 15;  // std-dev in frames where no outlier widened the window
  int radius = 30;    // the policy's base half width: sigma scales with r_i / radius
};

// The L1 path of one shot alone (exposed for tests): minimises w1|D1 Q| + w2|D2 Q| + w3|D3 Q|
// with Q = P - the camera's drift (params.drift_fraction; Q = P when 0) subject to the crop window
// (the output frame shrunk by `crop_zoom`) staying inside every frame, in overlapping windows.
// camera.size() == the shot's frame count. `picture`, when not empty (the same size), is where
// the frames' pictures are, for the crop constraint (Shot::picture); else `camera`.
std::vector<Vec3> l1_path(std::span<const Vec3> camera, const L1Params& params, FrameSize frame,
                          double crop_zoom, std::span<const Vec3> picture = {});

// The stability score (report/stability.hpp's, without the estimator's noise) that a video
// following `path` would have: the low-band share of the path's own frame-to-frame motion.
// 1 for fewer than 8 pairs. See crop_window.cpp.
double predicted_stability(std::span<const Vec3> path, FrameSize frame);

// L1Params::crop_zoom = 0: the L1 path at the smallest window in [min_window, max_zoom] whose
// predicted_stability() gets params.gain_share of the gain the max_zoom window's path gets
// over the camera's (found by bisection); window 1 (the camera path) when no window gains;
// max_zoom when even its path's prediction stays below params.stability_target; window 1
// when the camera's reaches params.steady_score.
struct L1Choice {
  double crop_zoom = 0;
  std::vector<Vec3> path;
};
L1Choice l1_auto_path(std::span<const Vec3> camera, const L1Params& params, FrameSize frame,
                      double max_zoom, std::span<const Vec3> picture = {}, double min_window = 1.0);

// The smallest window l1_auto_path() considers for Crop::fill. Its border costs no field of
// view (it is filled from other frames), so the path always gets room to smooth; with the
// search from 1.0, a shot the prediction calls steady already kept the camera's own path, and
// full frame stabilized nothing (footage 06: stability 0.714, the input's; at 1.1: 0.875).
inline constexpr double kFillMinWindow = 1.1;

// The configured smoother, its params taken from `params`.
std::unique_ptr<Smoother> make_smoother(const PathParams& params);

}  // namespace sw::path
