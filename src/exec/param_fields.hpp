// Each parameter struct that reaches another process or a cache key, described once: its
// fields by name, in declaration order. The render key, the store's analysis description and
// the MPI job all go through these descriptions, and each description is checked at compile
// time against the struct's field count, so a field added to a struct cannot be forgotten in
// one of them: the build fails until it is described here.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>

#include "core/error.hpp"
#include "io/video_transcoder.hpp"
#include "motion/estimator.hpp"
#include "render/warp.hpp"

namespace sw::exec {

// describe(params, visit) calls visit(name, field) for every field. P may be const.
template <typename P, typename Visit>
requires std::is_same_v<std::remove_const_t<P>, render::WarpParams>
constexpr void describe(P& p, Visit&& visit) {
  visit("border", p.border);
}

template <typename P, typename Visit>
requires std::is_same_v<std::remove_const_t<P>, io::EncodeOptions>
constexpr void describe(P& p, Visit&& visit) {
  visit("encoder", p.encoder);
  visit("crf", p.crf);
  visit("preset", p.preset);
  visit("encoder_threads", p.encoder_threads);
  visit("gop", p.gop);
  visit("x264_deterministic_simd", p.x264_deterministic_simd);
}

template <typename P, typename Visit>
requires std::is_same_v<std::remove_const_t<P>, motion::MotionParams>
constexpr void describe(P& p, Visit&& visit) {
  visit("analysis_width", p.analysis_width);
  visit("max_corners", p.max_corners);
  visit("quality", p.quality);
  visit("min_distance_1080p", p.min_distance_1080p);
  visit("block_size", p.block_size);
  visit("lk_window_1080p", p.lk_window_1080p);
  visit("lk_levels", p.lk_levels);
  visit("min_tracks", p.min_tracks);
  visit("min_inliers", p.min_inliers);
  visit("ransac_threshold_px", p.ransac_threshold_px);
}

namespace detail {

// Converts to anything: T{AnyField{}, ...} compiles for up to as many fields as T has.
struct AnyField {
  template <typename T>
  operator T() const;
};

template <typename T, typename... Fields>
constexpr std::size_t field_count() {
  if constexpr (requires { T{Fields{}..., AnyField{}}; }) {
    return field_count<T, Fields..., AnyField>();
  } else {
    return sizeof...(Fields);
  }
}

// Counts the fields a description visits.
struct CountFields {
  std::size_t count = 0;
  template <typename V>
  constexpr void operator()(const char*, V&) {
    ++count;
  }
};

template <typename P>
constexpr std::size_t described_fields() {
  P p{};
  CountFields c;
  describe(p, c);
  return c.count;
}

}  // namespace detail

static_assert(detail::described_fields<render::WarpParams>() ==
                  detail::field_count<render::WarpParams>(),
              "describe every render::WarpParams field in exec/param_fields.hpp");
static_assert(detail::described_fields<io::EncodeOptions>() ==
                  detail::field_count<io::EncodeOptions>(),
              "describe every io::EncodeOptions field in exec/param_fields.hpp");
static_assert(detail::described_fields<motion::MotionParams>() ==
                  detail::field_count<motion::MotionParams>(),
              "describe every motion::MotionParams field in exec/param_fields.hpp");

// The fields as a JSON object (enums as their numbers).
template <typename P>
nlohmann::json to_json_fields(const P& p) {
  nlohmann::json j = nlohmann::json::object();
  describe(p, [&](const char* name, const auto& field) { j[name] = field; });
  return j;
}

// The inverse of to_json_fields; throws sw::Error(what, ...) on a missing or mistyped field.
template <typename P>
P from_json_fields(const nlohmann::json& j, const char* what) {
  P p{};
  describe(p, [&](const char* name, auto& field) {
    using T = std::remove_reference_t<decltype(field)>;
    const auto it = j.is_object() ? j.find(name) : j.end();
    bool fits = it != j.end();
    if constexpr (std::is_same_v<T, bool>) {
      fits = fits && it->is_boolean();
    } else if constexpr (std::is_same_v<T, std::string>) {
      fits = fits && it->is_string();
    } else if constexpr (std::is_floating_point_v<T>) {
      fits = fits && it->is_number();
    } else {
      fits = fits && it->is_number_integer();
    }
    if (!fits) throw Error(what, std::string("expected a field '") + name + "' of the right type");
    field = it->template get<T>();
  });
  return p;
}

}  // namespace sw::exec
