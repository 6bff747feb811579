// MotionParams as data (core/param_codec.hpp): the store's analysis description, the MPI job.
#pragma once

#include "core/param_codec.hpp"
#include "motion/estimator.hpp"

namespace sw::motion {

constexpr auto fields_of(const IgnoreRegion*) {
  using R = IgnoreRegion;
  return std::tuple{field("x", &R::x), field("y", &R::y), field("w", &R::w), field("h", &R::h),
                    field("percent", &R::percent)};
}
static_assert(all_described<IgnoreRegion>(), "describe every IgnoreRegion field here");

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
                    field("ransac_threshold_px", &P::ransac_threshold_px),
                    field("ignore", &P::ignore),
                    field("ignore_mask", &P::ignore_mask),
                    field("ignore_mask_sha256", &P::ignore_mask_sha256)};
}
static_assert(all_described<MotionParams>(), "describe every MotionParams field here");

}  // namespace sw::motion
