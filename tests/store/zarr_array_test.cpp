// Zarr arrays: .zarray text and validation, chunk keys, edge padding, fill values, typed
// whole-array access, damaged chunks, and concurrent chunk writes.
#include <cmath>
#include <fstream>
#include <thread>

#include <gtest/gtest.h>

#include "store/local_backend.hpp"
#include "store/zarr_array.hpp"
#include "support/temp_dir.hpp"

namespace sw::store {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using Index = std::vector<std::uint64_t>;

std::string problem_of_open(const std::shared_ptr<Backend>& b, const std::string& path) {
  try {
    Array::open(b, path);
  } catch (const sw::Error& e) {
    return e.problem();
  }
  return "no error";
}

void put_text(Backend& b, const std::string& key, const std::string& text) {
  b.put(key, Bytes(text.begin(), text.end()));
}

// Texts written by zarr-python 2.13.6 for the same arrays (group.create(...)).
TEST(ArrayMeta, TextIsWhatZarrPythonWrites) {
  ArrayMeta zstd_rows = ArrayMeta::make({10, 3}, {4, 3}, "<f8", Compressor::zstd(3));
  EXPECT_EQ(zstd_rows.to_text(), R"({
    "chunks": [
        4,
        3
    ],
    "compressor": {
        "id": "zstd",
        "level": 3
    },
    "dtype": "<f8",
    "fill_value": 0.0,
    "filters": null,
    "order": "C",
    "shape": [
        10,
        3
    ],
    "zarr_format": 2
})");
  ArrayMeta nan_slash = ArrayMeta::make({10}, {4}, "<f8", Compressor::blosc("zstd", 5, 2));
  nan_slash.fill_value = std::nan("");
  nan_slash.dimension_separator = "/";
  EXPECT_EQ(nan_slash.to_text(), R"({
    "chunks": [
        4
    ],
    "compressor": {
        "blocksize": 0,
        "clevel": 5,
        "cname": "zstd",
        "id": "blosc",
        "shuffle": 2
    },
    "dimension_separator": "/",
    "dtype": "<f8",
    "fill_value": "NaN",
    "filters": null,
    "order": "C",
    "shape": [
        10
    ],
    "zarr_format": 2
})");
  const std::string bools = ArrayMeta::make({10}, {4}, "|b1", Compressor::none()).to_text();
  EXPECT_NE(bools.find(R"("compressor": null,)"), std::string::npos);
  EXPECT_NE(bools.find(R"("fill_value": false,)"), std::string::npos);
  EXPECT_NE(ArrayMeta::make({10}, {4}, "|u1").to_text().find(R"("fill_value": 0,)"),
            std::string::npos);
  ArrayMeta one = ArrayMeta::make({3}, {3}, "<f4");
  one.fill_value = 1;  // zarr-python writes a float dtype's fill as a float
  EXPECT_NE(one.to_text().find(R"("fill_value": 1.0,)"), std::string::npos);
  EXPECT_EQ(ArrayMeta::from_json(json::parse(nan_slash.to_text()), "x"), nan_slash);
}

// One item's bytes for every dtype size (a 2-byte integer's fill was written as 8 bytes into a
// 2-byte buffer: AddressSanitizer's heap-buffer-overflow in the sanitized build).
TEST(ArrayMeta, FillBytesAreOneItemOfEachDtype) {
  const auto fill = [](const char* dtype, nlohmann::json value) {
    ArrayMeta meta = ArrayMeta::make({4}, {4}, dtype);
    meta.fill_value = std::move(value);
    return meta.fill_bytes();
  };
  EXPECT_EQ(fill("|i1", -2), (Bytes{0xFE}));
  EXPECT_EQ(fill("<i2", -2), (Bytes{0xFE, 0xFF}));
  EXPECT_EQ(fill("<u2", 258), (Bytes{0x02, 0x01}));
  EXPECT_EQ(fill("<i4", 1), (Bytes{1, 0, 0, 0}));
  EXPECT_EQ(fill("<f4", 1.0), (Bytes{0x00, 0x00, 0x80, 0x3F}));
  EXPECT_EQ(fill("<f8", nlohmann::json()).size(), 8u);
  EXPECT_EQ(fill("|b1", true), (Bytes{1}));
}

