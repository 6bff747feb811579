// SHA-256 (FIPS 180-4) as lowercase hex: the one digest stillwater computes, for S3's payload
// hashes (s3/s3_client.cpp), input and array fingerprints, and render keys. OpenSSL's libcrypto
// does the hashing; this header keeps it out of every includer.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace sw {

// Incremental: update() any number of times, then hex() once.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(const void* data, std::size_t size);
  // The digest of everything updated so far, 64 lowercase hex digits; ends the hash.
  std::string hex();

 private:
  struct Context;
  Context* context_;
};

// The digest of bytes, 64 lowercase hex digits.
std::string sha256_hex(std::span<const std::uint8_t> bytes);

}  // namespace sw
