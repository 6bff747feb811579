// Frames as Zarr arrays (store/frame_array.hpp), against the reference implementation:
// we read frames arrays that dask.array.to_zarr wrote, and zarr-python and Dask read the ones we
// write. The Python half is frame_array_compat.py, run with /usr/bin/python3.
#include <sys/wait.h>
#include <cstdio>
#include <fstream>
#include <functional>
#include <thread>

#include <gtest/gtest.h>

#include "store/frame_array.hpp"
#include "store/frame_color.hpp"
#include "store/local_backend.hpp"
#include "support/file_text.hpp"
#include "support/temp_dir.hpp"

namespace sw::store {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using test::read_text;

// Runs frame_array_compat.py; returns its stdout and fails the test on a non-zero exit.
std::string run_python(const std::string& command, const fs::path& dir) {
  const std::string cmd = std::string(SW_PYTHON) + " '" + SW_STORE_TEST_DIR +
                          "/frame_array_compat.py' " + command + " '" + dir.string() + "'";
  FILE* pipe = ::popen(cmd.c_str(), "r");
  if (!pipe) throw std::runtime_error("popen failed: " + cmd);
  std::string out;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
  const int status = ::pclose(pipe);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << cmd << "\n" << out;
  return out;
}

// Every frame's luma, read in order, as one buffer of N * H * W bytes (rows unpadded).
std::vector<std::uint8_t> read_all_luma(ZarrFrameSource& source) {
  std::vector<std::uint8_t> all;
  FrameView view;
  for (std::int64_t k = 0; k < source.frame_count(); ++k) {
    source.read(k, view);
    EXPECT_EQ(view.index, k);
    EXPECT_EQ(view.pts, k);
    EXPECT_EQ(view.bit_depth, 8);
    EXPECT_EQ(view.planes[0].width, source.width());
    EXPECT_EQ(view.planes[0].height, source.height());
    EXPECT_EQ(view.planes[1].data, nullptr);  // luma only
    EXPECT_EQ(view.planes[2].data, nullptr);
    for (int y = 0; y < view.planes[0].height; ++y) {
      const std::uint8_t* row = view.planes[0].data + y * view.planes[0].stride;
      all.insert(all.end(), row, row + view.planes[0].width);
    }
  }
  return all;
}

// The arrays dask.array.to_zarr wrote, shared by the reading tests (Python starts slowly).
class DaskFrames : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new test::TempDir("sw-store-frames");
    run_python("write", dir_->path());
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static fs::path path(const std::string& name) { return dir_->path() / name; }
  static std::vector<std::uint8_t> expected_luma(const std::string& name) {
    const std::string text = read_text(path("expected") / (name + ".luma"));
    return {text.begin(), text.end()};
  }
  static test::TempDir* dir_;
};
test::TempDir* DaskFrames::dir_ = nullptr;