TEST(ArrayMeta, RejectsWhatWeCannotReadWithClearErrors) {
  const json good = ArrayMeta::make({10}, {4}, "<i8").to_json();
  const auto problem = [&](const char* key, const json& value) {
    json j = good;
    if (value.is_discarded())
      j.erase(key);
    else
      j[key] = value;
    try {
      ArrayMeta::from_json(j, "s/.zarray");
    } catch (const sw::Error& e) {
      EXPECT_EQ(e.subject(), "s/.zarray");
      return e.problem();
    }
    return std::string("no error");
  };
  const json filters = json::parse(R"([{"id": "delta", "dtype": "<i8"}])");
  EXPECT_EQ(problem("filters", filters),
            R"(unsupported filters (expected null, got [{"dtype":"<i8","id":"delta"}]))");
  EXPECT_EQ(problem("filters", json::array()), "no error");
  EXPECT_EQ(problem("order", "F"), R"(unsupported order (expected "C", got "F"))");
  EXPECT_EQ(problem("zarr_format", 3), "unsupported zarr_format (expected 2, got 3)");
  EXPECT_EQ(problem("dtype", ">f8"),
            "unsupported dtype (expected one of <f8 <f4 <i8 <i4 <i2 |i1 <u8 <u4 <u2 |u1 |b1, got "
            "\">f8\")");
  EXPECT_EQ(problem("chunks", json::array({4, 2})),
            "invalid .zarray (expected as many chunk sizes as dimensions (1), got 2)");
  EXPECT_EQ(problem("chunks", json::array({0})),
            "invalid .zarray (expected \"chunks\" as a list of positive integers, got [0])");
  EXPECT_EQ(problem("fill_value", 1.5),
            "invalid fill_value (expected an integer for dtype \"<i8\", got 1.5)");
  EXPECT_EQ(problem("dimension_separator", "-"),
            R"(invalid dimension_separator (expected "." or "/", got "-"))");
  EXPECT_EQ(problem("order", json(json::value_t::discarded)),
            R"(invalid .zarray (expected a "order" key, got none))");
  json u1 = ArrayMeta::make({10}, {4}, "|u1").to_json();
  u1["fill_value"] = 300;
  EXPECT_THROW(ArrayMeta::from_json(u1, "x"), sw::Error);
}

class ArrayTest : public ::testing::Test {
 protected:
  test::TempDir dir{"sw-store-array"};
  std::shared_ptr<LocalBackend> backend = std::make_shared<LocalBackend>(dir.path());
};

TEST_F(ArrayTest, ChunkKeysFollowTheSeparator) {
  const Array dots = Array::create(backend, "g/a", ArrayMeta::make({10, 7}, {4, 3}, "<i4"));
  EXPECT_EQ(dots.grid(), (Index{3, 3}));
  EXPECT_EQ(dots.chunk_key(Index{2, 1}), "g/a/2.1");
  EXPECT_EQ(dots.chunk_extent(Index{2, 2}), (Index{2, 1}));
  ArrayMeta m = ArrayMeta::make({10, 7}, {4, 3}, "<i4");
  m.dimension_separator = "/";
  EXPECT_EQ(Array::create(backend, "g/b", m).chunk_key(Index{2, 1}), "g/b/2/1");
  EXPECT_EQ(Array::create(backend, "scalar", ArrayMeta::make({}, {}, "<f8")).chunk_key(Index{}),
            "scalar/0");
  try {
    dots.chunk_key(Index{3, 0});
    FAIL();
  } catch (const sw::Error& e) {
    EXPECT_EQ(
        e.problem(),
        "chunk index out of range (expected an index below the chunk grid (3, 3), got (3, 0))");
  }
}

// Spec "Chunk storage": edge chunks are stored at the full chunk shape; zarr-python pads them
// with the fill value.
TEST_F(ArrayTest, EdgeChunksArePaddedWithFillValue) {
  ArrayMeta m = ArrayMeta::make({5, 3}, {2, 2}, "<i4", Compressor::none());
  m.fill_value = 7;
  const Array a = Array::create(backend, "a", m);
  std::vector<std::int32_t> v(15);
  for (int i = 0; i < 15; ++i) v[i] = 100 + i;
  a.write_all<std::int32_t>(v);

  const auto stored = [&](const std::string& key) {
    const Bytes b = *backend->get(key);
    std::vector<std::int32_t> items(b.size() / 4);
    std::memcpy(items.data(), b.data(), b.size());
    return items;
  };
  EXPECT_EQ(stored("a/0.0"), (std::vector<std::int32_t>{100, 101, 103, 104}));
  EXPECT_EQ(stored("a/0.1"), (std::vector<std::int32_t>{102, 7, 105, 7}));
  EXPECT_EQ(stored("a/2.0"), (std::vector<std::int32_t>{112, 113, 7, 7}));
  EXPECT_EQ(stored("a/2.1"), (std::vector<std::int32_t>{114, 7, 7, 7}));
  EXPECT_EQ(a.read_all<std::int32_t>(), v);

  // read_chunk/write_chunk work on the chunk's part inside the array, without padding.
  const Bytes corner = a.read_chunk(Index{2, 1});
  ASSERT_EQ(corner.size(), 4u);
  std::int32_t value = 0;
  std::memcpy(&value, corner.data(), 4);
  EXPECT_EQ(value, 114);
  const std::int32_t replacement = -1;
  a.write_chunk(Index{2, 1}, &replacement);
  EXPECT_EQ(stored("a/2.1"), (std::vector<std::int32_t>{-1, 7, 7, 7}));
}

