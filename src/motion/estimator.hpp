// Frame-to-frame motion: the recipe's Shi-Tomasi corners + pyramidal Lucas-Kanade + RANSAC
// partial affine, on luma downscaled to an analysis width.
//
// Streaming: push() frames in order; each push after the first returns the Motion of the pair
// (previous -> this). Each frame's LK pyramid is built once and reused as the "previous" of the
// next pair. Memory: one downscaled frame and two LK pyramids.
//
// Analysis geometry: the coded width is brought to analysis_width (never upscaled); the height
// keeps the aspect ratio, rounded to an even number, so the x and y factors can differ by a
// fraction of a percent. Points are mapped back to full resolution with each axis' own factor.
//
// Scale rule for the recipe's distances: the recipe's numbers (min distance 30 px, LK window
// 21 px) are meant at 1080p-equivalent scale. They are multiplied by s = analysis_height / 1080
// (short side for portrait: min(w, h) / 1080), with floors so that tiny frames still work
// (min distance >= 3, window >= 9, odd). Corner count, quality and block size are not scaled.
//
// Determinism: every result is a pure function of the frames and the params, the same on every
// run, in every estimator instance and at any OpenCV thread count. RANSAC needs no seed here:
// cv::estimateAffinePartial2D(method = RANSAC) samples from a cv::RNG that
// RANSACPointSetRegistrator::run() constructs on each call with the constant state (uint64)-1
// (OpenCV 4.6, modules/calib3d/src/ptsetreg.cpp); it never reads cv::theRNG(). The motion test
// reseeds cv::theRNG() between runs to prove it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/frame.hpp"
#include "core/types.hpp"
#include "motion/ignore.hpp"

namespace sw::motion {

struct MotionParams {
  int analysis_width = 640;  // 0 = full size; never upscales
  int max_corners = 200;
  double quality = 0.01;
  double min_distance_1080p = 30;  // scaled, see above
  int block_size = 3;
  int lk_window_1080p = 21;  // scaled, see above
  int lk_levels = 3;
  int min_tracks = 8;              // fewer corners -> no_features; fewer tracked -> too_few_tracks
  int min_inliers = 6;             // fewer RANSAC inliers -> fit_failed
  double ransac_threshold_px = 3;  // at analysis scale (converted to full resolution for the fit)
  // Regions no motion is measured from (motion/ignore.hpp): no corner is taken in them, and a
  // point tracked into one is dropped before the fit.
  std::vector<IgnoreRegion> ignore;
  std::string ignore_mask;         // mask image path (black = ignore); empty = none
  std::string ignore_mask_sha256;  // of its bytes, checked by every process that reads it
};

// Downscale factors and analysis size for a frame of the given coded size.
struct AnalysisGeometry {
  int width = 0;
  int height = 0;
  double scale = 1;    // analysis pixels per full-resolution pixel along x (<= 1)
  double scale_y = 1;  // the same along y (differs from `scale` by the even-height rounding)
};
// Throws sw::Error unless width and height are positive.
AnalysisGeometry analysis_geometry(int width, int height, int analysis_width);

class MotionEstimator {
 public:
  // Throws sw::Error if the size is not positive or a parameter is out of range.
  MotionEstimator(int width, int height, const MotionParams& params);
  ~MotionEstimator();
  MotionEstimator(const MotionEstimator&) = delete;
  MotionEstimator& operator=(const MotionEstimator&) = delete;

  // Feeds the next frame (luma plane used, 8 or 16-bit). Returns the motion of the pair
  // (previous frame -> this frame); for the first frame after construction or reset(),
  // returns a Motion with status first_frame. A pair without usable motion has a status other
  // than ok and dx = dy = da = 0, scale = 1. Throws sw::Error if the luma plane is not the
  // size given to the constructor.
  Motion push(const FrameView& frame);

  // Forget the previous frame (start of a new segment).
  void reset();

  const AnalysisGeometry& geometry() const;

  // The 8-bit luma at analysis size of the frame pushed last (for --store-frames luma); valid
  // until the next push() or until that frame's own memory goes away.
  PlaneView analysis_luma() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace sw::motion
