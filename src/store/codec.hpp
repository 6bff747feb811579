// Zarr v2 compressors: Blosc, Zstd and none, configured and serialised exactly as numcodecs 0.11
// (zarr-python 2.13) does, so our ".zarray" and chunks are interchangeable with theirs.
//
// Spec: https://zarr.readthedocs.io/en/stable/spec/v2.html ("compressor": a JSON object with an
// "id" naming a numcodecs codec, or null; each chunk is stored as the codec's encoding of the
// chunk's bytes in C order). The JSON forms (numcodecs get_config()):
//   Blosc: {"blocksize": 0, "clevel": 5, "cname": "lz4", "id": "blosc", "shuffle": 1}
//          shuffle -1 auto, 0 none, 1 byte, 2 bit; the Blosc typesize is the dtype's item size.
//   Zstd:  {"id": "zstd", "level": 3}  (one zstd frame with the content size in its header)
//   none:  null
//
// Blosc is only called through blosc_compress_ctx / blosc_decompress_ctx with one internal
// thread: the global blosc_compress keeps state behind a lock and is not safe to call from our
// own worker threads.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include <nlohmann/json.hpp>

#include "store/backend.hpp"

namespace sw::store {

struct Compressor {
  enum class Id { none, blosc, zstd };

  Id id = Id::none;
  // Blosc: cname is any compressor this libblosc was built with (blosc_list_compressors()).
  std::string cname;
  int clevel = 5;
  int shuffle = 1;
  int blocksize = 0;
  // Zstd.
  int level = 3;
  std::optional<bool> checksum;  // newer numcodecs write "checksum"; kept so JSON round-trips

  static Compressor none() { return {}; }
  static Compressor blosc(std::string cname = "lz4", int clevel = 5, int shuffle = 1,
                          int blocksize = 0);
  static Compressor zstd(int level = 3);

  // Parses the "compressor" value of a .zarray; subject names the file for errors.
  static Compressor from_json(const nlohmann::json& j, const std::string& subject);
  nlohmann::json to_json() const;

  bool operator==(const Compressor&) const = default;
};

// Encodes one chunk (raw bytes in C order, item size typesize).
Bytes encode_chunk(const Compressor& c, std::span<const std::uint8_t> raw, std::size_t typesize);

// Decodes one stored chunk, which must decode to exactly expected_size bytes. A damaged chunk
// throws sw::Error(subject, "corrupt chunk (...)"); subject names the chunk's key.
Bytes decode_chunk(const Compressor& c, std::span<const std::uint8_t> stored,
                   std::size_t expected_size, const std::string& subject);

}  // namespace sw::store