TEST_F(ArrayTest, MissingChunksReadAsFillValue) {
  ArrayMeta m = ArrayMeta::make({10}, {4}, "<f8");
  m.fill_value = "NaN";
  const Array a = Array::create(backend, "nan", m);
  const double first[4] = {1, 2, 3, 4};
  a.write_chunk(Index{0}, first);
  EXPECT_TRUE(a.chunk_exists(Index{0}));
  EXPECT_FALSE(a.chunk_exists(Index{1}));
  const auto v = a.read_all<double>();
  ASSERT_EQ(v.size(), 10u);
  EXPECT_EQ(v[3], 4.0);
  for (std::size_t i = 4; i < 10; ++i) EXPECT_TRUE(std::isnan(v[i])) << i;

  ArrayMeta u = ArrayMeta::make({3}, {2}, "|u1");
  u.fill_value = 255;
  EXPECT_EQ(Array::create(backend, "u", u).read_all<std::uint8_t>(),
            (std::vector<std::uint8_t>{255, 255, 255}));
}

TEST_F(ArrayTest, TypedWholeArrayRoundTrips) {
  std::vector<double> rows(23 * 3);
  for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = std::sin(double(i)) * 1e3;
  const Array r = Array::create(backend, "rows", ArrayMeta::make({23, 3}, {5, 3}, "<f8"));
  r.write_all<double>(rows);
  EXPECT_EQ(Array::open(backend, "rows").read_all<double>(), rows);

  const std::vector<std::int64_t> big = {INT64_MIN, -1, 0, 1, INT64_MAX};
  const Array i =
      Array::create(backend, "i8", ArrayMeta::make({5}, {2}, "<i8", Compressor::zstd()));
  i.write_all<std::int64_t>(big);
  EXPECT_EQ(Array::open(backend, "i8").read_all<std::int64_t>(), big);

  const bool flags[] = {true, false, false, true, true};
  const Array b = Array::create(backend, "b1", ArrayMeta::make({5}, {3}, "|b1"));
  b.write_all<bool>(flags);
  EXPECT_EQ(b.read_all<bool>(), (std::vector<bool>{true, false, false, true, true}));

  std::vector<std::uint8_t> frames(5 * 6 * 4 * 3);
  for (std::size_t k = 0; k < frames.size(); ++k) frames[k] = std::uint8_t(k * 31);
  const Array f =
      Array::create(backend, "frames", ArrayMeta::make({5, 6, 4, 3}, {2, 4, 3, 3}, "|u1"));
  f.write_all<std::uint8_t>(frames);
  EXPECT_EQ(f.read_all<std::uint8_t>(), frames);
  EXPECT_EQ(backend->list("frames/").size(), 1u + 3 * 2 * 2);

  try {
    r.write_all<std::int64_t>(big);
    FAIL();
  } catch (const sw::Error& e) {
    EXPECT_EQ(e.problem(), R"(wrong element type (expected dtype "<f8", got "<i8"))");
  }
  try {
    r.write_all<double>(std::span(rows).first(68));
    FAIL();
  } catch (const sw::Error& e) {
    EXPECT_EQ(e.problem(), "wrong element count (expected 69 for shape (23, 3), got 68)");
  }
}

TEST_F(ArrayTest, OpenGivesClearErrors) {
  try {
    Array::open(backend, "none");
    FAIL();
  } catch (const sw::Error& e) {
    EXPECT_EQ(e.subject(), (dir.path() / "none" / ".zarray").string());
    EXPECT_EQ(e.problem(), "no Zarr array (expected a .zarray file, got none)");
  }
  put_text(*backend, "bad/.zarray", "{\"chunks\": [");
  EXPECT_EQ(problem_of_open(backend, "bad"),
            "invalid .zarray (expected JSON, got unparsable text)");
  json j = ArrayMeta::make({4}, {2}, "<i8").to_json();
  j["filters"] = json::parse(R"([{"id": "delta", "dtype": "<i8"}])");
  put_text(*backend, "filtered/.zarray", j.dump(4));
  EXPECT_EQ(problem_of_open(backend, "filtered"),
            R"(unsupported filters (expected null, got [{"dtype":"<i8","id":"delta"}]))");
}

