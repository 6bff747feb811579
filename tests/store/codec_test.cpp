// Codecs: round trips, the JSON numcodecs writes, the frame headers numcodecs produces, and
// clear errors for damaged chunks and unknown compressors.
#include <numeric>

#include <gtest/gtest.h>
#include <zstd.h>

#include "core/error.hpp"
#include "store/codec.hpp"

namespace sw::store {
namespace {

using nlohmann::json;

// 1000 doubles with a smooth pattern: compressible, and shuffling matters for them.
Bytes sample() {
  std::vector<double> v(1000);
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = 0.5 * double(i % 97);
  const auto* p = reinterpret_cast<const std::uint8_t*>(v.data());
  return Bytes(p, p + v.size() * sizeof(double));
}

TEST(Codec, RoundTripsEveryCompressor) {
  const Bytes raw = sample();
  for (const auto& c :
       {Compressor::blosc("lz4"), Compressor::blosc("zstd", 5, 2), Compressor::blosc("zlib", 1, 0),
        Compressor::blosc("blosclz", 9, 1), Compressor::blosc("lz4hc", 5, -1), Compressor::zstd(3),
        Compressor::zstd(19), Compressor::none()}) {
    SCOPED_TRACE(c.to_json().dump());
    const Bytes stored = encode_chunk(c, raw, 8);
    if (c.id != Compressor::Id::none) {
      EXPECT_LT(stored.size(), raw.size() / 4);
    }
    EXPECT_EQ(decode_chunk(c, stored, raw.size(), "k"), raw);
  }
  EXPECT_EQ(decode_chunk(Compressor::blosc(), encode_chunk(Compressor::blosc(), {}, 8), 0, "k"),
            Bytes{});
}

TEST(Codec, JsonIsWhatNumcodecsWrites) {
  EXPECT_EQ(Compressor::blosc().to_json().dump(),
            R"({"blocksize":0,"clevel":5,"cname":"lz4","id":"blosc","shuffle":1})");
  EXPECT_EQ(Compressor::blosc("zstd", 5, 2).to_json().dump(),
            R"({"blocksize":0,"clevel":5,"cname":"zstd","id":"blosc","shuffle":2})");
  EXPECT_EQ(Compressor::zstd().to_json().dump(), R"({"id":"zstd","level":3})");
  EXPECT_TRUE(Compressor::none().to_json().is_null());
  for (const auto& c : {Compressor::blosc("zstd", 7, 0, 4096), Compressor::zstd(5)}) {
    EXPECT_EQ(Compressor::from_json(c.to_json(), "x"), c);
  }
  const json with_checksum = {{"id", "zstd"}, {"level", 3}, {"checksum", true}};
  EXPECT_EQ(Compressor::from_json(with_checksum, "x").to_json(), with_checksum);
}

// Blosc header (blosc 1.x format): byte 2 flags (bit 0 byte shuffle, bit 2 bit shuffle),
// byte 3 typesize. numcodecs passes the dtype's item size as typesize.
TEST(Codec, BloscHeaderCarriesTypesizeAndShuffle) {
  const Bytes raw = sample();
  const Bytes byte_shuffled = encode_chunk(Compressor::blosc("lz4", 5, 1), raw, 8);
  EXPECT_EQ(byte_shuffled[3], 8);
  EXPECT_EQ(byte_shuffled[2] & 0x5, 0x1);
  const Bytes bit_shuffled = encode_chunk(Compressor::blosc("zstd", 5, 2), raw, 4);
  EXPECT_EQ(bit_shuffled[3], 4);
  EXPECT_EQ(bit_shuffled[2] & 0x5, 0x4);
  const Bytes auto_u1 = encode_chunk(Compressor::blosc("lz4", 5, -1), raw, 1);
  EXPECT_EQ(auto_u1[2] & 0x5, 0x4);  // AUTOSHUFFLE: bit shuffle for 1-byte items, as numcodecs
}

TEST(Codec, ZstdFrameHasContentSize) {
  const Bytes raw = sample();
  const Bytes stored = encode_chunk(Compressor::zstd(3), raw, 8);
  EXPECT_EQ(ZSTD_getFrameContentSize(stored.data(), stored.size()), raw.size());
}

TEST(Codec, DamagedChunksAreClearErrors) {
  const Bytes raw = sample();
  const auto expect_corrupt = [&](const Compressor& c, Bytes stored, const std::string& detail) {
    try {
      decode_chunk(c, stored, raw.size(), "/store/arr/3.0");
      FAIL() << "decoded a damaged chunk";
    } catch (const sw::Error& e) {
      EXPECT_EQ(e.subject(), "/store/arr/3.0");
      EXPECT_TRUE(e.problem().starts_with("corrupt chunk (" + detail)) << e.problem();
    }
  };
  Bytes blosc = encode_chunk(Compressor::blosc(), raw, 8);
  expect_corrupt(Compressor::blosc(), Bytes(blosc.begin(), blosc.begin() + 10), "blosc:");
  expect_corrupt(Compressor::blosc(), Bytes(blosc.begin(), blosc.end() - 5), "blosc:");
  expect_corrupt(Compressor::blosc(), Bytes(100, 0xAB), "blosc:");
  Bytes zstd = encode_chunk(Compressor::zstd(), raw, 8);
  expect_corrupt(Compressor::zstd(), Bytes(zstd.begin(), zstd.end() - 7), "zstd:");
  expect_corrupt(Compressor::zstd(), Bytes(64, 0x11), "zstd: not a zstd frame");
  // A valid chunk of the wrong size (e.g. written for another chunk shape) is damage too.
  expect_corrupt(Compressor::zstd(),
                 encode_chunk(Compressor::zstd(), Bytes(raw.begin(), raw.end() - 8), 8),
                 "zstd: expected 8000 decoded bytes, got 7992 in the frame header");
  expect_corrupt(Compressor::blosc(),
                 encode_chunk(Compressor::blosc(), Bytes(raw.begin(), raw.end() - 8), 8),
                 "blosc: expected 8000 decoded bytes, got 7992 in the header");
  expect_corrupt(Compressor::none(), Bytes(7), "uncompressed: expected 8000 bytes, got 7");
}

TEST(Codec, UnsupportedOrInvalidCompressorsAreClearErrors) {
  const auto problem = [](const json& j) {
    try {
      Compressor::from_json(j, "a/.zarray");
    } catch (const sw::Error& e) {
      EXPECT_EQ(e.subject(), "a/.zarray");
      return e.problem();
    }
    return std::string("no error");
  };
  EXPECT_EQ(problem({{"id", "gzip"}, {"level", 1}}),
            "unsupported compressor (expected \"blosc\", \"zstd\" or null, got \"gzip\")");
  EXPECT_EQ(problem({{"id", "zstd"}}), "invalid compressor (expected integer \"level\", got none)");
  EXPECT_EQ(problem({{"id", "blosc"}, {"cname", "lz4"}, {"clevel", 12}, {"shuffle", 1}}),
            "invalid compressor (expected Blosc clevel 0..9, got 12)");
  EXPECT_TRUE(problem({{"id", "blosc"}, {"cname", "brotli"}, {"clevel", 5}, {"shuffle", 1}})
                  .starts_with("invalid compressor (expected a Blosc cname among blosclz,lz4"));
  EXPECT_EQ(problem(json::array()),
            "invalid compressor (expected null or an object with an \"id\", got [])");
}

}  // namespace
}  // namespace sw::store
