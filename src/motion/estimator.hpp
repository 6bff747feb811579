// Frame-to-frame motion: the recipe's Shi-Tomasi corners + pyramidal Lucas-Kanade + RANSAC
// partial affine, on luma downscaled to an analysis width.
//
// Streaming: push() frames in order; each push after the first returns the Motion of the pair
// (previous -> this). Each frame's LK pyramid is built once and reused as the "previous" of the
// next pair. Memory: two downscaled frames and their pyramids.
//
// Scale rule for the recipe's distances: the recipe's numbers (min distance 30 px, LK window
// 21 px) are meant at 1080p-equivalent scale. They are multiplied by s = analysis_height / 1080
// (short side for portrait: min(w, h) / 1080), with floors so that tiny frames still work
// (min distance >= 3, window >= 9, odd). Corner count, quality and block size are not scaled.
#pragma once

#include <cstdint>
#include <memory>

#include "core/frame.hpp"
#include "core/types.hpp"

namespace sw::motion {

struct MotionParams {
  int analysis_width = 640;   // 0 = full size; never upscales
  int max_corners = 200;
  double quality = 0.01;
  double min_distance_1080p = 30;  // scaled, see above
  int block_size = 3;
  int lk_window_1080p = 21;
  int lk_levels = 3;
  int min_tracks = 8;             // fewer tracked corners -> too_few_tracks
  int min_inliers = 6;            // fewer RANSAC inliers -> fit_failed
  double ransac_threshold_px = 3;  // at analysis scale
  std::uint64_t seed = 0x5717'1a7e'5eedULL;  // RANSAC seed, fixed: results never depend on runs
};

// Downscale factor and analysis size for a frame of the given coded size.
struct AnalysisGeometry {
  int width = 0;
  int height = 0;
  double scale = 1;  // analysis pixels per full-resolution pixel (<= 1)
};
AnalysisGeometry analysis_geometry(int width, int height, int analysis_width);

class MotionEstimator {
 public:
  MotionEstimator(int width, int height, const MotionParams& params);
  ~MotionEstimator();
  MotionEstimator(const MotionEstimator&) = delete;
  MotionEstimator& operator=(const MotionEstimator&) = delete;

  // Feeds the next frame (luma plane used, 8 or 16-bit). Returns the motion of the pair
  // (previous frame -> this frame); for the first frame after construction or reset(),
  // returns a Motion with status first_frame.
  Motion push(const FrameView& frame);

  // Forget the previous frame (start of a new segment).
  void reset();

  const AnalysisGeometry& geometry() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace sw::motion
