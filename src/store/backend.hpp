// sw::store::Backend: the byte store under the Zarr layer.
//
// Zarr v2 defines an array as a set of keys in a key/value store ("Storage" section of
// https://zarr.readthedocs.io/en/stable/spec/v2.html): ".zarray", ".zattrs", ".zgroup" and one
// key per chunk, with "/" separating the levels of the hierarchy. This interface is exactly that
// store, so the Zarr code never touches files directly and an S3 backend can be added next to
// LocalBackend without changing it.
//
// Besides byte values, a backend takes whole files (put_file/get_file): an encoded render piece
// is written by the encoder into a file, not built in memory. A backend whose values are files
// (a directory) says where (file_path), so such a file is written in place and never copied.
//
// Keys are relative, "/"-separated, with no empty, "." or ".." component (validate_key).
// Every method must be safe to call from several threads at once, as long as no two threads
// write the same key: the run store writes different chunks of one array in parallel.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
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

  // --- whole files (defaults go through get/put, holding the value in memory) ---
  // Where key's value lives as a plain local file, when the backend keeps values as files;
  // nullopt otherwise. A file written there by other code is the key's value once complete.
  virtual std::optional<std::filesystem::path> file_path(const std::string& key) const;
  // Stores the content of a local file under key (atomically, as put()).
  virtual void put_file(const std::string& key, const std::filesystem::path& file);
  // Writes key's value into a local file (replaced); throws sw::Error when there is no such key.
  virtual void get_file(const std::string& key, const std::filesystem::path& file) const;

  // --- a store as a whole ---
  // True when nothing is stored at all (the backend's own bookkeeping, such as a lock file,
  // does not count).
  virtual bool empty() const;
  // Holds the store while the returned handle lives: for one writing process (exclusive), or
  // shared among the shards of a job array (exec/shard.hpp), which write only keys of their
  // own or the same bytes, and keep a plain run out while any of them works. Throws sw::Error
  // naming the store when the lock is held in the other mode (or exclusively). Backends that
  // cannot lock (S3 has no lock primitive) return null.
  enum class LockMode { exclusive, shared };
  virtual std::shared_ptr<void> lock(LockMode mode = LockMode::exclusive);
};

// Throws sw::Error unless key is a valid relative key (see above); subject names the store.
void validate_key(std::string_view key, const std::string& subject);

// Joins a hierarchy path ("", "run", "run/motions") and a name with "/".
std::string join_key(std::string_view path, std::string_view name);

}  // namespace sw::store
