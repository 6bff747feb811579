#include "store/backend.hpp"

#include <fstream>
#include <iterator>

#include "core/error.hpp"
#include "core/temporary.hpp"

namespace sw::store {

void validate_key(std::string_view key, const std::string& subject) {
  const auto bad = [&](const char* why) {
    throw sw::Error(subject, "invalid key \"" + std::string(key) +
                                 "\" (expected a relative \"/\"-separated key, got " + why + ")");
  };
  if (key.empty()) bad("an empty key");
  if (key.find('\0') != std::string_view::npos) bad("a NUL character");
  std::size_t start = 0;
  while (start <= key.size()) {
    const std::size_t end = std::min(key.find('/', start), key.size());
    const std::string_view part = key.substr(start, end - start);
    if (part.empty()) bad("an empty component");
    if (part == "." || part == "..") bad("a \".\" or \"..\" component");
    start = end + 1;
  }
}

std::string join_key(std::string_view path, std::string_view name) {
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  if (path.empty()) return std::string(name);
  std::string key(path);
  key += '/';
  key += name;
  return key;
}

std::optional<std::filesystem::path> Backend::file_path(const std::string&) const {
  return std::nullopt;
}

void Backend::put_file(const std::string& key, const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(file.string(), "cannot read");
  const Bytes bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw Error(file.string(), "cannot read");
  put(key, bytes);
}

void Backend::get_file(const std::string& key, const std::filesystem::path& file) const {
  const std::optional<Bytes> bytes = get(key);
  if (!bytes) throw Error(describe(key), "no such key");
  write_file_atomically(
      file, std::string_view(reinterpret_cast<const char*>(bytes->data()), bytes->size()));
}

bool Backend::empty() const {
  return list("").empty();
}

std::shared_ptr<void> Backend::lock(LockMode) {
  return nullptr;
}

}  // namespace sw::store
