// Each parameter struct that reaches another process or a cache key, described once: its
// fields by name, in declaration order. The render key, the store's analysis description and
// the MPI job all go through these descriptions, and each description is checked at compile
// time against the struct's field count, so a field added to a struct cannot be forgotten in
// one of them: the build fails until it is described here.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <tuple>
#include <type_traits>

#include "core/error.hpp"
#include "io/video_transcoder.hpp"
#include "motion/estimator.hpp"
#include "render/warp.hpp"

namespace sw::exec {

// One field of a params struct: its name and where it is.
template <typename P, typename T>
struct Field {
  const char* name;
  T P::*member;
};

// fields<P>(): every field of P, in declaration order.
template <typename P>
constexpr auto fields();

template <>
constexpr auto fields<render::WarpParams>() {
  using P = render::WarpParams;
  return std::tuple{Field<P, render::Border>{"border", &P::border},
                    Field<P, int>{"fill_radius", &P::fill_radius}};
}

template <>
constexpr auto fields<io::EncodeOptions>() {
  using P = io::EncodeOptions;
  return std::tuple{Field<P, std::string>{"encoder", &P::encoder},
                    Field<P, int>{"crf", &P::crf},
                    Field<P, std::string>{"preset", &P::preset},
                    Field<P, int>{"encoder_threads", &P::encoder_threads},
                    Field<P, int>{"gop", &P::gop},
                    Field<P, bool>{"x264_deterministic_simd", &P::x264_deterministic_simd}};
}

template <>
constexpr auto fields<motion::MotionParams>() {
  using P = motion::MotionParams;
  return std::tuple{Field<P, int>{"analysis_width", &P::analysis_width},
                    Field<P, int>{"max_corners", &P::max_corners},
                    Field<P, double>{"quality", &P::quality},
                    Field<P, double>{"min_distance_1080p", &P::min_distance_1080p},
                    Field<P, int>{"block_size", &P::block_size},
                    Field<P, int>{"lk_window_1080p", &P::lk_window_1080p},
                    Field<P, int>{"lk_levels", &P::lk_levels},
                    Field<P, int>{"min_tracks", &P::min_tracks},
                    Field<P, int>{"min_inliers", &P::min_inliers},
                    Field<P, double>{"ransac_threshold_px", &P::ransac_threshold_px}};
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

template <typename P>
constexpr bool all_described() {
  return std::tuple_size_v<decltype(fields<P>())> == field_count<P>();
}

}  // namespace detail

static_assert(detail::all_described<render::WarpParams>(),
              "describe every render::WarpParams field in exec/param_fields.hpp");
static_assert(detail::all_described<io::EncodeOptions>(),
              "describe every io::EncodeOptions field in exec/param_fields.hpp");
static_assert(detail::all_described<motion::MotionParams>(),
              "describe every motion::MotionParams field in exec/param_fields.hpp");

// describe(params, visit) calls visit(name, field) for every field. P may be const.
template <typename P, typename Visit>
void describe(P& p, Visit&& visit) {
  std::apply([&](const auto&... f) { (visit(f.name, p.*(f.member)), ...); },
             fields<std::remove_const_t<P>>());
}

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
