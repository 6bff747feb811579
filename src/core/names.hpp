// One name table per enum, used both ways: the command line parses names with it, --help lists
// them, and the parameter codec (core/param_codec.hpp) writes and reads them.
//
// Beside each enum, in the enum's namespace (so that lookup finds it from anywhere):
//
//   inline constexpr Named<Border> kBorderNames[] = {{Border::black, "black"}, ...};
//   constexpr std::span<const Named<Border>> names_of(Border) { return kBorderNames; }
//
// The first row of a value is its name; a value may have no row only if it is never written.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace sw {

template <typename E>
struct Named {
  E value;
  std::string_view name;
};

// True for an enum with a name table.
template <typename E>
concept NamedEnum = std::is_enum_v<E> && requires(E e) {
  names_of(e);
};

template <NamedEnum E>
constexpr std::string_view name_of(E value) {
  for (const Named<E>& row : names_of(E{}))
    if (row.value == value) return row.name;
  return "?";
}

template <NamedEnum E>
constexpr std::optional<E> value_of(std::string_view name) {
  for (const Named<E>& row : names_of(E{}))
    if (row.name == name) return row.value;
  return std::nullopt;
}

// Every name, in table order (for --help and validation).
template <NamedEnum E>
std::vector<std::string> names() {
  std::vector<std::string> out;
  for (const Named<E>& row : names_of(E{})) out.emplace_back(row.name);
  return out;
}

}  // namespace sw
