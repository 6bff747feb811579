// A store is bytes anyone could have written: metadata that nests without end, claims
// terabytes, quotes megabytes or carries file names that are not UTF-8, and symbolic links
// that lead out of the store. Each must end in one sw::Error (or be handled), never a crash,
// an unbounded allocation or a write outside the store.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "store/frame_array.hpp"
#include "store/local_backend.hpp"
#include "store/zarr_array.hpp"
#include "support/temp_dir.hpp"

namespace sw::store {
namespace {

namespace fs = std::filesystem;

Bytes bytes_of(const std::string& s) {
  return Bytes(s.begin(), s.end());
}

std::string nested(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

std::string zarray(const std::string& shape, const std::string& chunks,
                   const std::string& dtype = "\"<f8\"", const std::string& order = "\"C\"") {
  return R"({"chunks": )" + chunks + R"(, "compressor": null, "dtype": )" + dtype +
         R"(, "fill_value": 0, "filters": null, "order": )" + order + R"(, "shape": )" + shape +
         R"(, "zarr_format": 2})";
}

class HostileStore : public ::testing::Test {
 protected:
  test::TempDir dir{"sw-hostile-store"};
  std::shared_ptr<LocalBackend> backend = std::make_shared<LocalBackend>(dir.path() / "s");
};

TEST_F(HostileStore, DeeplyNestedZarrayIsOneError) {
  // The message quoting the dtype used to serialise a million levels and overflow the stack.
  backend->put("a/.zarray", bytes_of(zarray("[4]", "[4]", nested(1'000'000))));
  try {
    Array::open(backend, "a");
    FAIL() << "opened";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("nested"), std::string::npos) << e.what();
  }
}

TEST_F(HostileStore, DeeplyNestedZattrsIsOneError) {
  backend->put(".zattrs", bytes_of(R"({"a": )" + nested(1'000'000) + "}"));
  EXPECT_THROW(read_attrs(*backend, ""), Error);
}

TEST_F(HostileStore, MessagesQuoteAtMost200Characters) {
  backend->put("a/.zarray",
               bytes_of(zarray("[4]", "[4]", "\"<f8\"", "\"" + std::string(100'000, 'F') + "\"")));
  try {
    Array::open(backend, "a");
    FAIL() << "opened";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("order"), std::string::npos) << e.what();
    EXPECT_LT(std::string(e.what()).size(), 400u);
  }
}

TEST_F(HostileStore, NamesThatAreNotUtf8AreWrittenWithReplacementCharacters) {
  const nlohmann::json attrs = {{"input", {{"name", "holiday\xff\xfe.mp4"}}}};
  ASSERT_NO_THROW(write_attrs(*backend, "", attrs));
  const auto back = read_attrs(*backend, "");
  EXPECT_EQ(back["input"]["name"], "holiday\xEF\xBF\xBD\xEF\xBF\xBD.mp4");
}

TEST_F(HostileStore, ChunksOverAGibibyteAreRefusedBeforeAnyAllocation) {
  // 150 bytes of .zarray asking for a 24 GB chunk.
  backend->put("a/.zarray", bytes_of(zarray("[1000000000, 3]", "[1000000000, 3]")));
  try {
    Array::open(backend, "a");
    FAIL() << "opened";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("chunks of at most 1024 MiB"), std::string::npos)
        << e.what();
  }
  backend->put("b/.zarray", bytes_of(zarray("[4611686018427387904, 4]", "[1, 1]")));
  EXPECT_THROW(Array::open(backend, "b"), Error) << "2^62 x 4 x 8 bytes does not fit 64 bits";
}

TEST_F(HostileStore, WholeArrayReadsAreBounded) {
  backend->put("a/.zarray", bytes_of(zarray("[1099511627776]", "[1000]")));
  const Array array = Array::open(backend, "a");  // small chunks: a valid, sparse array
  EXPECT_THROW(array.read_all_bytes(), Error);
}

TEST_F(HostileStore, FramesArrayOfAbsurdLengthIsRefused) {
  // Its frame index alone would take 8 GB.
  backend->put("f/.zarray", bytes_of(zarray("[1073741824, 8, 8, 3]", "[1, 8, 8, 3]", "\"|u1\"")));
  EXPECT_THROW(ZarrFrameSource(backend, "f"), Error);
  backend->put("g/.zarray", bytes_of(zarray("[1, 100000000, 1, 3]", "[1, 1000, 1, 3]", "\"|u1\"")));
  EXPECT_THROW(ZarrFrameSource(backend, "g"), Error);
}

TEST_F(HostileStore, FillValuesOfNarrowIntegersStayInsideTheirItem) {
  // Found by fuzz/zarr_meta: the fill value was stored as 8 bytes into a 4-byte buffer (a heap
  // overflow under AddressSanitizer for every "<i4" array with a fill value).
  const std::pair<const char*, std::vector<std::uint8_t>> cases[] = {
      {"<i4", {0xff, 0xff, 0xff, 0xff}}, {"<i2", {0xff, 0xff}}, {"|i1", {0xff}}};
  for (const auto& [dtype, expected] : cases) {
    ArrayMeta meta = ArrayMeta::make({4}, {4}, dtype);
    meta.fill_value = -1;
    EXPECT_EQ(meta.fill_bytes(), expected) << dtype;
  }
  ArrayMeta meta = ArrayMeta::make({4}, {4}, "<u2");
  meta.fill_value = 513;
  EXPECT_EQ(meta.fill_bytes(), (Bytes{1, 2}));
}

// --- symbolic links inside a store ---

class LinkedStore : public HostileStore {
 protected:
  void SetUp() override {
    fs::create_directories(dir.path() / "victim");
    std::ofstream(dir.path() / "victim" / "keep.txt") << "a user's file";
    backend->put("_progress/.zgroup", bytes_of("{}"));
    fs::create_directory_symlink(dir.path() / "victim", dir.path() / "s" / "_progress" / "render");
  }
  bool victim_untouched() const {
    return fs::exists(dir.path() / "victim" / "keep.txt") &&
           fs::directory_iterator(dir.path() / "victim")->path().filename() == "keep.txt" &&
           std::distance(fs::directory_iterator(dir.path() / "victim"), {}) == 1;
  }
};

TEST_F(LinkedStore, ListingThroughALinkedDirectoryIsRefused) {
  EXPECT_THROW(backend->list("_progress/render/"), Error);
  EXPECT_THROW(backend->remove("_progress/render/keep.txt"), Error);
  EXPECT_TRUE(victim_untouched());
}

TEST_F(LinkedStore, WritingThroughALinkedDirectoryIsRefused) {
  EXPECT_THROW(backend->put("_progress/render/piece.mp4", bytes_of("x")), Error);
  EXPECT_THROW(backend->get("_progress/render/keep.txt"), Error);
  EXPECT_TRUE(victim_untouched());
}

TEST_F(LinkedStore, ALinkedFileIsNotRead) {
  fs::create_directories(dir.path() / "s" / "motion");
  fs::create_symlink(dir.path() / "victim" / "keep.txt", dir.path() / "s" / "motion" / "0.0");
  EXPECT_THROW(backend->get("motion/0.0"), Error);
  EXPECT_THROW(backend->list(""), Error);
}

TEST_F(LinkedStore, TheRootMayBeALink) {
  fs::create_directory_symlink(dir.path() / "s", dir.path() / "root-link");
  LocalBackend through(dir.path() / "root-link");
  through.put("a/.zattrs", bytes_of("{}"));
  EXPECT_EQ(through.get("a/.zattrs"), bytes_of("{}"));
  EXPECT_TRUE(fs::exists(dir.path() / "s" / "a" / ".zattrs"));
}

}  // namespace
}  // namespace sw::store
