// The ignore regions as pixels, for the estimator (motion/ignore.hpp is the public side).
#pragma once

#include <opencv2/core.hpp>

#include "motion/estimator.hpp"

namespace sw::motion {

// The measured area of a frame of the given coded size: 8-bit, 255 where motion is measured,
// 0 where it is ignored; empty when nothing is ignored. Throws as check_ignore().
cv::Mat measured_area(const MotionParams& params, int width, int height);

}  // namespace sw::motion
