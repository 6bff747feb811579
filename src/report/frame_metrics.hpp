// Per-frame comparisons of a stabilized frame with its input frame, after Liu, Yuan, Tan and
// Sun, "Bundled Camera Paths for Video Stabilization", SIGGRAPH 2013, section 6:
//   cropping ratio: the scale component of the transform fitted between input frame i and
//                   output frame i: how much of the input's field of view is left;
//   distortion:     the anisotropy of that transform's affine part, the ratio of its two
//                   singular values (smaller / larger): 1 = a similarity, no stretching.
// Convention: the transform maps output pixels to input pixels, both about their frame's
// centre ((W-1)/2, (H-1)/2), in full-resolution pixels. A zoom z in the output then gives a
// cropping ratio of 1/z (< 1 when content was cropped away), and an identical copy gives 1.
//
// The fit: Shi-Tomasi corners on the input's luma (at the analysis width), pyramidal
// Lucas-Kanade into the output's luma, then cv::findHomography with RANSAC (the paper fits a
// homography); the affine part is the homography's Jacobian at the centre, H[0:2, 0:2] / H[2,2].
// A frame with fewer than 12 RANSAC inliers is not fitted (ok = false).
//
// Border fill (our estimator): the fraction of a frame's pixels that are a renderer's black
// fill, i.e. black of either range after a lossy encode (Y <= 20, U and V within 4 of 128; ours
// writes limited-range 16, vid.stab full-range 0), in connected regions (4-connectivity, at
// luma resolution, chroma looked up per pixel) that touch the frame's edge.
// Black that is part of the picture and touches the edge (letterbox bars, night sky) counts
// too, which is why `metrics` reports it for the input as well: the difference is what the
// stabilizer added. Fill by --border replicate or mirror is not black and is not seen.
#pragma once

#include <memory>

#include "core/frame.hpp"

namespace sw::report {

struct FrameFit {
  bool ok = false;
  double cropping = 1;    // sqrt(|det A|) of the output -> input affine part A
  double distortion = 1;  // sigma_min / sigma_max of A
  int inliers = 0;
};

// Cropping and distortion of a 2x2 linear map [a b; c d] (output -> input).
FrameFit affine_scores(double a, double b, double c, double d);

class FrameComparer {
 public:
  // Sizes of the input and output frames (they may differ by the odd-size rounding).
  FrameComparer(int in_width, int in_height, int out_width, int out_height, int analysis_width);
  ~FrameComparer();
  FrameComparer(const FrameComparer&) = delete;
  FrameComparer& operator=(const FrameComparer&) = delete;

  // 8-bit luma planes of input frame i and output frame i.
  FrameFit compare(const PlaneView& in_luma, const PlaneView& out_luma);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// The border-fill fraction of an 8-bit planar YUV frame (0..1). Throws sw::Error on deeper
// frames.
double border_fraction(const FrameView& frame);

}  // namespace sw::report
