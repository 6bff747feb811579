#include "store/memory_backend.hpp"

namespace sw::store {

std::optional<Bytes> MemoryBackend::get(const std::string& key) const {
  validate_key(key, "memory");
  std::lock_guard lock(mutex_);
  const auto it = values_.find(key);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

void MemoryBackend::put(const std::string& key, std::span<const std::uint8_t> bytes) {
  validate_key(key, "memory");
  std::lock_guard lock(mutex_);
  values_[key] = Bytes(bytes.begin(), bytes.end());
}

bool MemoryBackend::exists(const std::string& key) const {
  validate_key(key, "memory");
  std::lock_guard lock(mutex_);
  return values_.contains(key);
}

std::vector<std::string> MemoryBackend::list(const std::string& prefix) const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> keys;
  for (auto it = values_.lower_bound(prefix); it != values_.end(); ++it) {
    if (!it->first.starts_with(prefix)) break;
    keys.push_back(it->first);
  }
  return keys;
}

void MemoryBackend::remove(const std::string& key) {
  validate_key(key, "memory");
  std::lock_guard lock(mutex_);
  values_.erase(key);
}

}  // namespace sw::store
