// PathParams as data (core/param_codec.hpp): the store's path description (a store resumes its
// path only under the same one).
#pragma once

#include "core/param_codec.hpp"
#include "path/path.hpp"

namespace sw::path {

constexpr auto fields_of(const L1Params*) {
  using P = L1Params;
  return std::tuple{field("w1", &P::w1),
                    field("w2", &P::w2),
                    field("w3", &P::w3),
                    field("w0", &P::w0),
                    field("window", &P::window),
                    field("overlap", &P::overlap),
                    field("crop_zoom", &P::crop_zoom),
                    field("margin_px", &P::margin_px),
                    field("drift_fraction", &P::drift_fraction),
                    field("gain_share", &P::gain_share),
                    field("stability_target", &P::stability_target),
                    field("steady_score", &P::steady_score)};
}
static_assert(all_described<L1Params>(), "describe every L1Params field here");

constexpr auto fields_of(const Strength*) {
  using S = Strength;
  return std::tuple{field("x", &S::x), field("y", &S::y), field("a", &S::a)};
}
static_assert(all_described<Strength>(), "describe every Strength field here");

constexpr auto fields_of(const PathParams*) {
  using P = PathParams;
  return std::tuple{field("smoother", &P::smoother),
                    field("radius", &P::radius),
                    field("sigma", &P::sigma),
                    field("l1", &P::l1),
                    field("outliers", &P::outliers),
                    field("lof_neighbors", &P::lof_neighbors),
                    field("lof_threshold", &P::lof_threshold),
                    field("recipe_half_window", &P::recipe_half_window),
                    field("adaptive_base", &P::adaptive_base),
                    field("adaptive_cap", &P::adaptive_cap),
                    field("crop", &P::crop),
                    field("zoom", &P::zoom),
                    field("max_zoom", &P::max_zoom),
                    field("adaptive_crop_radius", &P::adaptive_crop_radius),
                    field("cut_threshold", &P::cut_threshold),
                    field("cut_threshold_invalid", &P::cut_threshold_invalid),
                    field("repeats", &P::repeats),
                    field("tripod", &P::tripod),
                    field("horizon_lock", &P::horizon_lock),
                    field("horizon_deg", &P::horizon_deg),
                    field("strength", &P::strength)};
}
static_assert(all_described<PathParams>(), "describe every PathParams field here");

}  // namespace sw::path
