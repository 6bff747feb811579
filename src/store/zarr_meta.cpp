#include "store/zarr_meta.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstring>
#include <limits>

#include "core/error.hpp"

namespace sw::store {

// The item bytes in chunks are little-endian ("<" dtypes); we copy them as they are.
static_assert(std::endian::native == std::endian::little,
              "sw::store assumes a little-endian host (Zarr \"<\" dtypes are copied as is)");

namespace {

struct DTypeInfo {
  std::string_view name;
  std::size_t size;
  char kind;  // 'f' float, 'i' signed, 'u' unsigned, 'b' bool (numpy's dtype.kind)
};

constexpr DTypeInfo kDTypes[] = {
    {"<f8", 8, 'f'}, {"<f4", 4, 'f'}, {"<i8", 8, 'i'}, {"<i4", 4, 'i'},
    {"<i2", 2, 'i'}, {"|i1", 1, 'i'}, {"<u8", 8, 'u'}, {"<u4", 4, 'u'},
    {"<u2", 2, 'u'}, {"|u1", 1, 'u'}, {"|b1", 1, 'b'},
};

const DTypeInfo& dtype_info(std::string_view dtype, const std::string& subject) {
  for (const auto& info : kDTypes) {
    if (info.name == dtype) return info;
  }
  throw sw::Error(subject,
                  "unsupported dtype (expected one of <f8 <f4 <i8 <i4 <i2 |i1 <u8 <u4 "
                  "<u2 |u1 |b1, got \"" +
                      std::string(dtype) + "\")");
}

// Brings a fill value into the form zarr-python writes for the dtype ("Fill value encoding"):
// floats as JSON floats (0.0, not 0) or "NaN"/"Infinity"/"-Infinity"; integers as integers in
// the dtype's range; bools as true/false. null stays null.
nlohmann::json normalise_fill(const nlohmann::json& v, const DTypeInfo& dt,
                              const std::string& subject) {
  const auto bad = [&](const std::string& expected) -> nlohmann::json {
    throw sw::Error(subject, "invalid fill_value (expected " + expected + " for dtype \"" +
                                 std::string(dt.name) + "\", got " + json_excerpt(v) + ")");
  };
  if (v.is_null()) return v;
  switch (dt.kind) {
    case 'f': {
      if (v.is_string()) {
        const auto s = v.get<std::string>();
        if (s == "NaN" || s == "Infinity" || s == "-Infinity") return v;
        return bad("a number, \"NaN\", \"Infinity\" or \"-Infinity\"");
      }
      if (!v.is_number()) return bad("a number");
      const double d = v.get<double>();
      if (std::isnan(d)) return "NaN";
      if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
      return nlohmann::json(d);
    }
    case 'i':
    case 'u': {
      if (!v.is_number()) return bad("an integer");
      if (v.is_number_float()) {
        const double d = v.get<double>();
        if (d != std::floor(d)) return bad("an integer");
      }
      const unsigned bits = static_cast<unsigned>(dt.size * 8);
      if (dt.kind == 'u') {
        const double d = v.get<double>();
        const std::uint64_t max =
            bits == 64 ? std::numeric_limits<std::uint64_t>::max() : (std::uint64_t{1} << bits) - 1;
        if (d < 0 ||
            (v.is_number_float() ? d > static_cast<double>(max) : v.get<std::uint64_t>() > max)) {
          return bad("an integer in [0, " + std::to_string(max) + "]");
        }
        return nlohmann::json(v.is_number_float() ? static_cast<std::uint64_t>(d)
                                                  : v.get<std::uint64_t>());
      }
      const std::int64_t max = bits == 64 ? std::numeric_limits<std::int64_t>::max()
                                          : (std::int64_t{1} << (bits - 1)) - 1;
      const std::int64_t min = -max - 1;
      if (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(max)) {
        return bad("an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]");
      }
      const std::int64_t i =
          v.is_number_float() ? static_cast<std::int64_t>(v.get<double>()) : v.get<std::int64_t>();
      if (i < min || i > max) {
        return bad("an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]");
      }
      return nlohmann::json(i);
    }
    default:
      if (v.is_boolean()) return v;
      if (v.is_number_integer() && (v.get<std::int64_t>() == 0 || v.get<std::int64_t>() == 1)) {
        return nlohmann::json(v.get<std::int64_t>() == 1);
      }
      return bad("true or false");
  }
}

std::vector<std::uint64_t> get_dims(const nlohmann::json& j, const char* name, bool positive,
                                    const std::string& subject) {
  const auto it = j.find(name);
  const auto bad = [&]() {
    throw sw::Error(subject, std::string("invalid .zarray (expected \"") + name +
                                 "\" as a list of " + (positive ? "positive" : "non-negative") +
                                 " integers, got " + (it == j.end() ? "none" : json_excerpt(*it)) +
                                 ")");
  };
  if (it == j.end() || !it->is_array()) bad();
  std::vector<std::uint64_t> dims;
  for (const auto& d : *it) {
    if (!d.is_number_integer() || (!d.is_number_unsigned() && d.get<std::int64_t>() < 0)) bad();
    if (positive && d.get<std::uint64_t>() == 0) bad();
    dims.push_back(d.get<std::uint64_t>());
  }
  return dims;
}

// "(5, 12, 10, 3)"
std::string dims_text(const std::vector<std::uint64_t>& dims) {
  std::string s = "(";
  for (std::size_t i = 0; i < dims.size(); ++i) s += (i ? ", " : "") + std::to_string(dims[i]);
  return s + (dims.size() == 1 ? ",)" : ")");
}

// What the metadata claims must be addressable (the array's bytes fit 64 bits) and a chunk
// must fit in memory: chunk buffers are allocated at the size the metadata gives.
void check_sizes(const std::vector<std::uint64_t>& shape, const std::vector<std::uint64_t>& chunks,
                 std::size_t item, const std::string& subject) {
  if (shape.size() > kMaxRank) {
    throw sw::Error(subject, "invalid .zarray (expected at most " + std::to_string(kMaxRank) +
                                 " dimensions, got " + std::to_string(shape.size()) + ")");
  }
  const auto bytes = [&](const std::vector<std::uint64_t>& dims) -> std::optional<std::uint64_t> {
    std::uint64_t n = item;
    for (const auto d : dims) {
      if (d != 0 && n > std::numeric_limits<std::uint64_t>::max() / d) return std::nullopt;
      n *= d;
    }
    return n;
  };
  if (!bytes(shape)) {
    throw sw::Error(subject,
                    "invalid .zarray (expected an array whose size fits 64 bits, got "
                    "shape " +
                        dims_text(shape) + ")");
  }
  const auto chunk = bytes(chunks);
  if (!chunk || *chunk > kMaxChunkBytes) {
    throw sw::Error(subject, "invalid .zarray (expected chunks of at most " +
                                 std::to_string(kMaxChunkBytes >> 20) + " MiB, got chunks " +
                                 dims_text(chunks) + " of " + std::to_string(item) +
                                 "-byte items)");
  }
}

const nlohmann::json& require(const nlohmann::json& j, const char* name,
                              const std::string& subject) {
  const auto it = j.find(name);
  if (it == j.end()) {
    throw sw::Error(subject,
                    std::string("invalid .zarray (expected a \"") + name + "\" key, got none)");
  }
  return *it;
}

}  // namespace

std::size_t dtype_size(std::string_view dtype, const std::string& subject) {
  return dtype_info(dtype, subject).size;
}

ArrayMeta ArrayMeta::make(std::vector<std::uint64_t> shape, std::vector<std::uint64_t> chunks,
                          std::string dtype, Compressor compressor) {
  ArrayMeta m;
  const char kind = dtype_info(dtype, "zarr").kind;
  m.shape = std::move(shape);
  m.chunks = std::move(chunks);
  m.dtype = std::move(dtype);
  m.fill_value = kind == 'f'   ? nlohmann::json(0.0)
                 : kind == 'b' ? nlohmann::json(false)
                               : nlohmann::json(0);
  m.compressor = std::move(compressor);
  return m;
}

ArrayMeta ArrayMeta::from_json(const nlohmann::json& j, const std::string& subject) {
  if (!j.is_object()) {
    throw sw::Error(subject,
                    "invalid .zarray (expected a JSON object, got " + json_excerpt(j) + ")");
  }
  const auto& format = require(j, "zarr_format", subject);
  if (format != 2) {
    throw sw::Error(subject,
                    "unsupported zarr_format (expected 2, got " + json_excerpt(format) + ")");
  }
  ArrayMeta m;
  m.shape = get_dims(j, "shape", false, subject);
  m.chunks = get_dims(j, "chunks", true, subject);
  if (m.shape.size() != m.chunks.size()) {
    throw sw::Error(subject, "invalid .zarray (expected as many chunk sizes as dimensions (" +
                                 std::to_string(m.shape.size()) + "), got " +
                                 std::to_string(m.chunks.size()) + ")");
  }
  const auto& dtype = require(j, "dtype", subject);
  if (!dtype.is_string()) {
    throw sw::Error(subject, "unsupported dtype (expected a simple dtype string, got " +
                                 json_excerpt(dtype) + ")");
  }
  m.dtype = dtype.get<std::string>();
  const DTypeInfo& info = dtype_info(m.dtype, subject);
  check_sizes(m.shape, m.chunks, info.size, subject);
  const auto& order = require(j, "order", subject);
  if (order != "C") {
    throw sw::Error(subject, "unsupported order (expected \"C\", got " + json_excerpt(order) + ")");
  }
  const auto& filters = require(j, "filters", subject);
  if (!filters.is_null() && !(filters.is_array() && filters.empty())) {
    throw sw::Error(subject,
                    "unsupported filters (expected null, got " + json_excerpt(filters) + ")");
  }
  if (const auto it = j.find("dimension_separator"); it != j.end()) {
    if (*it != "." && *it != "/") {
      throw sw::Error(subject, "invalid dimension_separator (expected \".\" or \"/\", got " +
                                   json_excerpt(*it) + ")");
    }
    m.dimension_separator = it->get<std::string>();
  }
  m.compressor = Compressor::from_json(require(j, "compressor", subject), subject);
  m.fill_value = normalise_fill(require(j, "fill_value", subject), info, subject);
  return m;
}

nlohmann::json ArrayMeta::to_json() const {
  const DTypeInfo& info = dtype_info(dtype, "zarr");
  nlohmann::json j = {
      {"chunks", chunks},   {"compressor", compressor.to_json()},
      {"dtype", dtype},     {"fill_value", normalise_fill(fill_value, info, "zarr")},
      {"filters", nullptr}, {"order", order},
      {"shape", shape},     {"zarr_format", 2},
  };
  if (dimension_separator) j["dimension_separator"] = *dimension_separator;
  return j;
}

const std::string& ArrayMeta::separator() const {
  static const std::string dot = ".";
  return dimension_separator ? *dimension_separator : dot;
}

std::string ArrayMeta::to_text() const {
  return zarr_json_text(to_json());
}

Bytes ArrayMeta::fill_bytes() const {
  const DTypeInfo& info = dtype_info(dtype, "zarr");
  // Room for the widest value store() writes (8 bytes); cut to the element's size at the end
  // (little-endian: an integer's low bytes come first).
  Bytes bytes(std::max<std::size_t>(info.size, sizeof(std::uint64_t)), 0);
  const nlohmann::json v = normalise_fill(fill_value, info, "zarr");
  if (v.is_null()) {
    bytes.resize(info.size);
    return bytes;
  }
  const auto store = [&](auto value) { std::memcpy(bytes.data(), &value, sizeof value); };
  switch (info.kind) {
    case 'f': {
      double d = 0;
      if (v.is_string()) {
        d = v == "NaN"        ? std::numeric_limits<double>::quiet_NaN()
            : v == "Infinity" ? std::numeric_limits<double>::infinity()
                              : -std::numeric_limits<double>::infinity();
      } else {
        d = v.get<double>();
      }
      if (info.size == 8)
        store(d);
      else
        store(static_cast<float>(d));
      break;
    }
    case 'i':
      store(v.get<std::int64_t>());
      break;
    case 'u':
      store(v.get<std::uint64_t>());
      break;
    default:
      bytes[0] = v.get<bool>() ? 1 : 0;
  }
  bytes.resize(info.size);
  return bytes;
}

std::string zarr_json_text(const nlohmann::json& j) {
  // Python's json.dumps(indent=4, sort_keys=True, ensure_ascii=True, separators=(',', ': '));
  // nlohmann's objects are sorted maps and dump(4) uses the same separators.
  return j.dump(4, ' ', true, nlohmann::json::error_handler_t::replace);
}

nlohmann::json parse_store_json(std::span<const std::uint8_t> bytes, const std::string& subject,
                                const std::string& what) {
  // The parser itself is iterative, but the serializer (an error message quoting the value)
  // and our own walks recurse: bound the depth while parsing.
  bool too_deep = false;
  const nlohmann::json::parser_callback_t limit = [&](int depth, nlohmann::json::parse_event_t,
                                                      nlohmann::json&) {
    if (depth > kMaxJsonDepth) too_deep = true;
    return !too_deep;
  };
  nlohmann::json j = nlohmann::json::parse(bytes.begin(), bytes.end(), limit, false);
  if (too_deep) {
    throw sw::Error(subject, "invalid " + what + " (expected JSON nested at most " +
                                 std::to_string(kMaxJsonDepth) + " levels deep, got deeper)");
  }
  if (j.is_discarded()) {
    throw sw::Error(subject, "invalid " + what + " (expected JSON, got unparsable text)");
  }
  return j;
}

std::string json_excerpt(const nlohmann::json& j) {
  constexpr std::size_t kMax = 200;
  std::string text = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (text.size() > kMax) text = text.substr(0, kMax) + "...";
  return text;
}

void create_group(Backend& backend, std::string_view path) {
  const std::string text = zarr_json_text({{"zarr_format", 2}});
  backend.put(join_key(path, ".zgroup"),
              std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

bool is_group(const Backend& backend, std::string_view path) {
  return backend.exists(join_key(path, ".zgroup"));
}

nlohmann::json read_attrs(const Backend& backend, std::string_view path) {
  const std::string key = join_key(path, ".zattrs");
  const auto bytes = backend.get(key);
  if (!bytes) return nlohmann::json::object();
  auto j = parse_store_json(*bytes, backend.describe(key), ".zattrs");
  if (!j.is_object()) {
    throw sw::Error(backend.describe(key),
                    "invalid .zattrs (expected a JSON object, got " + json_excerpt(j) + ")");
  }
  return j;
}

void write_attrs(Backend& backend, std::string_view path, const nlohmann::json& attrs) {
  if (!attrs.is_object()) {
    throw sw::Error(std::string(path),
                    "invalid attributes (expected a JSON object, got " + json_excerpt(attrs) + ")");
  }
  const std::string text = zarr_json_text(attrs);
  backend.put(join_key(path, ".zattrs"),
              std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

}  // namespace sw::store
