// Batch stabilize (cli/batch.hpp): several inputs or a directory into a directory, one file
// after the other; a broken file is reported in one line and the others still come out, with
// the bytes a single-file run of each gives (.mp4 and .mov: .mkv output carries a random
// segment UID and the date, so no two runs of it are byte-equal).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "e2e/cli.hpp"
#include "e2e/store_util.hpp"
#include "support/synthetic_clip.hpp"
#include "support/temp_dir.hpp"

namespace sw::test {
namespace {

namespace fs = std::filesystem;

int count_frames(const std::string& file) {
  return std::stoi(
      shell("ffprobe -v error -select_streams v:0 -count_frames -show_entries "
            "stream=nb_read_frames -of csv=p=0 '" +
            file + "'"));
}

std::vector<std::string> listing(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir))
    names.push_back(entry.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// The lines of `text` that contain `part`.
std::size_t lines_with(const std::vector<std::string>& lines, const std::string& part) {
  return static_cast<std::size_t>(std::count_if(lines.begin(), lines.end(), [&](const auto& l) {
    return l.find(part) != std::string::npos;
  }));
}

ClipSpec short_clip(std::uint64_t seed, int frames) {
  ClipSpec spec;
  spec.frames = frames;
  spec.seed = seed;
  return spec;
}

const std::vector<std::string> kCommon = {"--threads", "2", "--segment-frames", "12"};

RunResult stabilize(std::vector<std::string> args) {
  args.insert(args.begin(), "stabilize");
  args.insert(args.end(), kCommon.begin(), kCommon.end());
  return run_stillwater(args);
}

TEST(Batch, BrokenFileFailsAloneAndTheOthersMatchSingleRuns) {
  TempDir dir;
  fs::create_directory(dir.file("in"));
  make_shaky_clip(dir.file("in/a.mp4"), short_clip(3, 30));
  std::ofstream(dir.file("in/b.mp4")) << "this is not a video\n";
  make_shaky_clip(dir.file("in/c.mov"), short_clip(4, 24));

  const auto batch = stabilize({dir.file("in/a.mp4"), dir.file("in/b.mp4"), dir.file("in/c.mov"),
                                "-o", dir.file("out") + "/"});
  EXPECT_EQ(batch.exit_code, 1) << batch.err;
  EXPECT_EQ(listing(dir.file("out")), (std::vector<std::string>{"a.mp4", "c.mov"}));
  EXPECT_EQ(count_frames(dir.file("out/a.mp4")), 30);
  EXPECT_EQ(count_frames(dir.file("out/c.mov")), 24);

  // One line says why b.mp4 failed; the last one names the failures.
  const auto lines = batch.err_lines();
  EXPECT_EQ(lines_with(lines, "not a video file"), 1u) << batch.err;
  EXPECT_EQ(lines_with(lines, "stillwater: " + dir.file("in/b.mp4") + ": not a video file"), 1u)
      << batch.err;
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back(), "stillwater: 1 of 3 inputs failed: " + dir.file("in/b.mp4"));
  EXPECT_EQ(lines_with(lines, "a.mp4"), 0u) << batch.err;
  EXPECT_EQ(lines_with(lines, "c.mov"), 0u) << batch.err;

  // The summary: one line per file, in the order given.
  EXPECT_NE(batch.out.find("batch: 3 inputs, 2 stabilized, 1 failed\n"), std::string::npos)
      << batch.out;
  const auto a = batch.out.find("  " + dir.file("in/a.mp4") + " -> " + dir.file("out/a.mp4") +
                                ": 30 frames, ");
  const auto b = batch.out.find("  " + dir.file("in/b.mp4") + ": FAILED: " + dir.file("in/b.mp4") +
                                ": not a video file");
  const auto c = batch.out.find("  " + dir.file("in/c.mov") + " -> " + dir.file("out/c.mov") +
                                ": 24 frames, ");
  ASSERT_NE(a, std::string::npos) << batch.out;
  ASSERT_NE(b, std::string::npos) << batch.out;
  ASSERT_NE(c, std::string::npos) << batch.out;
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);

  for (const std::string name : {"a.mp4", "c.mov"}) {
    const auto single = stabilize({dir.file("in/" + name), "-o", dir.file("single-" + name), "-q"});
    ASSERT_EQ(single.exit_code, 0) << single.err;
    EXPECT_TRUE(file_bytes(dir.file("out/" + name)) == file_bytes(dir.file("single-" + name)))
        << name << ": the batch's output differs from a single-file run's";
  }

