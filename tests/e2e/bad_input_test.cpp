// Bad input: one line on stderr naming the file and the problem, a non-zero exit, and nothing
// left behind (no output, no temporary file).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "e2e/cli.hpp"
#include "support/synthetic_clip.hpp"
#include "support/temp_dir.hpp"

namespace sw::test {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> listing(const TempDir& dir) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(dir.path())) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// Runs stabilize on `input` into dir/out.mp4 and checks the failure contract.
void expect_clean_failure(const TempDir& dir, const std::string& input, const std::string& problem,
                          std::vector<std::string> extra_args = {}) {
  const auto before = listing(dir);
  std::vector<std::string> args = {"stabilize", input, "-o", dir.file("out.mp4")};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  const auto result = run_stillwater(args);
  EXPECT_NE(result.exit_code, 0);
  const auto lines = result.err_lines();
  ASSERT_EQ(lines.size(), 1u) << result.err;
  EXPECT_NE(lines[0].find(fs::path(input).filename().string()), std::string::npos) << lines[0];
  EXPECT_NE(lines[0].find(problem), std::string::npos) << lines[0];
  EXPECT_EQ(listing(dir), before) << "a failed run must leave nothing behind";
}

void ffmpeg(const std::string& args) {
  shell("ffmpeg -v error -y " + args + " </dev/null");
}

TEST(BadInput, MissingFile) {
  TempDir dir;
  expect_clean_failure(dir, dir.file("nope.mp4"), "no such file");
}

TEST(BadInput, Directory) {
  TempDir dir;
  fs::create_directory(dir.file("adir.mp4"));
  expect_clean_failure(dir, dir.file("adir.mp4"), "directory");
}

