// sw::store::MemoryBackend: keys and values in a map, for tests and fuzz targets that need a
// store without touching the file system (and without the fsync every LocalBackend::put costs).
#pragma once

#include <map>
#include <mutex>

#include "store/backend.hpp"

namespace sw::store {

class MemoryBackend final : public Backend {
 public:
  std::optional<Bytes> get(const std::string& key) const override;
  void put(const std::string& key, std::span<const std::uint8_t> bytes) override;
  bool exists(const std::string& key) const override;
  std::vector<std::string> list(const std::string& prefix) const override;
  void remove(const std::string& key) override;
  std::string describe(const std::string& key) const override { return "memory:" + key; }

 private:
  mutable std::mutex mutex_;
  std::map<std::string, Bytes> values_;
};

}  // namespace sw::store
