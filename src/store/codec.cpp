#include "store/codec.hpp"

#include <memory>
#include <sstream>

#include <blosc.h>
// ZSTD_decompressBound (exported by the shared library, declared in the "static" section).
#define ZSTD_STATIC_LINKING_ONLY
#include <zstd.h>

#include "core/error.hpp"
#include "store/zarr_meta.hpp"

namespace sw::store {
namespace {

bool blosc_has_cname(const std::string& cname) {
  std::stringstream list(blosc_list_compressors());
  for (std::string name; std::getline(list, name, ',');) {
    if (name == cname) return true;
  }
  return false;
}

// Validates a compressor; the same checks serve from_json (a foreign .zarray) and the factories.
void validate(const Compressor& c, const std::string& subject) {
  const auto bad = [&](const std::string& what) {
    throw sw::Error(subject, "invalid compressor (" + what + ")");
  };
  if (c.id == Compressor::Id::blosc) {
    if (!blosc_has_cname(c.cname)) {
      bad("expected a Blosc cname among " + std::string(blosc_list_compressors()) + ", got \"" +
          c.cname + "\"");
    }
    if (c.clevel < 0 || c.clevel > 9) {
      bad("expected Blosc clevel 0..9, got " + std::to_string(c.clevel));
    }
    if (c.shuffle < -1 || c.shuffle > 2) {
      bad("expected Blosc shuffle -1, 0, 1 or 2, got " + std::to_string(c.shuffle));
    }
    if (c.blocksize < 0) bad("expected Blosc blocksize >= 0, got " + std::to_string(c.blocksize));
  } else if (c.id == Compressor::Id::zstd) {
    if (c.level < ZSTD_minCLevel() || c.level > ZSTD_maxCLevel()) {
      bad("expected Zstd level " + std::to_string(ZSTD_minCLevel()) + ".." +
          std::to_string(ZSTD_maxCLevel()) + ", got " + std::to_string(c.level));
    }
  }
}

int get_int(const nlohmann::json& j, const char* name, const std::string& subject) {
  const auto it = j.find(name);
  if (it == j.end() || !it->is_number_integer()) {
    throw sw::Error(subject, std::string("invalid compressor (expected integer \"") + name +
                                 "\", got " + (it == j.end() ? "none" : json_excerpt(*it)) + ")");
  }
  return it->get<int>();
}

[[noreturn]] void corrupt(const std::string& subject, const std::string& why) {
  throw sw::Error(subject, "corrupt chunk (" + why + ")");
}

Bytes blosc_encode(const Compressor& c, std::span<const std::uint8_t> raw, std::size_t typesize) {
  if (raw.size() > static_cast<std::size_t>(BLOSC_MAX_BUFFERSIZE)) {
    throw sw::Error("blosc", "chunk too large (expected at most " +
                                 std::to_string(BLOSC_MAX_BUFFERSIZE) + " bytes, got " +
                                 std::to_string(raw.size()) + "); use smaller chunks");
  }
  // numcodecs resolves AUTOSHUFFLE (-1) the same way: bit shuffle for 1-byte items.
  const int shuffle =
      c.shuffle == -1 ? (typesize == 1 ? BLOSC_BITSHUFFLE : BLOSC_SHUFFLE) : c.shuffle;
  Bytes out(raw.size() + BLOSC_MAX_OVERHEAD);
  const int n =
      blosc_compress_ctx(c.clevel, shuffle, typesize, raw.size(), raw.data(), out.data(),
                         out.size(), c.cname.c_str(), static_cast<std::size_t>(c.blocksize), 1);
  if (n <= 0) {
    throw sw::Error("blosc",
                    "compression failed (expected a positive size, got " + std::to_string(n) + ")");
  }
  out.resize(static_cast<std::size_t>(n));
  return out;
}

Bytes blosc_decode(std::span<const std::uint8_t> stored, std::size_t expected,
                   const std::string& subject) {
  // blosc_cbuffer_validate checks the header against the buffer length, which makes the
  // following decompression memory safe even for a truncated or damaged chunk.
  std::size_t nbytes = 0;
  if (stored.size() < BLOSC_MIN_HEADER_LENGTH ||
      blosc_cbuffer_validate(stored.data(), stored.size(), &nbytes) != 0) {
    corrupt(subject, "blosc: invalid header for " + std::to_string(stored.size()) + " bytes");
  }
  if (nbytes != expected) {
    corrupt(subject, "blosc: expected " + std::to_string(expected) + " decoded bytes, got " +
                         std::to_string(nbytes) + " in the header");
  }
  Bytes out(expected);
  const int n = blosc_decompress_ctx(stored.data(), out.data(), out.size(), 1);
  if (expected == 0 && n == 0) return out;
  if (n < 0 || static_cast<std::size_t>(n) != expected) {
    corrupt(subject, "blosc: decompression failed with " + std::to_string(n));
  }
  return out;
}

Bytes zstd_encode(const Compressor& c, std::span<const std::uint8_t> raw) {
  // ZSTD_compress2 writes a single frame with the content size in its header (the size is
  // known up front), as numcodecs does.
  struct CctxDeleter {
    void operator()(ZSTD_CCtx* p) const { ZSTD_freeCCtx(p); }
  };
  std::unique_ptr<ZSTD_CCtx, CctxDeleter> cctx(ZSTD_createCCtx());
  if (!cctx) throw sw::Error("zstd", "out of memory creating a compression context");
  ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_compressionLevel, c.level);
  ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_checksumFlag, c.checksum.value_or(false) ? 1 : 0);
  Bytes out(ZSTD_compressBound(raw.size()));
  const std::size_t n = ZSTD_compress2(cctx.get(), out.data(), out.size(), raw.data(), raw.size());
  if (ZSTD_isError(n)) {
    throw sw::Error("zstd", std::string("compression failed (") + ZSTD_getErrorName(n) + ")");
  }
  out.resize(n);
  return out;
}

