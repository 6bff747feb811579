// Fuzz target: chunk payloads through the codecs (Blosc with lz4 and zstd inside, Zstd, none):
// truncated, oversized, with lying headers. decode_chunk must decode to exactly the size the
// metadata gives, or throw sw::Error; and what encode_chunk writes must decode back.
//
// Input: byte 0 chooses the codec, bytes 1-3 the expected decoded size (little-endian, up to
// 16 MiB), the rest is the stored chunk.
#include <cstdint>
#include <span>

#include "core/error.hpp"
#include "store/codec.hpp"

namespace {

sw::store::Compressor codec(std::uint8_t choice) {
  switch (choice % 4) {
    case 0:
      return sw::store::Compressor::blosc("lz4", 5, 1);
    case 1:
      return sw::store::Compressor::blosc("zstd", 3, 2);
    case 2:
      return sw::store::Compressor::zstd(3);
    default:
      return sw::store::Compressor::none();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 4) return 0;
  const sw::store::Compressor c = codec(data[0]);
  const std::size_t expected = data[1] | (data[2] << 8) | (std::size_t{data[3]} << 16);
  const std::span<const std::uint8_t> stored(data + 4, size - 4);
  try {
    const auto decoded = sw::store::decode_chunk(c, stored, expected, "chunk");
    if (decoded.size() != expected) __builtin_trap();
  } catch (const sw::Error&) {
    // A chunk that does not decode to the expected size is refused: the expected outcome.
  }
  // The same bytes as a raw chunk: encoding then decoding gives them back unchanged.
  const std::size_t typesize = std::size_t{1} << (data[0] / 4 % 4);
  const auto encoded = sw::store::encode_chunk(c, stored, typesize);
  const auto back = sw::store::decode_chunk(c, encoded, stored.size(), "round trip");
  if (!std::equal(back.begin(), back.end(), stored.begin(), stored.end())) __builtin_trap();
  return 0;
}
