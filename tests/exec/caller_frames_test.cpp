// Frames handed over by a callback (exec/caller_frames_input.hpp): the same frames give the same
// motions, bit for bit, as when read from a Zarr frames array; the callback is never entered
// by two workers at once; a store refuses other frames; what the kind cannot do is refused.
#include <gtest/gtest.h>

#include <atomic>
#include <bit>
#include <cstring>
#include <functional>
#include <thread>

#include <opencv2/imgproc.hpp>

#include "core/error.hpp"
#include "exec/caller_frames_input.hpp"
#include "exec/input_kind.hpp"
#include "exec/pipeline.hpp"
#include "store/frame_array.hpp"
#include "store/local_backend.hpp"
#include "support/synthetic_clip.hpp"
#include "support/temp_dir.hpp"

namespace sw::exec {
namespace {

constexpr int kWidth = 320, kHeight = 240, kFrames = 24;

// A shaky synthetic clip as RGB frames in memory, (N, H, W, 3) in C order.
const std::vector<std::uint8_t>& clip_rgb() {
  static const std::vector<std::uint8_t> rgb = [] {
    test::ClipSpec spec;
    spec.width = kWidth, spec.height = kHeight, spec.frames = kFrames;
    const test::ClipRenderer renderer(spec);
    std::vector<std::uint8_t> all;
    for (int i = 0; i < kFrames; ++i) {
      cv::Mat frame;
      cv::cvtColor(renderer.frame(i), frame, cv::COLOR_BGR2RGB);
      all.insert(all.end(), frame.data, frame.data + frame.total() * 3);
    }
    return all;
  }();
  return rgb;
}

constexpr std::size_t kFrameBytes = std::size_t{kWidth} * kHeight * 3;

CallerFrames frames_of(const std::vector<std::uint8_t>& rgb) {
  CallerFrames f;
  f.frames = static_cast<std::int64_t>(rgb.size() / kFrameBytes);
  f.width = kWidth;
  f.height = kHeight;
  f.name = "test frames";
  f.read = [&rgb](std::int64_t k, std::uint8_t* out) {
    std::memcpy(out, rgb.data() + k * kFrameBytes, kFrameBytes);
  };
  return f;
}

RunOptions options(const std::string& store = {}) {
  RunOptions o;
  o.threads = 2;
  o.segment_frames = 8;  // three segments on two workers: the callback's calls interleave
  o.store = store;
  return o;
}

std::vector<Motion> analyse(Prepared run, const RunOptions& o) {
  return analyze(run, o).motions;
}

// Bit for bit, NaNs included (picture_diff of frame 0).
void expect_same_bits(const std::vector<Motion>& a, const std::vector<Motion>& b) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    SCOPED_TRACE("frame " + std::to_string(i));
    for (auto field : {&Motion::dx, &Motion::dy, &Motion::da, &Motion::scale, &Motion::scene_score,
                       &Motion::picture_diff}) {
      EXPECT_EQ(std::bit_cast<std::uint64_t>(a[i].*field),
                std::bit_cast<std::uint64_t>(b[i].*field));
    }
    EXPECT_EQ(a[i].corners, b[i].corners);
    EXPECT_EQ(a[i].tracked, b[i].tracked);
    EXPECT_EQ(a[i].inliers, b[i].inliers);
    EXPECT_EQ(a[i].status, b[i].status);
  }
}

TEST(CallerFrames, SameMotionsAsTheSameFramesInAZarrFramesArray) {
  const auto& rgb = clip_rgb();
  test::TempDir dir;
  const auto array = dir.path() / "frames.zarr";
  {
    const store::FrameArrayWriter writer(std::make_shared<store::LocalBackend>(array), "",
                                         store::FrameLayout::rgb, kFrames, kWidth, kHeight,
                                         store::Compressor::blosc(), 30);
    for (int k = 0; k < kFrames; ++k) writer.write(k, rgb.data() + k * kFrameBytes, kWidth * 3);
  }
  const auto from_zarr = analyse(prepare(array.string(), options()), options());
  const auto from_memory =
      analyse(prepare(make_caller_frames_input(frames_of(rgb)), options()), options());
  expect_same_bits(from_memory, from_zarr);
  int ok = 0;
  for (const Motion& m : from_memory) ok += m.valid();
  EXPECT_EQ(ok, kFrames - 1);  // every pair measured: the equality above is not of failures
}

