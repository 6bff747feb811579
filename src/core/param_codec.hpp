// The one JSON codec of every parameter struct. A struct is described once, beside it, by its
// fields in declaration order (in the struct's namespace, so that lookup finds it):
//
//   constexpr auto fields_of(const WarpParams*) {
//     return std::tuple{field("border", &WarpParams::border), ...};
//   }
//   static_assert(sw::all_described<WarpParams>(), "describe every WarpParams field");
//
// and everything that needs the struct as data goes through that list: the store's
// description of a run, the render key (a hash of the whole struct), the MPI job. The
// static_assert compares the list with the struct's field count, so a field added to a struct
// without its row does not build. Enums are written by name (core/names.hpp), described structs
// nest as objects, std::vector fields become arrays of their elements.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <tuple>
#include <type_traits>
#include <vector>

#include "core/error.hpp"
#include "core/names.hpp"

namespace sw {

// One field of a params struct: its name and where it is.
template <typename P, typename T>
struct Field {
  const char* name;
  T P::*member;
};

template <typename P, typename T>
constexpr Field<P, T> field(const char* name, T P::*member) {
  return {name, member};
}

// A struct with a field list (fields_of above).
template <typename P>
concept Described = requires(const P* p) {
  fields_of(p);
};

template <Described P>
constexpr auto field_list() {
  return fields_of(static_cast<const P*>(nullptr));
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

template <typename T>
struct IsVector : std::false_type {};
template <typename T, typename A>
struct IsVector<std::vector<T, A>> : std::true_type {};

}  // namespace detail

// True when P's field list names every field but the last `undescribed` (fields that cannot
// travel, such as a pointer into this process's memory; say why beside the list).
template <Described P>
constexpr bool all_described(std::size_t undescribed = 0) {
  return std::tuple_size_v<decltype(field_list<P>())> + undescribed == detail::field_count<P>();
}

// describe(params, visit) calls visit(name, field) for every field. P may be const.
template <typename P, typename Visit>
void describe(P& p, Visit&& visit) {
  std::apply([&](const auto&... f) { (visit(f.name, p.*(f.member)), ...); },
             field_list<std::remove_const_t<P>>());
}

template <Described P>
nlohmann::json to_json_fields(const P& p);

namespace detail {

// One field's value as JSON (see to_json_fields).
template <typename T>
nlohmann::json value_to_json(const T& value) {
  if constexpr (Described<T>) {
    return to_json_fields(value);
  } else if constexpr (NamedEnum<T>) {
    return std::string(name_of(value));
  } else if constexpr (IsVector<T>::value) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& element : value) a.push_back(value_to_json(element));
    return a;
  } else {
    return value;
  }
}

}  // namespace detail

// The fields as a JSON object: enums as their names, described structs as nested objects.
template <Described P>
nlohmann::json to_json_fields(const P& p) {
  nlohmann::json j = nlohmann::json::object();
  describe(p, [&](const char* name, const auto& field) { j[name] = detail::value_to_json(field); });
  return j;
}

// The inverse of to_json_fields; throws sw::Error(what, ...) on a missing, mistyped or unknown
// field value.
template <Described P>
P from_json_fields(const nlohmann::json& j, const char* what);

namespace detail {

// One field's value from JSON (see from_json_fields); false when it is not of the field's type.
template <typename T>
bool value_from_json(const nlohmann::json& v, T& field, const char* what) {
  if constexpr (Described<T>) {
    field = from_json_fields<T>(v, what);
    return true;
  } else if constexpr (NamedEnum<T>) {
    const auto value = v.is_string() ? value_of<T>(v.get<std::string>()) : std::optional<T>();
    if (value) field = *value;
    return value.has_value();
  } else if constexpr (IsVector<T>::value) {
    if (!v.is_array()) return false;
    field.clear();
    for (const auto& element : v) {
      if (!value_from_json(element, field.emplace_back(), what)) return false;
    }
    return true;
  } else {
    bool fits = false;
    if constexpr (std::is_same_v<T, bool>) {
      fits = v.is_boolean();
    } else if constexpr (std::is_same_v<T, std::string>) {
      fits = v.is_string();
    } else if constexpr (std::is_floating_point_v<T>) {
      fits = v.is_number();
    } else {
      fits = v.is_number_integer();
    }
    if (fits) field = v.get<T>();
    return fits;
  }
}

}  // namespace detail

template <Described P>
P from_json_fields(const nlohmann::json& j, const char* what) {
  P p{};
  describe(p, [&](const char* name, auto& field) {
    const auto it = j.is_object() ? j.find(name) : j.end();
    if (it == j.end() || !detail::value_from_json(*it, field, what))
      throw Error(what, std::string("expected a field '") + name + "' of the right type");
  });
  return p;
}

}  // namespace sw