TEST(BadInput, UnreadableFile) {
  TempDir dir;
  make_shaky_clip(dir.file("locked.mp4"), ClipSpec{});
  fs::permissions(dir.file("locked.mp4"), fs::perms::none);
  std::vector<std::string> args = {"stabilize", dir.file("locked.mp4"), "-o", dir.file("out.mp4")};
  RunResult result;
  if (geteuid() == 0) {
    // Root reads every file: run as nobody instead, in a directory nobody may write to.
    fs::permissions(dir.path(), fs::perms::all);
    args.insert(args.begin(), {"--reuid=65534", "--regid=65534", "--clear-groups", SW_BINARY});
    result = run("setpriv", args);
  } else {
    result = run_stillwater(args);
  }
  EXPECT_EQ(result.exit_code, 1);
  ASSERT_EQ(result.err_lines().size(), 1u) << result.err;
  EXPECT_NE(result.err.find("locked.mp4: permission denied"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(dir.file("out.mp4")));
}

TEST(BadInput, TextFileNamedMp4) {
  TempDir dir;
  std::ofstream(dir.file("notes.mp4")) << "this is not a video\n";
  expect_clean_failure(dir, dir.file("notes.mp4"), "not a video file");
}

TEST(BadInput, AudioOnly) {
  TempDir dir;
  ffmpeg("-f lavfi -i sine=frequency=440:duration=1 -c:a aac '" + dir.file("sound.m4a") + "'");
  expect_clean_failure(dir, dir.file("sound.m4a"), "no video stream");
}

TEST(BadInput, SingleFrame) {
  TempDir dir;
  ClipSpec spec;
  spec.frames = 1;
  make_shaky_clip(dir.file("one.mp4"), spec);
  expect_clean_failure(dir, dir.file("one.mp4"), "only 1 video frame");
}

TEST(BadInput, NoFramesAtAll) {
  TempDir dir;
  // A video stream whose packets are all missing: the header of a real clip, no media data.
  ClipSpec spec;
  spec.frames = 30;
  make_shaky_clip(dir.file("full.mp4"), spec);
  ffmpeg("-i '" + dir.file("full.mp4") + "' -c copy -movflags +faststart '" + dir.file("fs.mp4") +
         "'");
  const auto size = fs::file_size(dir.file("fs.mp4"));
  // Keep the moov (first) and cut before the first sample's data.
  std::ifstream in(dir.file("fs.mp4"), std::ios::binary);
  std::string bytes(size, '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  const auto mdat = bytes.find("mdat");
  ASSERT_NE(mdat, std::string::npos);
  std::ofstream(dir.file("empty.mp4"), std::ios::binary)
      .write(bytes.data(), static_cast<std::streamsize>(mdat + 4));
  fs::remove(dir.file("full.mp4"));
  fs::remove(dir.file("fs.mp4"));
  expect_clean_failure(dir, dir.file("empty.mp4"), "no decodable video frames");
}

TEST(BadInput, TruncatedWithoutIndex) {
  TempDir dir;
  ClipSpec spec;
  spec.frames = 60;
  make_shaky_clip(dir.file("full.mp4"), spec);
  fs::resize_file(dir.file("full.mp4"), fs::file_size(dir.file("full.mp4")) / 2);
  fs::rename(dir.file("full.mp4"), dir.file("cut.mp4"));
  expect_clean_failure(dir, dir.file("cut.mp4"), "not a video file");
}

TEST(BadInput, TruncatedWithIndexStabilizesDecodablePart) {
  TempDir dir;
  ClipSpec spec;
  spec.frames = 60;
  make_shaky_clip(dir.file("full.mp4"), spec);
  ffmpeg("-i '" + dir.file("full.mp4") + "' -c copy -movflags +faststart '" + dir.file("fs.mp4") +
         "'");
  fs::resize_file(dir.file("fs.mp4"), fs::file_size(dir.file("fs.mp4")) / 2);
  const auto result =
      run_stillwater({"stabilize", dir.file("fs.mp4"), "-o", dir.file("out.mp4"), "-q"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(fs::exists(dir.file("out.mp4")));
  EXPECT_NE(result.err.find("truncated"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("fs.mp4"), std::string::npos) << result.err;
}

TEST(BadInput, FeaturelessVideo) {
  TempDir dir;
  ffmpeg("-f lavfi -i color=black:size=320x240:rate=30:duration=1 -c:v libx264 -pix_fmt yuv420p '" +
         dir.file("black.mp4") + "'");
  expect_clean_failure(dir, dir.file("black.mp4"), "no motion could be measured");
}

TEST(BadInput, OutputIsInput) {
  TempDir dir;
  make_shaky_clip(dir.file("in.mp4"), ClipSpec{});
  const auto before = fs::file_size(dir.file("in.mp4"));
  const auto result =
      run_stillwater({"stabilize", dir.file("in.mp4"), "-o", dir.file("./in.mp4"), "-y"});
  EXPECT_NE(result.exit_code, 0);
  ASSERT_EQ(result.err_lines().size(), 1u) << result.err;
  EXPECT_NE(result.err.find("input"), std::string::npos);
  EXPECT_EQ(fs::file_size(dir.file("in.mp4")), before);
}

TEST(BadInput, ExistingOutputNeedsOverwriteFlag) {
  TempDir dir;
  make_shaky_clip(dir.file("in.mp4"), ClipSpec{});
  std::ofstream(dir.file("out.mp4")) << "keep me";
  auto result = run_stillwater({"stabilize", dir.file("in.mp4"), "-o", dir.file("out.mp4")});
  EXPECT_NE(result.exit_code, 0);
  EXPECT_NE(result.err.find("already exists"), std::string::npos) << result.err;
  EXPECT_EQ(fs::file_size(dir.file("out.mp4")), 7u);
  result = run_stillwater({"stabilize", dir.file("in.mp4"), "-o", dir.file("out.mp4"), "-y", "-q"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_GT(fs::file_size(dir.file("out.mp4")), 1000u);
}

TEST(BadInput, BadOptionsAreUsageErrors) {
  TempDir dir;
  make_shaky_clip(dir.file("in.mp4"), ClipSpec{});
  auto result =
      run_stillwater({"stabilize", dir.file("in.mp4"), "-o", dir.file("o.mp4"), "--crf", "99"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("--crf"), std::string::npos) << result.err;
  result = run_stillwater(
      {"stabilize", dir.file("in.mp4"), "-o", dir.file("o.mp4"), "--outliers", "maybe"});
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_NE(result.err.find("adaptive"), std::string::npos) << result.err;
  result = run_stillwater(
      {"stabilize", dir.file("in.mp4"), "-o", dir.file("o.mp4"), "--encoder", "nosuchcodec"});
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("nosuchcodec"), std::string::npos) << result.err;
  EXPECT_FALSE(fs::exists(dir.file("o.mp4")));
}

// A playlist or script that names other local files is not a video: it is refused before it
// can read anything but itself (HLS would read the listed segment, concat the listed file).
TEST(BadInput, PlaylistsThatPullInOtherFilesAreRefused) {
  TempDir dir;
  ClipSpec spec;
  spec.width = 96;
  spec.height = 64;
  spec.frames = 12;
  make_shaky_clip(dir.file("secret.mp4"), spec);
  ffmpeg("-i '" + dir.file("secret.mp4") + "' -c copy -f mpegts '" + dir.file("secret.ts") + "'");
  std::ofstream(dir.file("hls.mp4")) << "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\n"
                                        "secret.ts\n#EXT-X-ENDLIST\n";
  std::ofstream(dir.file("concat.mp4")) << "ffconcat version 1.0\nfile 'secret.mp4'\n";
  expect_clean_failure(dir, dir.file("hls.mp4"), "not a video file (Apple HTTP Live Streaming");
  expect_clean_failure(dir, dir.file("concat.mp4"), "not a video file (Virtual concatenation");
  // A %d pattern is a file name like any other, never an image sequence.
  expect_clean_failure(dir, dir.file("frame%03d.png"), "no such file");
}

// A local name with a colon is a file, not a protocol (before: "12" was looked up as one).
TEST(BadInput, LocalNameWithAColonIsAFile) {
  TempDir dir;
  ClipSpec spec;
  spec.width = 96;
  spec.height = 64;
  spec.frames = 12;
  make_shaky_clip(dir.file("12:30.mp4"), spec);
  // Relative names: "/tmp/.../12:30.mp4" never looked like a URL.
  const auto result =
      run("sh", {"-c", "cd '" + dir.path().string() + "' && '" + std::string(SW_BINARY) +
                           "' stabilize 12:30.mp4 -o 12:31.mp4 -q"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_TRUE(fs::exists(dir.file("12:31.mp4")));
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary)
      .write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

// An MP4 whose stts claims 4294967295 frames (the header's frame count) holds 12: it is
// stabilized like any other, nothing is reserved for the claim (before: std::bad_alloc).
TEST(BadInput, HeaderClaimingFourBillionFrames) {
  TempDir dir;
  ClipSpec spec;
  spec.width = 96;
  spec.height = 64;
  spec.frames = 12;
  make_shaky_clip(dir.file("clip.mp4"), spec);
  std::string bytes = read_bytes(dir.file("clip.mp4"));
  const auto stts = bytes.find("stts");
  ASSERT_NE(stts, std::string::npos);
  // "stts", version+flags (4), entry count (4), then the first entry's sample count.
  bytes.replace(stts + 12, 4, std::string(4, '\xff'));
  write_bytes(dir.file("claims.mp4"), bytes);
  const auto result =
      run_stillwater({"stabilize", dir.file("claims.mp4"), "-o", dir.file("out.mp4"), "-q"});
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err.find("internal error"), std::string::npos) << result.err;
}

// A picture size beyond any camera (a damaged or crafted header) gives one line naming the
// file and the size, before any decoder tries to allocate such pictures.
TEST(BadInput, AbsurdPictureSize) {
  TempDir dir;
  // FFV1 takes its picture size from the container: Matroska's PixelWidth/PixelHeight
  // (elements 0xB0 and 0xBA, two-byte values 256) become 65535 and 9000.
  ffmpeg("-f lavfi -i testsrc=size=256x256:rate=10 -frames:v 3 -c:v ffv1 '" + dir.file("a.mkv") +
         "'");
  std::string bytes = read_bytes(dir.file("a.mkv"));
  fs::remove(dir.file("a.mkv"));
  const auto width = bytes.find("\xb0\x82\x01\x00");
  const auto height = bytes.find("\xba\x82\x01\x00");
  ASSERT_NE(width, std::string::npos);
  ASSERT_NE(height, std::string::npos);
  bytes.replace(width + 2, 2, "\xff\xff");
  write_bytes(dir.file("wide.mkv"), bytes);
  bytes.replace(width + 2, 2, "\x23\x28");
  bytes.replace(height + 2, 2, "\x23\x28");
  write_bytes(dir.file("square.mkv"), bytes);
  expect_clean_failure(dir, dir.file("wide.mkv"), "picture size 65535x256 is beyond");
  expect_clean_failure(dir, dir.file("square.mkv"), "picture size 9000x9000 is beyond");
}

TEST(Cli, HelpListsEveryOptionWithDefaults) {
  const auto top = run_stillwater({"--help"});
  EXPECT_EQ(top.exit_code, 0);
  EXPECT_NE(top.out.find("stabilize"), std::string::npos);
  const auto help = run_stillwater({"stabilize", "--help"});
  EXPECT_EQ(help.exit_code, 0);
  for (const char* option : {"--output", "--analysis-width", "--radius", "--outliers", "--zoom",
                             "--max-zoom", "--crf", "--preset", "--encoder", "--quiet"}) {
    EXPECT_NE(help.out.find(option), std::string::npos) << option;
  }
  EXPECT_NE(help.out.find("[default: 20]"), std::string::npos);
  EXPECT_NE(help.out.find("[default: veryfast]"), std::string::npos);
}

}  // namespace
}  // namespace sw::test
