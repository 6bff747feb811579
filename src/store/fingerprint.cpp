#include "store/fingerprint.hpp"

#include <openssl/evp.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <vector>

#include "core/error.hpp"
#include "io/byte_source.hpp"
#include "store/local_backend.hpp"
#include "store/store_lock.hpp"

namespace sw::store {

namespace {

constexpr std::uintmax_t kWindow = 4u << 20;

struct DigestDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

std::string hex_digest(EVP_MD_CTX* ctx) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  EVP_DigestFinal_ex(ctx, digest, &digest_size);
  std::string hex = "sha256:";
  char two[3];
  for (unsigned int i = 0; i < digest_size; ++i) {
    std::snprintf(two, sizeof two, "%02x", digest[i]);
    hex += two;
  }
  return hex;
}

}  // namespace

std::string file_fingerprint(const std::string& path) {
  // A URL input (s3://) is read through its registered opener, with the same ranges.
  std::unique_ptr<io::ByteSource> source = io::open_url(path);
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

  std::unique_ptr<EVP_MD_CTX, DigestDeleter> ctx(EVP_MD_CTX_new());
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  const std::uint64_t size_le = size;
  EVP_DigestUpdate(ctx.get(), &size_le, sizeof size_le);

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
    EVP_DigestUpdate(ctx.get(), buffer.data(), buffer.size());
  };
  if (size <= 2 * kWindow) {
    hash_range(0, size);
  } else {
    hash_range(0, kWindow);
    hash_range(size - kWindow, kWindow);
  }
  return hex_digest(ctx.get());
}

std::string zarr_fingerprint(const std::string& array_dir) {
  const LocalBackend backend(array_dir);
  std::unique_ptr<EVP_MD_CTX, DigestDeleter> ctx(EVP_MD_CTX_new());
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  const auto hash_value = [&](const std::string& key) {
    const auto bytes = backend.get(key);
    const std::uint64_t size = bytes ? bytes->size() : 0;
    EVP_DigestUpdate(ctx.get(), key.data(), key.size() + 1);  // with its NUL: keys stay apart
    EVP_DigestUpdate(ctx.get(), &size, sizeof size);
    if (bytes) EVP_DigestUpdate(ctx.get(), bytes->data(), bytes->size());
  };
  hash_value(".zarray");
  hash_value(".zattrs");
  std::vector<std::string> chunks;
  for (auto& key : backend.list("")) {
    if (!key.starts_with(".z") && key != kLockFileName) chunks.push_back(std::move(key));
  }
  for (const auto& key : chunks) {
    std::error_code ec;
    const std::uint64_t size = std::filesystem::file_size(backend.file_path(key), ec);
    if (ec) throw Error(backend.describe(key), "cannot read (" + ec.message() + ")");
    EVP_DigestUpdate(ctx.get(), key.data(), key.size() + 1);
    EVP_DigestUpdate(ctx.get(), &size, sizeof size);
  }
  if (!chunks.empty()) {
    hash_value(chunks.front());
    hash_value(chunks.back());
  }
  return hex_digest(ctx.get());
}

std::int64_t input_size(const std::string& path) {
  if (std::unique_ptr<io::ByteSource> source = io::open_url(path)) return source->size();
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  return ec ? 0 : static_cast<std::int64_t>(size);
}

}  // namespace sw::store
