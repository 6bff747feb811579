// Zarr v2 metadata: ".zarray" (ArrayMeta), ".zgroup" and ".zattrs", read and written exactly as
// zarr-python 2.13 does (JSON, indent 4, keys sorted, ASCII only, no trailing newline), so that
// our ".zarray" for an array is byte-for-byte the one zarr-python writes for it.
//
// Spec: https://zarr.readthedocs.io/en/stable/spec/v2.html, sections "Metadata" (the .zarray
// keys), "Data type encoding", "Fill value encoding" (NaN, Infinity and -Infinity are the
// strings "NaN", "Infinity", "-Infinity"), "Chunk keys" and "Groups"/"Attributes".
//
// Supported subset (anything else is rejected with an sw::Error naming the file):
//   dtype  "<f8" "<f4" "<i8" "<i4" "<i2" "|i1" "<u8" "<u4" "<u2" "|u1" "|b1" (little-endian only)
//   order  "C";  filters null (or []);  dimension_separator absent ("."), "." or "/".
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include <nlohmann/json.hpp>

#include "store/backend.hpp"
#include "store/codec.hpp"

namespace sw::store {

// Item size in bytes of a supported dtype; throws sw::Error(subject, ...) otherwise.
std::size_t dtype_size(std::string_view dtype, const std::string& subject);

// The Zarr dtype of a C++ element type (typed access checks against it).
template <class T>
constexpr std::string_view dtype_of() {
  if constexpr (std::is_same_v<T, double>)
    return "<f8";
  else if constexpr (std::is_same_v<T, float>)
    return "<f4";
  else if constexpr (std::is_same_v<T, std::int64_t>)
    return "<i8";
  else if constexpr (std::is_same_v<T, std::int32_t>)
    return "<i4";
  else if constexpr (std::is_same_v<T, std::int16_t>)
    return "<i2";
  else if constexpr (std::is_same_v<T, std::int8_t>)
    return "|i1";
  else if constexpr (std::is_same_v<T, std::uint64_t>)
    return "<u8";
  else if constexpr (std::is_same_v<T, std::uint32_t>)
    return "<u4";
  else if constexpr (std::is_same_v<T, std::uint16_t>)
    return "<u2";
  else if constexpr (std::is_same_v<T, std::uint8_t>)
    return "|u1";
  else if constexpr (std::is_same_v<T, bool>)
    return "|b1";
  else
    static_assert(sizeof(T) == 0, "no Zarr dtype for this C++ type");
}

// The parsed ".zarray" of one array.
struct ArrayMeta {
  std::vector<std::uint64_t> shape;
  std::vector<std::uint64_t> chunks;
  std::string dtype = "<f8";
  // As in the JSON: a number, a bool, "NaN"/"Infinity"/"-Infinity", or null (no fill value;
  // missing chunks then read as zeros). Normalised on output (see to_json).
  nlohmann::json fill_value = 0.0;
  std::string order = "C";
  Compressor compressor = Compressor::blosc();
  // zarr-python writes the key only when the separator was given explicitly (it stores None
  // otherwise, and dask.array.to_zarr never gives it), so absent and "." are kept apart to
  // reproduce its .zarray text exactly; both mean chunk keys "0.0".
  std::optional<std::string> dimension_separator;

  // A new array's metadata with zarr-python's defaults: fill 0 of the dtype's kind (0.0, 0 or
  // false) and Blosc lz4 unless given.
  static ArrayMeta make(std::vector<std::uint64_t> shape, std::vector<std::uint64_t> chunks,
                        std::string dtype, Compressor compressor = Compressor::blosc());

  // Parses and validates a .zarray document; subject names the file for errors.
  static ArrayMeta from_json(const nlohmann::json& j, const std::string& subject);
  nlohmann::json to_json() const;
  // The exact .zarray text zarr-python writes for this metadata.
  std::string to_text() const;

  // The fill value as one item's bytes (little-endian), for padding and missing chunks.
  Bytes fill_bytes() const;

  // The separator in effect: "." unless "/" was given.
  const std::string& separator() const;

  // Equal when both serialise to the same .zarray (fill values compare after normalising, so
  // a NaN fill equals "NaN"). This is the resume check: stored metadata == requested.
  bool operator==(const ArrayMeta& other) const { return to_json() == other.to_json(); }
};

// Limits on what metadata from a store may claim, so that hostile bytes cannot make us
// allocate or loop without bound (a 150-byte .zarray must not ask for gigabytes).
inline constexpr int kMaxJsonDepth = 64;                        // nesting of arrays and objects
inline constexpr std::size_t kMaxRank = 32;                     // numpy's limit on dimensions
inline constexpr std::uint64_t kMaxChunkBytes = 1ull << 30;     // one decoded chunk
inline constexpr std::uint64_t kMaxInMemoryBytes = 1ull << 30;  // a whole array read at once

// JSON text as zarr-python's json_dumps writes it (indent 4, sorted keys, ASCII). Strings
// that are not valid UTF-8 (a file name from the user) are written with U+FFFD in place of
// the bad bytes rather than failing.
std::string zarr_json_text(const nlohmann::json& j);

// Parses JSON read from a store; nesting deeper than kMaxJsonDepth or unparsable text throws
// sw::Error(subject, "invalid WHAT (...)").
nlohmann::json parse_store_json(std::span<const std::uint8_t> bytes, const std::string& subject,
                                const std::string& what);

// A JSON value as error messages quote it: at most 200 characters, bad UTF-8 replaced.
std::string json_excerpt(const nlohmann::json& j);

// Groups (spec "Groups"): a ".zgroup" {"zarr_format": 2} at path ("" is the store root).
void create_group(Backend& backend, std::string_view path);
bool is_group(const Backend& backend, std::string_view path);

// User attributes (spec "Attributes"): ".zattrs" of an array or group; {} when absent.
nlohmann::json read_attrs(const Backend& backend, std::string_view path);
void write_attrs(Backend& backend, std::string_view path, const nlohmann::json& attrs);

}  // namespace sw::store
