#include "store/fingerprint.hpp"

#include <cstdint>
#include <filesystem>
#include <vector>

#include "core/error.hpp"
#include "core/sha256.hpp"
#include "store/local_backend.hpp"
#include "store/store_lock.hpp"

namespace sw::store {

std::string zarr_fingerprint(const std::string& array_dir) {
  const LocalBackend backend(array_dir);
  Sha256 hash;
  const auto hash_value = [&](const std::string& key) {
    const auto bytes = backend.get(key);
    const std::uint64_t size = bytes ? bytes->size() : 0;
    hash.update(key.data(), key.size() + 1);  // with its NUL: keys stay apart
    hash.update(&size, sizeof size);
    if (bytes) hash.update(bytes->data(), bytes->size());
  };
  hash_value(".zarray");
  hash_value(".zattrs");
  std::vector<std::string> chunks;
  for (auto& key : backend.list("")) {
    if (!key.starts_with(".z") && key != kLockFileName) chunks.push_back(std::move(key));
  }
  for (const auto& key : chunks) {
    std::error_code ec;
    const std::uint64_t size = std::filesystem::file_size(*backend.file_path(key), ec);
    if (ec) throw Error(backend.describe(key), "cannot read (" + ec.message() + ")");
    hash.update(key.data(), key.size() + 1);
    hash.update(&size, sizeof size);
  }
  if (!chunks.empty()) {
    hash_value(chunks.front());
    hash_value(chunks.back());
  }
  return "sha256:" + hash.hex();
}

}  // namespace sw::store