TEST_F(ArrayTest, CorruptChunkNamesTheKey) {
  const Array a =
      Array::create(backend, "m", ArrayMeta::make({6, 2}, {2, 2}, "<f8", Compressor::zstd()));
  a.write_all<double>(std::vector<double>(12, 1.5));
  put_text(*backend, "m/1.0", "this is not a zstd frame at all");
  try {
    a.read_all<double>();
    FAIL();
  } catch (const sw::Error& e) {
    EXPECT_EQ(e.subject(), (dir.path() / "m" / "1.0").string());
    EXPECT_EQ(e.problem(), "corrupt chunk (zstd: not a zstd frame)");
  }
  EXPECT_NO_THROW(a.read_chunk(Index{0, 0}));
}

// A crash during put leaves a temporary directory (core/temporary.hpp) with the partial value:
// the chunk still reads as missing (fill).
TEST_F(ArrayTest, TemporaryChunkFromACrashIsIgnored) {
  const Array a = Array::create(backend, "c", ArrayMeta::make({4}, {2}, "<i8", Compressor::none()));
  const auto temp = dir.path() / "c" / ".1.stillwater-0000000000000001-4242.tmp";
  std::filesystem::create_directory(temp);
  std::ofstream(temp / "1") << "partial";
  EXPECT_FALSE(a.chunk_exists(Index{1}));
  EXPECT_EQ(a.read_all<std::int64_t>(), (std::vector<std::int64_t>{0, 0, 0, 0}));
  EXPECT_EQ(backend->list("c/"), std::vector<std::string>{"c/.zarray"});
}

TEST_F(ArrayTest, GroupsAndAttributes) {
  create_group(*backend, "run");
  EXPECT_TRUE(is_group(*backend, "run"));
  EXPECT_FALSE(is_group(*backend, ""));
  EXPECT_EQ(*backend->get("run/.zgroup"),
            Bytes(std::string_view("{\n    \"zarr_format\": 2\n}").begin(),
                  std::string_view("{\n    \"zarr_format\": 2\n}").end()));
  EXPECT_EQ(read_attrs(*backend, "run"), json::object());
  const json attrs = {{"format_version", 1}, {"fps", {30000, 1001}}, {"name", "caf\u00e9"}};
  write_attrs(*backend, "run", attrs);
  EXPECT_EQ(read_attrs(*backend, "run"), attrs);
  const Bytes text = *backend->get("run/.zattrs");
  EXPECT_NE(std::string(text.begin(), text.end()).find(R"("name": "caf\u00e9")"),
            std::string::npos);  // ASCII only, as Python's json.dumps(ensure_ascii=True)
}

// The run store writes different chunks from several threads: the result must not depend on it.
TEST_F(ArrayTest, ConcurrentWriteChunkMatchesSequential) {
  const ArrayMeta m = ArrayMeta::make({41, 16, 20, 3}, {1, 16, 20, 3}, "|u1");
  const std::size_t frame = 16 * 20 * 3;
  std::vector<std::uint8_t> pixels(41 * frame);
  for (std::size_t k = 0; k < pixels.size(); ++k) pixels[k] = std::uint8_t((k * 7 + k / 999) % 251);

  auto seq_backend = std::make_shared<LocalBackend>(dir.path() / "seq");
  const Array seq = Array::create(seq_backend, "frames", m);
  for (std::uint64_t f = 0; f < 41; ++f) seq.write_chunk(Index{f, 0, 0, 0}, &pixels[f * frame]);

  auto par_backend = std::make_shared<LocalBackend>(dir.path() / "par");
  const Array par = Array::create(par_backend, "frames", m);
  std::vector<std::thread> threads;
  for (std::uint64_t t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (std::uint64_t f = t; f < 41; f += 4)
        par.write_chunk(Index{f, 0, 0, 0}, &pixels[f * frame]);
    });
  }
  for (auto& th : threads) th.join();

  const auto keys = seq_backend->list("");
  ASSERT_EQ(keys.size(), 42u);
  EXPECT_EQ(par_backend->list(""), keys);
  for (const auto& key : keys) EXPECT_EQ(par_backend->get(key), seq_backend->get(key)) << key;
  EXPECT_EQ(par.read_all<std::uint8_t>(), pixels);
}

TEST_F(ArrayTest, OpenedMetadataEqualsCreatedForResume) {
  const ArrayMeta m = ArrayMeta::make({100, 7}, {64, 7}, "<f8", Compressor::blosc("zstd", 5, 2));
  Array::create(backend, "motions", m);
  EXPECT_EQ(Array::open(backend, "motions").meta(), m);
  ArrayMeta other = m;
  other.chunks = {32, 7};
  EXPECT_NE(Array::open(backend, "motions").meta(), other);
}

}  // namespace
}  // namespace sw::store