TEST(CallerFrames, TheCallbackIsEnteredByOneWorkerAtATime) {
  const auto& rgb = clip_rgb();
  CallerFrames f = frames_of(rgb);
  std::atomic<int> inside{0}, most{0}, calls{0};
  f.read = [&](std::int64_t k, std::uint8_t* out) {
    const int now = ++inside;
    most = std::max(most.load(), now);
    std::this_thread::sleep_for(std::chrono::microseconds(200));  // widen any overlap
    std::memcpy(out, rgb.data() + k * kFrameBytes, kFrameBytes);
    ++calls;
    --inside;
  };
  analyse(prepare(make_caller_frames_input(std::move(f)), options()), options());
  EXPECT_EQ(most.load(), 1);
  EXPECT_GE(calls.load(), kFrames);
}

TEST(CallerFrames, FrameIndexAndInfoFollowTheFps) {
  CallerFrames f = frames_of(clip_rgb());
  f.fps = 29.97002997;
  const InputScan scan = make_caller_frames_input(std::move(f))->scan({});
  EXPECT_EQ(scan.index.size(), static_cast<std::size_t>(kFrames));
  EXPECT_EQ(scan.index.pts[5], 5);
  EXPECT_EQ(scan.index.time_base.num, 1001);
  EXPECT_EQ(scan.index.time_base.den, 30000);
  EXPECT_EQ(scan.info.width, kWidth);
  EXPECT_EQ(scan.info.height, kHeight);
}

TEST(CallerFrames, AStoreRefusesOtherFrames) {
  test::TempDir dir;
  const std::string store = (dir.path() / "run.zarr").string();
  const auto& rgb = clip_rgb();
  const auto first =
      analyse(prepare(make_caller_frames_input(frames_of(rgb)), options(store)), options(store));
  // The same frames again: the store's motions are taken.
  const auto again =
      analyse(prepare(make_caller_frames_input(frames_of(rgb)), options(store)), options(store));
  expect_same_bits(again, first);

  std::vector<std::uint8_t> other = rgb;
  other[kFrameBytes * (kFrames - 1) + 1234] ^= 1;  // one level of one sample of the last frame
  try {
    prepare(make_caller_frames_input(frames_of(other)), options(store));
    FAIL() << "expected sw::Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.problem()).find("another input"), std::string::npos) << e.what();
  }
}

// What the Python module does: the frames registered under a name for the call, and the
// command's code opening its input by that name.
TEST(CallerFrames, RegisteredFramesAreTheInputOfTheirNameWhileRegistered) {
  const auto& rgb = clip_rgb();
  std::string name;
  std::vector<Motion> by_name;
  {
    const RegisteredFrames registered(frames_of(rgb));
    name = registered.name();
    EXPECT_EQ(name.rfind("memory:", 0), 0u) << name;
    EXPECT_EQ(input_for(name)->kind(), kCallerFramesKind);
    by_name = analyse(prepare(name, options()), options());
  }
  expect_same_bits(
      by_name, analyse(prepare(make_caller_frames_input(frames_of(rgb)), options()), options()));
  // Gone with its RegisteredFrames, and never in another process (an MPI or shard job).
  for (const auto& open : {std::function([&] { input_for(name); }),
                           std::function([&] { input_of_kind(kCallerFramesKind, name); })}) {
    try {
      open();
      ADD_FAILURE() << "expected sw::Error";
    } catch (const Error& e) {
      EXPECT_EQ(e.subject(), name);
      EXPECT_NE(e.problem().find("does not hold"), std::string::npos) << e.problem();
    }
  }
}

TEST(CallerFrames, RenderAndRgbFramesAreRefused) {
  const auto input = make_caller_frames_input(frames_of(clip_rgb()));
  EXPECT_NE(input->cannot_render(), "");
  EXPECT_NE(input->cannot_store_rgb(), "");
  EXPECT_EQ(input->kind(), kCallerFramesKind);
}

TEST(CallerFrames, BadDescriptionsNameTheProblem) {
  const auto problem = [](CallerFrames f) {
    try {
      make_caller_frames_input(std::move(f));
    } catch (const Error& e) {
      EXPECT_EQ(e.subject(), "test frames");
      return e.problem();
    }
    return std::string("no error");
  };
  CallerFrames f = frames_of(clip_rgb());
  f.width = 0;
  EXPECT_EQ(problem(f), "expected frames from 1x1 to 16384x16384 pixels, got 0x240");
  f = frames_of(clip_rgb());
  f.frames = -1;
  EXPECT_EQ(problem(f), "expected 0 to 16777216 frames, got -1");
  f = frames_of(clip_rgb());
  f.fps = 0;
  EXPECT_EQ(problem(f).rfind("expected fps from 0.001 to 1000000, got 0", 0), 0u);
  f = frames_of(clip_rgb());
  f.read = nullptr;
  EXPECT_EQ(problem(f), "expected a frame callback, got none");
}

}  // namespace
}  // namespace sw::exec
