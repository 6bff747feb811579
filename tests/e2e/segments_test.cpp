// Results do not depend on how the work is split: the store's arrays are byte-equal for any
// thread count and any segment length (1 frame to the whole video), and the output video is
// byte-equal for any thread count at a given segment length.
#include <gtest/gtest.h>

#include "e2e/cli.hpp"
#include "e2e/store_util.hpp"
#include "support/synthetic_clip.hpp"
#include "support/temp_dir.hpp"

namespace sw::test {
namespace {

// A clip with a GOP shorter than the clip and B-frames, so cuts fall inside and on GOPs.
class Segments : public ::testing::Test {
 protected:
  void SetUp() override {
    ClipSpec spec;
    spec.width = 320;
    spec.height = 240;
    spec.frames = 48;
    spec.gop = 12;
    spec.bframes = 3;
    spec.audio = true;
    spec.seed = 11;
    make_shaky_clip(dir.file("in.mp4"), spec);
  }
  RunResult stabilize(const std::string& name, int threads, int segment_frames) {
    return run_stillwater({"stabilize", dir.file("in.mp4"), "-o", dir.file(name + ".mp4"),
                           "--store", dir.file(name + ".zarr"), "--threads",
                           std::to_string(threads), "--segment-frames",
                           std::to_string(segment_frames), "-q"});
  }
  TempDir dir;
};

TEST_F(Segments, StoreArraysAreByteEqualForEveryThreadCountAndSegmentLength) {
  ASSERT_EQ(stabilize("ref", 1, 0).exit_code, 0);
  const auto reference = array_bytes(dir.path() / "ref.zarr");
  for (int segment_frames : {1, 2, 5, 7, 12, 13, 24, 47, 48, 1000}) {
    for (int threads : {1, 2, 3}) {
      if (segment_frames > 13 && threads == 2) continue;  // keeps the test short; 1 and 3 cover it
      const std::string name = "s" + std::to_string(segment_frames) + "t" + std::to_string(threads);
      const auto result = stabilize(name, threads, segment_frames);
      ASSERT_EQ(result.exit_code, 0) << result.err;
      const auto arrays = array_bytes(dir.path() / (name + ".zarr"));
      for (const auto& [array, bytes] : reference) {
        EXPECT_EQ(arrays.at(array), bytes) << array << " differs with --segment-frames "
                                           << segment_frames << " --threads " << threads;
      }
    }
  }
}

TEST_F(Segments, VideoIsByteEqualForEveryThreadCount) {
  for (int segment_frames : {10, 24}) {
    std::string reference;
    for (int threads : {1, 2, 3}) {
      const std::string name = "v" + std::to_string(segment_frames) + "t" + std::to_string(threads);
      const auto result = stabilize(name, threads, segment_frames);
      ASSERT_EQ(result.exit_code, 0) << result.err;
      const std::string bytes = file_bytes(dir.file(name + ".mp4"));
      ASSERT_GT(bytes.size(), 1000u);
      if (threads == 1) {
        reference = bytes;
      } else {
        EXPECT_TRUE(bytes == reference) << "output differs with --threads " << threads
                                        << " at --segment-frames " << segment_frames;
      }
    }
  }
}

TEST_F(Segments, RenderFromStoreEqualsStabilize) {
  ASSERT_EQ(stabilize("a", 2, 12).exit_code, 0);
  const auto result = run_stillwater({"render", dir.file("in.mp4"), "--store", dir.file("a.zarr"),
                                      "-o", dir.file("again.mp4"), "-q"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(file_bytes(dir.file("again.mp4")) == file_bytes(dir.file("a.mp4")));
}

}  // namespace
}  // namespace sw::test
