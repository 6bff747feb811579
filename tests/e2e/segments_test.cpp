// Results do not depend on how the work is split: the store's arrays are byte-equal for any
// thread count and any segment length (1 frame to the whole video), and the output video is
// byte-equal for any thread count at a given segment length. What the segments meet in the
// input reaches the user: each distinct warning once, whatever the number of segments and
// passes that met it; and -q leaves stderr to errors and warnings alone.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>

#include "e2e/cli.hpp"
#include "e2e/store_util.hpp"
#include "support/synthetic_clip.hpp"
#include "support/temp_dir.hpp"

namespace sw::test {
namespace {

// A clip with a GOP shorter than the clip and B-frames, so cuts fall inside and on GOPs, and
// repeated frames in a 2:3 pattern (path/repeats.cpp), whose picture differences are
// measured per pair and so must not depend on the split either.
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
    spec.pulldown = true;
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

TEST_F(Segments, MatroskaOutputIsByteEqualForEveryThreadCount) {
  // Matroska writes a random segment UID and the muxing date unless told to be bit-exact.
  std::string reference;
  for (int threads : {1, 2}) {
    const std::string out = dir.file("mkv" + std::to_string(threads) + ".mkv");
    const auto result = run_stillwater({"stabilize", dir.file("in.mp4"), "-o", out, "--threads",
                                        std::to_string(threads), "--segment-frames", "10", "-q"});
    ASSERT_EQ(result.exit_code, 0) << result.err;
    const std::string bytes = file_bytes(out);
    ASSERT_GT(bytes.size(), 1000u);
    if (threads == 1)
      reference = bytes;
    else
      EXPECT_TRUE(bytes == reference) << "mkv output differs with --threads " << threads;
  }
}

TEST_F(Segments, RenderFromStoreEqualsStabilize) {
  ASSERT_EQ(stabilize("a", 2, 12).exit_code, 0);
  const auto result = run_stillwater({"render", dir.file("in.mp4"), "--store", dir.file("a.zarr"),
                                      "-o", dir.file("again.mp4"), "-q"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(file_bytes(dir.file("again.mp4")) == file_bytes(dir.file("a.mp4")));
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}

// No line of stderr twice.
void expect_no_repeated_line(const RunResult& r) {
  std::set<std::string> seen;
  for (const auto& line : r.err_lines()) EXPECT_TRUE(seen.insert(line).second) << line;
}

// A clip with its index first (faststart), cut in half: the index lists frames whose data is
// gone, so decoding ends early with a read error.
std::string truncated_clip(const TempDir& dir) {
  ClipSpec spec;
  spec.frames = 60;
  make_shaky_clip(dir.file("whole.mp4"), spec);
  shell("ffmpeg -v error -y -i '" + dir.file("whole.mp4") + "' -c copy -movflags +faststart '" +
        dir.file("cut.mp4") + "' </dev/null");
  std::filesystem::resize_file(dir.file("cut.mp4"),
                               std::filesystem::file_size(dir.file("cut.mp4")) / 2);
  return dir.file("cut.mp4");
}

TEST_F(Segments, TruncatedInputWarnsOnceInAnalyzeAndInStabilize) {
  const std::string cut = truncated_clip(dir);
  const auto analysed = run_stillwater({"analyze", cut, "--store", dir.file("cut.zarr"),
                                        "--segment-frames", "5", "--threads", "3", "-q"});
  ASSERT_EQ(analysed.exit_code, 0) << analysed.err;
  EXPECT_EQ(count(analysed.err, "stream ends early"), 1u) << analysed.err;
  EXPECT_EQ(count(analysed.err, "cut.mp4"), analysed.err_lines().size()) << analysed.err;
  expect_no_repeated_line(analysed);

  // Both passes meet the early end; the user hears of it once.
  const auto stabilized = run_stillwater({"stabilize", cut, "-o", dir.file("cut-out.mp4"),
                                          "--segment-frames", "5", "--threads", "3", "-q"});
  ASSERT_EQ(stabilized.exit_code, 0) << stabilized.err;
  EXPECT_EQ(count(stabilized.err, "stream ends early"), 1u) << stabilized.err;
  expect_no_repeated_line(stabilized);
}

TEST_F(Segments, DamagedInputWarnsInAnalyze) {
  // Flip bytes in the middle of the coded frames: packets fail to decode or decode damaged.
  std::string bytes = file_bytes(dir.file("in.mp4"));
  for (std::size_t i = bytes.size() / 2; i < bytes.size() / 2 + 3000 && i < bytes.size(); i += 7)
    bytes[i] = static_cast<char>(bytes[i] ^ 0x5a);
  std::ofstream(dir.file("damaged.mp4"), std::ios::binary) << bytes;
  const auto r = run_stillwater({"analyze", dir.file("damaged.mp4"), "--store",
                                 dir.file("damaged.zarr"), "--segment-frames", "5", "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_GT(count(r.err, "could not be decoded") + count(r.err, "damaged (the decoder"), 0u)
      << r.err;
  expect_no_repeated_line(r);
}

// -q: the commands print nothing at all for a clean run (no summary, no per-stage table).
TEST_F(Segments, QuietPrintsNothingWithoutWarnings) {
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"stabilize", dir.file("in.mp4"), "-o", dir.file("q.mp4"), "-q"},
        std::vector<std::string>{"analyze", dir.file("in.mp4"), "--store", dir.file("q.zarr"),
                                 "-q"},
        std::vector<std::string>{"render", dir.file("in.mp4"), "--store", dir.file("q.zarr"), "-o",
                                 dir.file("q2.mp4"), "--quiet"},
        std::vector<std::string>{"stabilize", dir.file("in.mp4"), "-o", dir.file("q3.mp4"), "-q",
                                 "--trace", dir.file("q.json")}}) {
    const auto r = run_stillwater(args);
    ASSERT_EQ(r.exit_code, 0) << args[0] << ": " << r.err;
    EXPECT_EQ(r.err, "") << args[0];
    EXPECT_EQ(r.out, "") << args[0];
  }
  // Without -q the table is there (the check above is not vacuous).
  const auto loud = run_stillwater({"stabilize", dir.file("in.mp4"), "-o", dir.file("q4.mp4")});
  EXPECT_NE(loud.err.find("wall s"), std::string::npos) << loud.err;
}

nlohmann::json store_attrs(const std::string& store) {
  return nlohmann::json::parse(file_bytes(store + "/.zattrs"));
}

// render without --replan applies the stored corrections, so the store must keep describing
// them with the path parameters they were made with.
TEST_F(Segments, RenderWithoutReplanKeepsTheStoredPathParameters) {
  ASSERT_EQ(run_stillwater({"analyze", dir.file("in.mp4"), "--store", dir.file("p.zarr"),
                            "--smoother", "ma", "--radius", "12", "-q"})
                .exit_code,
            0);
  const auto before = store_attrs(dir.file("p.zarr"))["path"];
  ASSERT_EQ(before["radius"], 12);

  auto r = run_stillwater(
      {"render", dir.file("in.mp4"), "--store", dir.file("p.zarr"), "-o", dir.file("p.mp4"), "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(store_attrs(dir.file("p.zarr"))["path"], before);

  // A path option without --replan would change nothing: refused, store untouched.
  r = run_stillwater({"render", dir.file("in.mp4"), "--store", dir.file("p.zarr"), "-o",
                      dir.file("p2.mp4"), "--radius", "40", "-q"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--radius"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--replan"), std::string::npos) << r.err;
  EXPECT_EQ(store_attrs(dir.file("p.zarr"))["path"], before);
  EXPECT_FALSE(std::filesystem::exists(dir.file("p2.mp4")));

  // With --replan the path is recomputed and the store describes the new one.
  r = run_stillwater({"render", dir.file("in.mp4"), "--store", dir.file("p.zarr"), "-o",
                      dir.file("p3.mp4"), "--replan", "--smoother", "ma", "--radius", "40", "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(store_attrs(dir.file("p.zarr"))["path"]["radius"], 40);
}

// The store records the build that wrote it, as `--version` names it.
TEST_F(Segments, StoreRecordsTheBuild) {
  const auto version = run_stillwater({"--version"});
  ASSERT_EQ(version.exit_code, 0);
  ASSERT_EQ(stabilize("b", 1, 0).exit_code, 0);
  const std::string build = store_attrs(dir.file("b.zarr"))["input"]["stillwater_build"];
  EXPECT_FALSE(build.empty());
  EXPECT_NE(version.out.find("(build " + build + ")"), std::string::npos) << version.out;
}

}  // namespace
}  // namespace sw::test
