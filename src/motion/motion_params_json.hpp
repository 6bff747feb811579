// MotionParams as data (core/param_codec.hpp): the store's analysis description, the MPI job.
#pragma once

#include "core/param_codec.hpp"
#include "motion/estimator.hpp"

namespace sw::motion {

constexpr auto fields_of(const MotionParams*) {
  using P = MotionParams;
  return std::tuple{field("analysis_width", &P::analysis_width),
                    field("max_corners", &P::max_corners),
                    field("quality", &P::quality),
                    field("min_distance_1080p", &P::min_distance_1080p),
                    field("block_size", &P::block_size),
                    field("lk_window_1080p", &P::lk_window_1080p),
                    field("lk_levels", &P::lk_levels),
                    field("min_tracks", &P::min_tracks),
                    field("min_inliers", &P::min_inliers),
                    field("ransac_threshold_px", &P::ransac_threshold_px)};
}
static_assert(all_described<MotionParams>(), "describe every MotionParams field here");

}  // namespace sw::motion