Bytes zstd_decode(std::span<const std::uint8_t> stored, std::size_t expected,
                  const std::string& subject) {
  const unsigned long long size = ZSTD_getFrameContentSize(stored.data(), stored.size());
  if (size == ZSTD_CONTENTSIZE_ERROR) corrupt(subject, "zstd: not a zstd frame");
  if (size != ZSTD_CONTENTSIZE_UNKNOWN && size != expected) {
    corrupt(subject, "zstd: expected " + std::to_string(expected) + " decoded bytes, got " +
                         std::to_string(size) + " in the frame header");
  }
  // A frame without its content size: refuse before allocating when it cannot hold enough.
  const unsigned long long bound = ZSTD_decompressBound(stored.data(), stored.size());
  if (bound == ZSTD_CONTENTSIZE_ERROR) corrupt(subject, "zstd: damaged frame");
  if (bound < expected) {
    corrupt(subject, "zstd: expected " + std::to_string(expected) + " decoded bytes, got at most " +
                         std::to_string(bound));
  }
  Bytes out(expected);
  const std::size_t n = ZSTD_decompress(out.data(), out.size(), stored.data(), stored.size());
  if (ZSTD_isError(n)) corrupt(subject, std::string("zstd: ") + ZSTD_getErrorName(n));
  if (n != expected) {
    corrupt(subject, "zstd: expected " + std::to_string(expected) + " decoded bytes, got " +
                         std::to_string(n));
  }
  return out;
}

}  // namespace

Compressor Compressor::blosc(std::string cname, int clevel, int shuffle, int blocksize) {
  Compressor c;
  c.id = Id::blosc;
  c.cname = std::move(cname);
  c.clevel = clevel;
  c.shuffle = shuffle;
  c.blocksize = blocksize;
  validate(c, "blosc");
  return c;
}

Compressor Compressor::zstd(int level) {
  Compressor c;
  c.id = Id::zstd;
  c.level = level;
  validate(c, "zstd");
  return c;
}

Compressor Compressor::from_json(const nlohmann::json& j, const std::string& subject) {
  if (j.is_null()) return none();
  if (!j.is_object() || !j.contains("id") || !j["id"].is_string()) {
    throw sw::Error(subject, "invalid compressor (expected null or an object with an \"id\", got " +
                                 json_excerpt(j) + ")");
  }
  const std::string id = j["id"].get<std::string>();
  Compressor c;
  if (id == "blosc") {
    c.id = Id::blosc;
    if (!j.contains("cname") || !j["cname"].is_string()) {
      throw sw::Error(
          subject, "invalid compressor (expected string \"cname\", got " + json_excerpt(j) + ")");
    }
    c.cname = j["cname"].get<std::string>();
    c.clevel = get_int(j, "clevel", subject);
    c.shuffle = get_int(j, "shuffle", subject);
    c.blocksize = j.contains("blocksize") ? get_int(j, "blocksize", subject) : 0;
  } else if (id == "zstd") {
    c.id = Id::zstd;
    c.level = get_int(j, "level", subject);
    if (j.contains("checksum")) {
      if (!j["checksum"].is_boolean()) {
        throw sw::Error(subject, "invalid compressor (expected boolean \"checksum\", got " +
                                     json_excerpt(j["checksum"]) + ")");
      }
      c.checksum = j["checksum"].get<bool>();
    }
  } else {
    throw sw::Error(
        subject,
        "unsupported compressor (expected \"blosc\", \"zstd\" or null, got \"" + id + "\")");
  }
  validate(c, subject);
  return c;
}

nlohmann::json Compressor::to_json() const {
  switch (id) {
    case Id::none:
      return nullptr;
    case Id::blosc:
      return {{"blocksize", blocksize},
              {"clevel", clevel},
              {"cname", cname},
              {"id", "blosc"},
              {"shuffle", shuffle}};
    case Id::zstd: {
      nlohmann::json j = {{"id", "zstd"}, {"level", level}};
      if (checksum) j["checksum"] = *checksum;
      return j;
    }
  }
  return nullptr;
}

Bytes encode_chunk(const Compressor& c, std::span<const std::uint8_t> raw, std::size_t typesize) {
  switch (c.id) {
    case Compressor::Id::blosc:
      return blosc_encode(c, raw, typesize);
    case Compressor::Id::zstd:
      return zstd_encode(c, raw);
    case Compressor::Id::none:
      break;
  }
  return Bytes(raw.begin(), raw.end());
}

Bytes decode_chunk(const Compressor& c, std::span<const std::uint8_t> stored,
                   std::size_t expected_size, const std::string& subject) {
  switch (c.id) {
    case Compressor::Id::blosc:
      return blosc_decode(stored, expected_size, subject);
    case Compressor::Id::zstd:
      return zstd_decode(stored, expected_size, subject);
    case Compressor::Id::none:
      break;
  }
  if (stored.size() != expected_size) {
    corrupt(subject, "uncompressed: expected " + std::to_string(expected_size) + " bytes, got " +
                         std::to_string(stored.size()));
  }
  return Bytes(stored.begin(), stored.end());
}

}  // namespace sw::store