TEST_F(DaskFrames, OneFramePerChunk) {
  ZarrFrameSource source(path("c1.zarr"));
  EXPECT_EQ(source.frame_count(), 7);
  EXPECT_EQ(source.width(), 10);
  EXPECT_EQ(source.height(), 12);
  EXPECT_EQ(read_all_luma(source), expected_luma("c1"));

  // No "fps" attribute: 30 frames per second.
  const FrameIndex index = source.frame_index();
  EXPECT_EQ(index.pts, (std::vector<std::int64_t>{0, 1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(index.keyframe, std::vector<std::uint8_t>(7, 1));
  EXPECT_EQ(index.time_base.num, 1);
  EXPECT_EQ(index.time_base.den, 30);
}

TEST_F(DaskFrames, FourFramesPerChunkWithAShortLastChunk) {
  ZarrFrameSource source(path("c4.zarr"));
  EXPECT_EQ(source.array().meta().chunks, (std::vector<std::uint64_t>{4, 9, 14, 3}));
  EXPECT_EQ(source.frame_count(), 11);
  EXPECT_EQ(read_all_luma(source), expected_luma("c4"));
  // .zattrs {"fps": 29.97002997002997} is NTSC's 30000/1001.
  EXPECT_EQ(source.fps().num, 30000);
  EXPECT_EQ(source.fps().den, 1001);
  EXPECT_EQ(source.frame_index().time_base.num, 1001);
  EXPECT_EQ(source.frame_index().time_base.den, 30000);
}

TEST_F(DaskFrames, ArrayInAGroupTiledAndZstd) {
  ZarrFrameSource source(path("tiled.zarr"), "clip");
  EXPECT_EQ(source.array().meta().chunks, (std::vector<std::uint64_t>{3, 5, 7, 3}));
  EXPECT_EQ(read_all_luma(source), expected_luma("tiled"));
  EXPECT_EQ(source.frame_index().time_base.num, 1);
  EXPECT_EQ(source.frame_index().time_base.den, 25);
}

TEST_F(DaskFrames, ChannelsSplitAcrossChunks) {
  ZarrFrameSource source(path("split_rgb.zarr"));
  EXPECT_EQ(read_all_luma(source), expected_luma("split_rgb"));
}

TEST_F(DaskFrames, RandomAccessGivesTheSamePixelsAsReadingInOrder) {
  for (const std::string name : {"c1", "c4", "tiled"}) {
    SCOPED_TRACE(name);
    ZarrFrameSource source = name == "tiled" ? ZarrFrameSource(path("tiled.zarr"), "clip")
                                             : ZarrFrameSource(path(name + ".zarr"));
    const auto in_order = read_all_luma(source);
    const std::size_t frame = static_cast<std::size_t>(source.width()) * source.height();
    const auto matches = [&](std::int64_t k) {
      FrameView view;
      source.read(k, view);
      for (int y = 0; y < source.height(); ++y) {
        const std::uint8_t* row = view.planes[0].data + y * view.planes[0].stride;
        if (!std::equal(row, row + source.width(),
                        in_order.begin() + k * frame + y * source.width()))
          return false;
      }
      return true;
    };
    const std::int64_t n = source.frame_count();
    for (std::int64_t k = 0; k + 5 < n; ++k) {
      EXPECT_TRUE(matches(k + 5)) << k + 5;
      EXPECT_TRUE(matches(k)) << k;
    }
    for (std::int64_t k = n; k-- > 0;) EXPECT_TRUE(matches(k)) << k;
  }
}

void expect_error(const std::function<void()>& f, const std::string& subject,
                  const std::string& problem) {
  try {
    f();
    ADD_FAILURE() << "expected sw::Error: " << problem;
  } catch (const sw::Error& e) {
    EXPECT_EQ(e.subject(), subject);
    EXPECT_EQ(e.problem(), problem);
  }
}

TEST_F(DaskFrames, WrongArraysAreRejectedWithTheLayoutTheyHave) {
  const fs::path group = path("wrong.zarr");
  const auto open = [&](const std::string& name) {
    return [&group, name] { ZarrFrameSource source(group, name); };
  };
  const std::string expected = "expected a frames array (N, H, W, 3) uint8, got ";
  expect_error(open("three_d"), (group / "three_d").string(),
               expected + "shape (5, 12, 10), dtype \"|u1\", order \"C\"");
  expect_error(open("float"), (group / "float").string(),
               expected + "shape (5, 12, 10, 3), dtype \"<f4\", order \"C\"");
  expect_error(open("four"), (group / "four").string(),
               expected + "shape (5, 12, 10, 4), dtype \"|u1\", order \"C\"");
  expect_error(open("fortran"), (group / "fortran").string(),
               expected + "shape (5, 12, 10, 3), dtype \"|u1\", order \"F\"");
  expect_error(open("half"), (group / "half").string(),
               expected + "shape (5, 12, 10, 3), dtype \"<f2\", order \"C\"");
  expect_error([&] { ZarrFrameSource source(group); }, (group / ".zarray").string(),
               "no Zarr array (expected a .zarray file, got none)");

  ZarrFrameSource source(path("c1.zarr"));
  FrameView view;
  expect_error([&] { source.read(7, view); }, path("c1.zarr").string(),
               "frame out of range (expected 0..6, got 7)");
  expect_error([&] { source.read(-1, view); }, path("c1.zarr").string(),
               "frame out of range (expected 0..6, got -1)");
}

// A test pattern: frame k, row y, byte x.
std::uint8_t pattern(std::uint64_t k, int y, int x) {
  return static_cast<std::uint8_t>(k * 37 + y * 11 + x * 3 + (x * y) % 7);
}

TEST_F(DaskFrames, OurZarrayIsDasks) {
  test::TempDir dir("sw-store-frames");
  auto backend = std::make_shared<LocalBackend>(dir.path());
  FrameArrayWriter rgb(backend, "rgb", FrameLayout::rgb, 7, 10, 12);
  EXPECT_EQ(read_text(dir.path() / "rgb" / ".zarray"), read_text(path("c1.zarr") / ".zarray"));
}

TEST(FrameArrayWriter, ZarrPythonAndDaskReadOurFrames) {
  test::TempDir dir("sw-store-frames");
  auto backend = std::make_shared<LocalBackend>(dir.path() / "ours.zarr");
  create_group(*backend, "");
  fs::create_directories(dir.path() / "expected");

  // Luma at analysis size from padded rows (as a cv::Mat ROI or an AVFrame plane has them).
  const std::uint64_t n_luma = 6;
  const int lw = 11, lh = 9, stride = 16;
  std::vector<std::uint8_t> luma_expected;
  {
    FrameArrayWriter writer(backend, "luma", FrameLayout::luma, n_luma, lw, lh);
    for (std::uint64_t k = 0; k < n_luma; ++k) {
      std::vector<std::uint8_t> padded(stride * lh, 0xEE);
      for (int y = 0; y < lh; ++y) {
        for (int x = 0; x < lw; ++x) {
          padded[y * stride + x] = pattern(k, y, x);
          luma_expected.push_back(pattern(k, y, x));
        }
      }
      writer.write(k, padded.data(), stride);
    }
  }

  // RGB at full size, two threads writing alternate frames.
  const std::uint64_t n_rgb = 5;
  const int w = 10, h = 12;
  std::vector<std::uint8_t> rgb_expected(n_rgb * w * h * 3);
  for (std::uint64_t k = 0; k < n_rgb; ++k) {
    for (int y = 0; y < h; ++y) {
      for (int x = 0; x < 3 * w; ++x) rgb_expected[(k * h + y) * w * 3 + x] = pattern(k, y, x);
    }
  }
  {
    const FrameArrayWriter writer(backend, "rgb", FrameLayout::rgb, n_rgb, w, h,
                                  Compressor::blosc(), 25);
    const auto worker = [&](std::uint64_t first) {
      for (std::uint64_t k = first; k < n_rgb; k += 2) {
        writer.write(k, rgb_expected.data() + k * w * h * 3, 3 * w);
      }
    };
    std::thread a(worker, 0), b(worker, 1);
    a.join();
    b.join();
  }
  std::ofstream(dir.path() / "expected" / "luma.bin", std::ios::binary)
      .write(reinterpret_cast<const char*>(luma_expected.data()),
             std::streamsize(luma_expected.size()));
  std::ofstream(dir.path() / "expected" / "rgb.bin", std::ios::binary)
      .write(reinterpret_cast<const char*>(rgb_expected.data()),
             std::streamsize(rgb_expected.size()));

  const json report = json::parse(run_python("check", dir.path()));
  const json lz4 = Compressor::blosc("lz4", 5, 1).to_json();
  std::int64_t luma_sum = 0, rgb_sum = 0;
  for (auto v : luma_expected) luma_sum += v;
  for (auto v : rgb_expected) rgb_sum += v;

  const json& l = report["luma"];
  EXPECT_TRUE(l["equal"].get<bool>());
  EXPECT_EQ(l["shape"], json({6, 9, 11}));
  EXPECT_EQ(l["chunks"], json({1, 9, 11}));
  EXPECT_EQ(l["dtype"], "|u1");
  EXPECT_EQ(l["compressor"], lz4);
  EXPECT_EQ(l["attrs"], json::object());
  EXPECT_EQ(l["sum"].get<std::int64_t>(), luma_sum);
  EXPECT_EQ(l["dask_sum"].get<std::int64_t>(), luma_sum);
  EXPECT_EQ(l["nchunks_initialized"], 6);

  const json& r = report["rgb"];
  EXPECT_TRUE(r["equal"].get<bool>());
  EXPECT_EQ(r["shape"], json({5, 12, 10, 3}));
  EXPECT_EQ(r["chunks"], json({1, 12, 10, 3}));
  EXPECT_EQ(r["compressor"], lz4);
  EXPECT_EQ(r["attrs"], json({{"fps", 25.0}}));
  EXPECT_EQ(r["sum"].get<std::int64_t>(), rgb_sum);
  EXPECT_EQ(r["dask_sum"].get<std::int64_t>(), rgb_sum);
  EXPECT_EQ(r["nchunks_initialized"], 5);

  // And our reader reads our RGB frames back, fps included.
  ZarrFrameSource source(dir.path() / "ours.zarr", "rgb");
  EXPECT_EQ(source.fps().num, 25);
  std::vector<std::uint8_t> luma(n_rgb * w * h);
  rgb_to_luma(rgb_expected.data(), 3 * w, w, static_cast<int>(n_rgb) * h, luma.data(), w);
  EXPECT_EQ(read_all_luma(source), luma);
}

TEST(FrameArrayWriter, RgbFromYuvRoundTripsTheLuma) {
  // A grey YUV frame (U = V = 128) becomes grey RGB; its luma is the Y we started from, within
  // the rounding of the two conversions.
  const int w = 16, h = 8;
  std::vector<std::uint8_t> y(w * h), c(w * h / 4, 128);
  for (int i = 0; i < w * h; ++i) y[i] = static_cast<std::uint8_t>(16 + (i * 7) % 220);
  FrameView yuv;
  yuv.planes[0] = {y.data(), w, w, h, 1};
  yuv.planes[1] = {c.data(), w / 2, w / 2, h / 2, 1};
  yuv.planes[2] = {c.data(), w / 2, w / 2, h / 2, 1};
  std::vector<std::uint8_t> rgb;
  yuv_to_rgb(yuv, rgb);

  test::TempDir dir("sw-store-frames");
  auto backend = std::make_shared<LocalBackend>(dir.path());
  FrameArrayWriter(backend, "rgb", FrameLayout::rgb, 1, w, h).write(0, rgb.data(), 3 * w);
  ZarrFrameSource source(dir.path() / "rgb");
  FrameView view;
  source.read(0, view);
  for (int i = 0; i < w * h; ++i) EXPECT_NEAR(view.planes[0].data[i], y[i], 1) << i;
}

TEST(FrameArrayWriter, RejectsBadFramesAndSizes) {
  test::TempDir dir("sw-store-frames");
  auto backend = std::make_shared<LocalBackend>(dir.path());
  expect_error([&] { FrameArrayWriter(backend, "x", FrameLayout::luma, 3, 0, 4); },
               (dir.path() / "x").string(), "invalid frame size (expected positive, got 0x4)");
  const FrameArrayWriter writer(backend, "luma", FrameLayout::luma, 3, 4, 2);
  const std::uint8_t frame[8] = {};
  expect_error([&] { writer.write(0, frame, 3); }, (dir.path() / "luma").string(),
               "invalid stride (expected at least 4 bytes, got 3)");
  EXPECT_THROW(writer.write(3, frame, 4), sw::Error);  // the grid has frames 0..2
}

}  // namespace
}  // namespace sw::store
