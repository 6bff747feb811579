// Fuzz target: what a hostile run store holds besides plain arrays: the staged analysis
// records (_progress/analysis/<k>) and the keys themselves.
//
// Input: byte 0 chooses.
//   even: a staged record. Byte 1 is the pair count the plan expects, bytes 2-3 the length L
//         of the record's .zarray (little-endian), then L bytes of .zarray, then its chunk
//         "0.0". A record that loads must hold exactly what the plan expects, and write back
//         to an equal record.
//   odd:  a store key (the rest). A key that validate_key accepts stays inside the store.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "core/error.hpp"
#include "store/memory_backend.hpp"
#include "store/staged_record.hpp"

namespace {

constexpr const char* kRecord = "_progress/analysis/000000";

void staged_record(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return;
  const std::int64_t first = 1 + data[0] / 2;
  const std::int64_t count = data[1];
  const std::size_t meta_size = std::min<std::size_t>(data[2] | (data[3] << 8), size - 4);
  auto backend = std::make_shared<sw::store::MemoryBackend>();
  backend->put(std::string(kRecord) + "/.zarray", {data + 4, meta_size});
  backend->put(std::string(kRecord) + "/0.0", {data + 4 + meta_size, size - 4 - meta_size});
  sw::store::StagedMotions staged;
  try {
    staged = sw::store::read_staged_record(backend, kRecord, first, count);
  } catch (const sw::Error&) {
    return;  // a record that does not fit the plan is refused: the expected outcome
  }
  if (staged.first != first || staged.motions.size() != static_cast<std::size_t>(count))
    __builtin_trap();
  sw::store::write_staged_record(backend, "copy", staged);
  const auto again = sw::store::read_staged_record(backend, "copy", first, count);
  for (std::size_t i = 0; i < staged.motions.size(); ++i) {
    const sw::Motion &a = staged.motions[i], &b = again.motions[i];
    if (a.status != b.status || a.corners != b.corners || a.inliers != b.inliers) __builtin_trap();
  }
}

void store_key(const std::uint8_t* data, std::size_t size) {
  const std::string key(reinterpret_cast<const char*>(data), size);
  try {
    sw::store::validate_key(key, "store");
  } catch (const sw::Error&) {
    return;  // not a key: the expected outcome
  }
  namespace fs = std::filesystem;
  const fs::path root = "/store";
  const fs::path inside = (root / key).lexically_normal();
  const auto rel = inside.lexically_relative(root);
  if (rel.empty() || *rel.begin() == "..") __builtin_trap();
  sw::store::MemoryBackend backend;
  backend.put(key, {data, size});
  if (!backend.get(key) || backend.list(key).empty()) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  if (data[0] % 2 == 0) {
    staged_record(data, size);
  } else {
    store_key(data + 1, size - 1);
  }
  return 0;
}
