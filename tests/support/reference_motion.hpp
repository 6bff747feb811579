// An estimate of the motion between two frames made with OpenCV alone (Shi-Tomasi corners,
// pyramidal LK, RANSAC partial affine), independent of stillwater's own estimator: what tests
// measure the synthetic truth and the stabilized outputs against.
#pragma once

#include <opencv2/core.hpp>

#include "core/types.hpp"

namespace sw::test {

// The similarity a -> b (a point q of `a` appears at R(da) q + (dx, dy) in `b`), in
// frame-centred coordinates, from 8-bit grey frames. Status ok unless fewer than 20 corners
// were tracked or the fit failed.
Motion reference_motion(const cv::Mat& gray_a, const cv::Mat& gray_b, int max_corners = 1000);

}  // namespace sw::test
