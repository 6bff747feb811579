// WarpParams as data (core/param_codec.hpp): the render key, the MPI job.
#pragma once

#include "core/param_codec.hpp"
#include "render/warp.hpp"

namespace sw::render {

constexpr auto fields_of(const WarpParams*) {
  using P = WarpParams;
  return std::tuple{field("border", &P::border), field("fill_radius", &P::fill_radius)};
}
static_assert(all_described<WarpParams>(), "describe every WarpParams field here");

}  // namespace sw::render
