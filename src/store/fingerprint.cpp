#include "store/fingerprint.hpp"

#include <openssl/evp.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <vector>

#include "core/error.hpp"

namespace sw::store {

namespace {

constexpr std::uintmax_t kWindow = 4u << 20;

struct DigestDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

}  // namespace

std::string file_fingerprint(const std::string& path) {
  std::error_code ec;
  const std::uintmax_t size = std::filesystem::file_size(path, ec);
  if (ec) throw Error(path, "cannot read (" + ec.message() + ")");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path, "cannot read");

  std::unique_ptr<EVP_MD_CTX, DigestDeleter> ctx(EVP_MD_CTX_new());
  EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr);
  const std::uint64_t size_le = size;
  EVP_DigestUpdate(ctx.get(), &size_le, sizeof size_le);

  std::vector<char> buffer;
  auto hash_range = [&](std::uintmax_t offset, std::uintmax_t length) {
    buffer.resize(length);
    in.seekg(static_cast<std::streamoff>(offset));
    in.read(buffer.data(), static_cast<std::streamsize>(length));
    if (in.gcount() != static_cast<std::streamsize>(length)) throw Error(path, "short read");
    EVP_DigestUpdate(ctx.get(), buffer.data(), buffer.size());
  };
  if (size <= 2 * kWindow) {
    hash_range(0, size);
  } else {
    hash_range(0, kWindow);
    hash_range(size - kWindow, kWindow);
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int digest_size = 0;
  EVP_DigestFinal_ex(ctx.get(), digest, &digest_size);
  std::string hex = "sha256:";
  char two[3];
  for (unsigned int i = 0; i < digest_size; ++i) {
    std::snprintf(two, sizeof two, "%02x", digest[i]);
    hex += two;
  }
  return hex;
}

}  // namespace sw::store
