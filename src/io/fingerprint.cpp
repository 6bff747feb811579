#include "io/fingerprint.hpp"

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <vector>

#include "core/error.hpp"
#include "core/sha256.hpp"
#include "io/byte_source.hpp"

namespace sw::io {

namespace {

constexpr std::uintmax_t kWindow = 4u << 20;

}  // namespace

std::string file_fingerprint(const std::string& path) {
  // A URL input (s3://) is read through its registered opener, with the same ranges.
  std::unique_ptr<ByteSource> source = open_url(path);
  std::ifstream in;
  std::uintmax_t size = 0;
  if (source) {
    size = static_cast<std::uintmax_t>(source->size());
  } else {
    std::error_code ec;
    size = std::filesystem::file_size(path, ec);
    if (ec) throw Error(path, "cannot read (" + ec.message() + ")");
    in.open(path, std::ios::binary);
    if (!in) throw Error(path, "cannot read");
  }

  Sha256 hash;
  const std::uint64_t size_le = size;
  hash.update(&size_le, sizeof size_le);

  std::vector<char> buffer;
  auto hash_range = [&](std::uintmax_t offset, std::uintmax_t length) {
    buffer.resize(length);
    std::uintmax_t done = 0;
    if (source) {
      while (done < length) {
        const std::size_t n = source->read_at(static_cast<std::int64_t>(offset + done),
                                              reinterpret_cast<std::uint8_t*>(buffer.data() + done),
                                              static_cast<std::size_t>(length - done));
        if (n == 0) break;
        done += n;
      }
    } else {
      in.seekg(static_cast<std::streamoff>(offset));
      in.read(buffer.data(), static_cast<std::streamsize>(length));
      done = static_cast<std::uintmax_t>(in.gcount());
    }
    if (done != length) throw Error(path, "short read");
    hash.update(buffer.data(), buffer.size());
  };
  if (size <= 2 * kWindow) {
    hash_range(0, size);
  } else {
    hash_range(0, kWindow);
    hash_range(size - kWindow, kWindow);
  }
  return "sha256:" + hash.hex();
}

std::int64_t input_size(const std::string& path) {
  if (std::unique_ptr<ByteSource> source = open_url(path)) return source->size();
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  return ec ? 0 : static_cast<std::int64_t>(size);
}

}  // namespace sw::io
