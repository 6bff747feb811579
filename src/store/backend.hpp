// sw::store::Backend: the byte store under the Zarr layer.
//
// Zarr v2 defines an array as a set of keys in a key/value store ("Storage" section of
// https://zarr.readthedocs.io/en/stable/spec/v2.html): ".zarray", ".zattrs", ".zgroup" and one
// key per chunk, with "/" separating the levels of the hierarchy. This interface is exactly that
// store, so the Zarr code never touches files directly and an S3 backend can be added next to
// LocalBackend without changing it.
//
// Keys are relative, "/"-separated, with no empty, "." or ".." component (validate_key).
// Every method must be safe to call from several threads at once, as long as no two threads
// write the same key: the run store writes different chunks of one array in parallel.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace sw::store {

using Bytes = std::vector<std::uint8_t>;

class Backend {
 public:
  virtual ~Backend() = default;

  // The value stored under key, or nullopt if there is none.
  virtual std::optional<Bytes> get(const std::string& key) const = 0;
  // Stores bytes under key, replacing any previous value. Atomic: a reader (or a crash) sees
  // either the old value or the new one, never part of it.
  virtual void put(const std::string& key, std::span<const std::uint8_t> bytes) = 0;
  virtual bool exists(const std::string& key) const = 0;
  // All keys that start with prefix (plain string prefix, as S3 ListObjects), sorted.
  virtual std::vector<std::string> list(const std::string& prefix) const = 0;
  // Removes key; removing a missing key is not an error.
  virtual void remove(const std::string& key) = 0;
  // Where key lives, for error messages ("/runs/a/motions/.zarray", "s3://bucket/...").
  virtual std::string describe(const std::string& key) const = 0;
};

// Throws sw::Error unless key is a valid relative key (see above); subject names the store.
void validate_key(std::string_view key, const std::string& subject);

// Joins a hierarchy path ("", "run", "run/motions") and a name with "/".
std::string join_key(std::string_view path, std::string_view name);

}  // namespace sw::store
