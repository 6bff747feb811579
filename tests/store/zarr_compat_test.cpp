// Compatibility with the reference implementation: zarr-python 2.13 and Dask read the arrays we
// write, we read the arrays they write, and our .zarray text equals theirs byte for byte.
// The Python half is zarr_compat.py, run with /usr/bin/python3 (Debian's zarr, numcodecs, dask).
#include <sys/wait.h>
#include <cmath>
#include <cstdio>
#include <fstream>

#include <gtest/gtest.h>

#include "store/local_backend.hpp"
#include "store/zarr_array.hpp"
#include "support/file_text.hpp"
#include "support/temp_dir.hpp"

namespace sw::store {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using test::read_text;

struct Spec {
  std::string name, kind, codec;
  std::vector<std::uint64_t> shape, chunks;
  std::string dtype;
  json fill = nullptr;  // null: zarr-python's default (0 of the dtype's kind)
  std::optional<std::string> separator =
      std::nullopt;  // nullopt: not given (zarr-python omits the key)
};

Compressor compressor_of(const std::string& label) {
  if (label == "blosc_lz4") return Compressor::blosc("lz4");
  if (label == "blosc_zstd") return Compressor::blosc("zstd", 5, 2);
  if (label == "blosc_zlib") return Compressor::blosc("zlib");
  if (label == "blosc_lz4hc_noshuffle") return Compressor::blosc("lz4hc", 5, 0);
  if (label == "blosc_blosclz") return Compressor::blosc("blosclz");
  if (label == "zstd") return Compressor::zstd(3);
  return Compressor::none();
}

// Lengths are chosen so that no chunk size divides them (every array but the one-frame-per-chunk
// frames has an edge chunk; dask_frames, chunked by 2, has one too).
std::vector<Spec> specs() {
  std::vector<Spec> out;
  for (const std::string c : {"blosc_lz4", "blosc_zstd", "zstd", "none"}) {
    out.push_back({"rows_" + c, "rows", c, {23, 3}, {5, 3}, "<f8"});
    out.push_back({"i8_" + c, "i8", c, {37}, {8}, "<i8"});
    out.push_back({"u1_" + c, "u1", c, {50}, {16}, "|u1"});
    out.push_back({"b1_" + c, "b1", c, {29}, {7}, "|b1"});
    out.push_back({"frames_" + c, "frames", c, {7, 12, 10, 3}, {1, 12, 10, 3}, "|u1"});
  }
  for (const std::string c : {"blosc_zlib", "blosc_lz4hc_noshuffle", "blosc_blosclz"}) {
    out.push_back({"rows_" + c, "rows", c, {23, 3}, {5, 3}, "<f8"});
  }
  out.push_back({"i4", "i4", "blosc_lz4", {41}, {10}, "<i4"});
  out.push_back({"fill7_none", "i4", "none", {11}, {4}, "<i4", 7});  // padding with 7
  out.push_back({"f4", "f4", "zstd", {13}, {4}, "<f4"});
  out.push_back({"nan_fill", "nan_fill", "blosc_lz4", {20}, {6}, "<f8", "NaN"});
  out.push_back({"slash", "slash", "zstd", {9, 4}, {4, 3}, "<i8", nullptr, "/"});
  out.push_back({"explicit_dot", "slash", "none", {9, 4}, {4, 3}, "<i8", nullptr, "."});
  return out;
}

ArrayMeta meta_of(const Spec& s) {
  ArrayMeta m = ArrayMeta::make(s.shape, s.chunks, s.dtype, compressor_of(s.codec));
  if (!s.fill.is_null()) m.fill_value = s.fill;
  m.dimension_separator = s.separator;
  return m;
}

std::uint64_t count(const std::vector<std::uint64_t>& shape) {
  std::uint64_t n = 1;
  for (auto d : shape) n *= d;
  return n;
}

// The same formulas as values() in zarr_compat.py, as little-endian item bytes.
Bytes pattern(const std::string& kind, const std::vector<std::uint64_t>& shape,
              const std::string& dtype) {
  const std::uint64_t n = count(shape);
  Bytes out;
  const auto append = [&](auto v) {
    const auto* p = reinterpret_cast<const std::uint8_t*>(&v);
    out.insert(out.end(), p, p + sizeof v);
  };
  for (std::int64_t k = 0; k < static_cast<std::int64_t>(n); ++k) {
    double f = 0;
    std::int64_t i = 0;
    if (kind == "rows")
      f = k * 0.25 - 5;
    else if (kind == "i8")
      i = (k * k - 500) * 1000003;
    else if (kind == "u1")
      i = (k * 7) % 256;
    else if (kind == "b1")
      i = k % 3 == 0;
    else if (kind == "frames")
      i = (k * 13 + k / 360) % 256;
    else if (kind == "i4")
      i = k * -77 + 1000;
    else if (kind == "f4")
      f = k * 0.5 - 2;
    else if (kind == "slash")
      i = k * 3 - 7;
    else if (kind == "nan_fill")
      f = k < 6 ? double(k) : std::nan("");
    if (dtype == "<f8")
      append(f);
    else if (dtype == "<f4")
      append(static_cast<float>(f));
    else if (dtype == "<i8")
      append(i);
    else if (dtype == "<i4")
      append(static_cast<std::int32_t>(i));
    else
      append(static_cast<std::uint8_t>(i));  // |u1 and |b1 (0 or 1)
  }
  return out;
}

// Sum as zarr_compat.py reports it: nansum in double for floats, int64 otherwise.
json pattern_sum(const Spec& s) {
  const Bytes b = pattern(s.kind, s.shape, s.dtype);
  const std::uint64_t n = count(s.shape);
  double f = 0;
  std::int64_t i = 0;
  for (std::uint64_t k = 0; k < n; ++k) {
    if (s.dtype == "<f8" || s.dtype == "<f4") {
      double v = 0;
      if (s.dtype == "<f8")
        std::memcpy(&v, &b[k * 8], 8);
      else {
        float x;
        std::memcpy(&x, &b[k * 4], 4);
        v = x;
      }
      if (!std::isnan(v)) f += v;  // the values are multiples of 1/4: the sum is exact
    } else if (s.dtype == "<i8") {
      std::int64_t v;
      std::memcpy(&v, &b[k * 8], 8);
      i += v;
    } else if (s.dtype == "<i4") {
      std::int32_t v;
      std::memcpy(&v, &b[k * 4], 4);
      i += v;
    } else {
      i += b[k];
    }
  }
  if (s.dtype == "<f8" || s.dtype == "<f4") return f;
  return i;
}

// Runs zarr_compat.py; returns its stdout and fails the test on a non-zero exit.
std::string run_python(const std::string& command, const fs::path& dir) {
  const std::string cmd = std::string(SW_PYTHON) + " '" + SW_STORE_TEST_DIR + "/zarr_compat.py' " +
                          command + " '" + dir.string() + "'";
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (!pipe) throw std::runtime_error("popen failed: " + cmd);
  std::string out;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
  const int status = ::pclose(pipe);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << cmd << "\n" << out;
  return out;
}

void write_specs(const fs::path& dir) {
  json list = json::array();
  for (const auto& s : specs()) {
    list.push_back({{"name", s.name},
                    {"kind", s.kind},
                    {"codec", s.codec},
                    {"shape", s.shape},
                    {"chunks", s.chunks},
                    {"dtype", s.dtype},
                    {"fill", s.fill},
                    {"separator", s.separator ? json(*s.separator) : json(nullptr)}});
  }
  std::ofstream(dir / "specs.json") << list.dump();
}

// Writes every spec into dir/ours.zarr with our code, and the raw values to dir/expected.
void write_ours(const fs::path& dir) {
  auto backend = std::make_shared<LocalBackend>(dir / "ours.zarr");
  create_group(*backend, "");
  write_attrs(*backend, "", {{"format_version", 1}, {"written_by", "stillwater"}});
  fs::create_directories(dir / "expected");
  for (const auto& s : specs()) {
    const Array a = Array::create(backend, s.name, meta_of(s));
    const Bytes values = pattern(s.kind, s.shape, s.dtype);
    if (s.kind == "frames") {
      // Frame by frame, as the run store will write them.
      const std::size_t frame_bytes = values.size() / s.shape[0];
      for (std::uint64_t f = 0; f < s.shape[0]; ++f) {
        const std::vector<std::uint64_t> index = {f, 0, 0, 0};
        a.write_chunk(index, values.data() + f * frame_bytes);
      }
    } else if (s.kind == "nan_fill") {
      const std::vector<std::uint64_t> first = {0};
      a.write_chunk(first, values.data());  // the other chunks stay missing (NaN)
    } else {
      a.write_all_bytes(values.data());
    }
    std::ofstream(dir / "expected" / (s.name + ".bin"), std::ios::binary)
        .write(reinterpret_cast<const char*>(values.data()), std::streamsize(values.size()));
  }
}

TEST(ZarrCompat, ZarrPythonAndDaskReadOurArrays) {
  test::TempDir dir("sw-store-compat");
  write_ours(dir.path());
  const json report = json::parse(run_python("check", dir.path()));

  EXPECT_EQ(report["attrs"], json({{"format_version", 1}, {"written_by", "stillwater"}}));
  ASSERT_EQ(report["arrays"].size(), specs().size());
  for (const auto& s : specs()) {
    SCOPED_TRACE(s.name);
    const json& r = report["arrays"][s.name];
    EXPECT_TRUE(r["equal"].get<bool>()) << "zarr-python read other values than we wrote";
    EXPECT_EQ(r["shape"], json(s.shape));
    EXPECT_EQ(r["dtype"], s.dtype);
    EXPECT_EQ(r["compressor"], compressor_of(s.codec).to_json());
    EXPECT_EQ(r["sum"], pattern_sum(s));
    if (s.kind == "frames") {
      EXPECT_EQ(r["dask_sum"].get<std::int64_t>(), pattern_sum(s).get<std::int64_t>());
    }
  }
  // Known totals, so that a formula drift on both sides would still be caught.
  EXPECT_EQ(report["arrays"]["frames_none"]["dask_sum"].get<std::int64_t>(), 321324);
  EXPECT_EQ(report["arrays"]["rows_zstd"]["sum"].get<double>(), 241.5);
}

TEST(ZarrCompat, WeReadZarrPythonAndDaskArrays) {
  test::TempDir dir("sw-store-compat");
  write_specs(dir.path());
  run_python("write", dir.path());
  auto backend = std::make_shared<LocalBackend>(dir.path() / "theirs.zarr");

  EXPECT_TRUE(is_group(*backend, ""));
  EXPECT_TRUE(
      read_attrs(*backend, "")["written_by"].get<std::string>().starts_with("zarr-python 2.13"));
  for (const auto& s : specs()) {
    SCOPED_TRACE(s.name);
    const Array a = Array::open(backend, s.name);
    EXPECT_EQ(a.meta(), meta_of(s));
    if (s.kind == "nan_fill") {
      const auto v = a.read_all<double>();
      ASSERT_EQ(v.size(), 20u);
      for (std::size_t k = 0; k < v.size(); ++k) {
        if (k < 6)
          EXPECT_EQ(v[k], double(k));
        else
          EXPECT_TRUE(std::isnan(v[k])) << k;
      }
      EXPECT_FALSE(a.chunk_exists(std::vector<std::uint64_t>{1}));
    } else {
      EXPECT_EQ(a.read_all_bytes(), pattern(s.kind, s.shape, s.dtype));
    }
  }
  // Typed access on a few, with values checked by formula.
  const auto rows = Array::open(backend, "rows_blosc_zstd").read_all<double>();
  EXPECT_EQ(rows[3 * 22 + 2], (3 * 22 + 2) * 0.25 - 5);
  const auto flags = Array::open(backend, "b1_zstd").read_all<bool>();
  EXPECT_EQ(std::count(flags.begin(), flags.end(), true), 10);
  EXPECT_EQ(Array::open(backend, "i8_none").read_all<std::int64_t>()[36],
            (36 * 36 - 500) * std::int64_t{1000003});

  const Array frames = Array::open(backend, "dask_frames");
  EXPECT_EQ(frames.meta().chunks, (std::vector<std::uint64_t>{2, 12, 10, 3}));
  const auto pixels = frames.read_all<std::uint8_t>();
  std::uint64_t sum = 0;
  for (auto p : pixels) sum += p;
  EXPECT_EQ(sum, 321324u);
  EXPECT_EQ(Bytes(pixels.begin(), pixels.end()), pattern("frames", {7, 12, 10, 3}, "|u1"));

  try {
    Array::open(backend, "filtered");
    FAIL() << "an array with filters must not open";
  } catch (const sw::Error& e) {
    EXPECT_EQ(e.subject(), (dir.path() / "theirs.zarr" / "filtered" / ".zarray").string());
    EXPECT_EQ(e.problem(),
              "unsupported filters (expected null, got "
              "[{\"astype\":\"<i8\",\"dtype\":\"<i8\",\"id\":\"delta\"}])");
  }
}

TEST(ZarrCompat, OurZarrayBytesEqualZarrPythons) {
  test::TempDir dir("sw-store-compat");
  write_specs(dir.path());
  run_python("write", dir.path());
  write_ours(dir.path());
  for (const auto& s : specs()) {
    SCOPED_TRACE(s.name);
    const std::string theirs = read_text(dir.path() / "theirs.zarr" / s.name / ".zarray");
    ASSERT_FALSE(theirs.empty());
    EXPECT_EQ(read_text(dir.path() / "ours.zarr" / s.name / ".zarray"), theirs);
    EXPECT_EQ(meta_of(s).to_text(), theirs);
  }
  const ArrayMeta dask_meta = ArrayMeta::make({7, 12, 10, 3}, {2, 12, 10, 3}, "|u1");
  EXPECT_EQ(dask_meta.to_text(), read_text(dir.path() / "theirs.zarr/dask_frames/.zarray"));
  EXPECT_EQ(read_text(dir.path() / "ours.zarr/.zgroup"),
            read_text(dir.path() / "theirs.zarr/.zgroup"));

  // Uncompressed chunks hold the raw padded bytes, so they must match file for file; this
  // pins the edge-chunk padding to zarr-python's.
  for (const std::string name :
       {"rows_none", "i8_none", "u1_none", "b1_none", "frames_none", "fill7_none"}) {
    LocalBackend ours(dir.path() / "ours.zarr"), theirs(dir.path() / "theirs.zarr");
    const auto keys = theirs.list(name + "/");
    EXPECT_EQ(ours.list(name + "/"), keys);
    for (const auto& key : keys) EXPECT_EQ(ours.get(key), theirs.get(key)) << key;
  }
}

}  // namespace
}  // namespace sw::store
