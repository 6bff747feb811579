#include "io/byte_source.hpp"

#include <mutex>
#include <utility>
#include <vector>

namespace sw::io {

namespace {

struct Openers {
  std::mutex mutex;
  std::vector<std::pair<std::string, ByteSourceOpener>> by_prefix;
};

Openers& openers() {
  static Openers table;
  return table;
}

ByteSourceOpener find(const std::string& name) {
  Openers& t = openers();
  std::lock_guard lock(t.mutex);
  for (const auto& [prefix, opener] : t.by_prefix) {
    if (name.starts_with(prefix)) return opener;
  }
  return {};
}

}  // namespace

void set_url_opener(const std::string& prefix, ByteSourceOpener opener) {
  Openers& t = openers();
  std::lock_guard lock(t.mutex);
  for (auto& entry : t.by_prefix) {
    if (entry.first == prefix) {
      entry.second = std::move(opener);
      return;
    }
  }
  t.by_prefix.emplace_back(prefix, std::move(opener));
}

bool has_url_opener(const std::string& name) {
  return static_cast<bool>(find(name));
}

std::unique_ptr<ByteSource> open_url(const std::string& name) {
  const ByteSourceOpener opener = find(name);
  return opener ? opener(name) : nullptr;
}

}  // namespace sw::io
