// Stability score of a video's own frame-to-frame motion, after Liu, Yuan, Tan and Sun,
// "Bundled Camera Paths for Video Stabilization", SIGGRAPH 2013, section 6 (quantitative
// evaluation): "a stable video should have more low-frequency energy in its motion".
//
// Each component of the per-pair motion (dx, dy, da of frame i-1 -> i, i >= 1) is a 1-D signal
// over time. Its power spectrum |X_k|^2 (cv::dft) is taken over k = 1..N/2 (the DC term k = 0
// dropped, the mirrored half of a real signal's spectrum ignored); the score is the energy of
// the 2nd to 6th components counting the DC one as the 1st (k = 1..5) over the energy of
// all k >= 1. Translation = mean of the x and y scores; the overall score is
// min(translation, rotation), as in the paper. 1 = all motion is slow, ~5 / (N/2) = white shake.
//
// Estimator noise floor (our addition, not the paper's): a camera that does not move at all
// has frame-to-frame motion that is nothing but the estimator's sub-pixel noise, which is
// white and would score near 0. A floor energy, that of a signal whose RMS is the estimator's
// resolution, is added to both numerator and denominator: motion far above the floor scores
// exactly as in the paper, motion the estimator cannot resolve counts as stable (score -> 1).
#pragma once

#include <span>

#include "core/types.hpp"

namespace sw::report {

struct StabilityScore {
  double translation = 1;  // mean of the x and y scores
  double rotation = 1;
  double overall = 1;  // min(translation, rotation)
};

// The motion resolution of the analysis: `translation_px` in full-resolution pixels,
// `rotation_rad` the rotation that moves the frame's corners by that much.
struct NoiseFloor {
  double translation_px = 0;
  double rotation_rad = 0;
};

// 0.05 px at the analysis size (a conservative figure for pyramidal LK with RANSAC on a
// downscaled frame) brought to full resolution; rotation from the same distance at the half
// diagonal.
NoiseFloor analysis_noise_floor(int width, int height, int analysis_width);

// `motions[0]` is frame 0 (no pair) and is skipped; invalid pairs count as no motion (a
// measurement does not guess what it could not measure; the path stage interpolates them).
// Fewer than 8 pairs: every score is 1 (too short to have a spectrum worth reading).
StabilityScore stability_score(std::span<const Motion> motions, const NoiseFloor& floor);

// The same for one signal (exposed for tests): low-band energy ratio with the floor's RMS.
double low_frequency_ratio(std::span<const double> signal, double floor_rms);

}  // namespace sw::report
