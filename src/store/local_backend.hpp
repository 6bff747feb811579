// sw::store::LocalBackend: a Zarr v2 "DirectoryStore" (one file per key under a root directory),
// laid out exactly as zarr-python's zarr.storage.DirectoryStore, so zarr-python and Dask open
// the same directory.
//
// Writes are atomic: put() writes the value into a temporary directory beside the target
// (core/temporary.hpp), fsyncs it and renames it onto the key (rename(2) replaces atomically
// within one file system). A crash therefore leaves at most a marked temporary, never a
// half-written chunk or .zarray; get(), exists() and list() ignore temporaries.
//
// Symbolic links inside the store are refused (sw::Error naming the link): no component of a
// key's path below the root may be one, and files are opened with O_NOFOLLOW. The root itself
// may be reached through a link the user made.
#pragma once

#include <filesystem>

#include "store/backend.hpp"

namespace sw::store {

class LocalBackend final : public Backend {
 public:
  // The root need not exist yet: it is created on the first put(), so opening a store for
  // reading never modifies the file system.
  explicit LocalBackend(std::filesystem::path root);

  std::optional<Bytes> get(const std::string& key) const override;
  void put(const std::string& key, std::span<const std::uint8_t> bytes) override;
  bool exists(const std::string& key) const override;
  std::vector<std::string> list(const std::string& prefix) const override;
  void remove(const std::string& key) override;
  std::string describe(const std::string& key) const override;
  // Where key lives; checked as every key is: no component below the root may be a symbolic
  // link (sw::Error otherwise). Never nullopt.
  std::optional<std::filesystem::path> file_path(const std::string& key) const override;
  // True when the root holds nothing but the lock file (a temporary counts: it is someone's).
  bool empty() const override;
  // A StoreLock on the root (store_lock.hpp), which is created if needed; then removes the
  // temporaries dead processes left in the store (core/temporary.hpp).
  std::shared_ptr<void> lock(LockMode mode = LockMode::exclusive) override;

  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path path_of(const std::string& key) const;

  std::filesystem::path root_;
};

}  // namespace sw::store