  // Again: the outputs exist now, so without -y every file fails, and the files stay as they
  // were; with -y the two good ones are written again.
  const std::string before = file_bytes(dir.file("out/a.mp4"));
  fs::remove(dir.file("in/b.mp4"));
  const auto again =
      stabilize({dir.file("in/a.mp4"), dir.file("in/c.mov"), "-o", dir.file("out"), "-q"});
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_EQ(lines_with(again.err_lines(), "already exists (use -y to overwrite)"), 2u) << again.err;
  EXPECT_TRUE(file_bytes(dir.file("out/a.mp4")) == before);
  const auto overwrite =
      stabilize({dir.file("in/a.mp4"), dir.file("in/c.mov"), "-o", dir.file("out"), "-q", "-y"});
  EXPECT_EQ(overwrite.exit_code, 0) << overwrite.err;
  EXPECT_EQ(overwrite.err, "");
  EXPECT_TRUE(file_bytes(dir.file("out/a.mp4")) == before);
}

TEST(Batch, DirectoryInputTakesItsVideosByNameWithAStoreEach) {
  TempDir dir;
  fs::create_directories(dir.file("in/sub"));
  make_shaky_clip(dir.file("in/b.MOV"), short_clip(5, 20));
  make_shaky_clip(dir.file("in/a.mp4"), short_clip(6, 20));
  fs::copy_file(dir.file("in/a.mp4"), dir.file("in/sub/nested.mp4"));
  // WebM cannot hold H.264: its output is an .mp4.
  ClipSpec vp8 = short_clip(8, 12);
  vp8.codec = "libvpx";
  make_shaky_clip(dir.file("in/c.webm"), vp8);
  std::ofstream(dir.file("in/notes.txt")) << "not a video, and not taken\n";

  // -o must name a directory: an existing one, or one ending with '/'.
  const auto no_dir = stabilize({dir.file("in"), "-o", dir.file("out")});
  EXPECT_EQ(no_dir.exit_code, 2);
  ASSERT_EQ(no_dir.err_lines().size(), 1u) << no_dir.err;
  EXPECT_NE(no_dir.err.find("-o: with several inputs or a directory, expected a directory"),
            std::string::npos)
      << no_dir.err;
  EXPECT_FALSE(fs::exists(dir.file("out")));

  const auto result =
      stabilize({dir.file("in"), "-o", dir.file("out/"), "--store", dir.file("stores")});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(listing(dir.file("out")), (std::vector<std::string>{"a.mp4", "b.MOV", "c.mp4"}));
  EXPECT_EQ(listing(dir.file("stores")), (std::vector<std::string>{"a.zarr", "b.zarr", "c.zarr"}));
  EXPECT_EQ(count_frames(dir.file("out/b.MOV")), 20);
  EXPECT_EQ(count_frames(dir.file("out/c.mp4")), 12);
  const auto a = result.out.find(dir.file("in/a.mp4") + " -> ");
  const auto b = result.out.find(dir.file("in/b.MOV") + " -> ");
  ASSERT_NE(a, std::string::npos) << result.out;
  ASSERT_NE(b, std::string::npos) << result.out;
  EXPECT_LT(a, b) << "sorted by name";
  EXPECT_EQ(result.out.find("nested"), std::string::npos) << "subdirectories are not entered";

  // The store resumes per file: the same command again renders the same bytes from it.
  const std::string first = file_bytes(dir.file("out/a.mp4"));
  const auto resumed =
      stabilize({dir.file("in"), "-o", dir.file("out/"), "--store", dir.file("stores"), "-y"});
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_TRUE(file_bytes(dir.file("out/a.mp4")) == first);
}

TEST(Batch, OutputsThatCollideOrOverwriteAnInputAreRefused) {
  TempDir dir;
  fs::create_directories(dir.file("x"));
  fs::create_directories(dir.file("y"));
  make_shaky_clip(dir.file("x/clip.mp4"), short_clip(7, 12));
  fs::copy_file(dir.file("x/clip.mp4"), dir.file("y/clip.mp4"));

  // Same stem and extension: the same output; nothing runs.
  const auto same =
      stabilize({dir.file("x/clip.mp4"), dir.file("y/clip.mp4"), "-o", dir.file("out/")});
  EXPECT_EQ(same.exit_code, 2);
  ASSERT_EQ(same.err_lines().size(), 1u) << same.err;
  EXPECT_NE(same.err.find("would both write the output"), std::string::npos) << same.err;
  EXPECT_FALSE(fs::exists(dir.file("out/clip.mp4")));

  // Into the inputs' own directory: each output is its input, refused even with -y.
  const auto onto = stabilize({dir.file("x"), "-o", dir.file("x"), "-y", "-q"});
  EXPECT_EQ(onto.exit_code, 1);
  EXPECT_EQ(lines_with(onto.err_lines(), "is an input of this run"), 1u) << onto.err;
  EXPECT_TRUE(file_bytes(dir.file("x/clip.mp4")) == file_bytes(dir.file("y/clip.mp4")));
}

}  // namespace
}  // namespace sw::test
