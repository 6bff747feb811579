// scan_frames against ffprobe's view of the packets, and indexed decoding: frame numbers from
// the index, and seek-then-decode pixels identical to a decode from the start.
#include "io/frame_index.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>

#include "core/error.hpp"
#include "io/library_log.hpp"
#include "io/video_reader.hpp"
#include "io_test_util.hpp"
#include "support/synthetic_clip.hpp"

namespace sw::io {
namespace {

using testing::ffmpeg;
using testing::lavfi_video;
using testing::TempDir;

// The clip generator's encoders would fill the test log with their statistics.
const bool kQuietLibav = (set_library_log(false), true);

// (pts, keyframe) of every video packet, as `ffprobe -show_entries packet=pts,flags` prints them,
// sorted by pts: what the index must equal.
std::vector<std::pair<std::int64_t, int>> ffprobe_packets(const std::string& path) {
  const std::string cmd =
      "ffprobe -v error -select_streams v:0 -show_entries packet=pts,flags "
      "-of csv=p=0 '" +
      path + "'";
  std::vector<std::pair<std::int64_t, int>> v;
  FILE* f = popen(cmd.c_str(), "r");
  if (!f) return v;
  char line[256];
  while (fgets(line, sizeof(line), f)) {
    long long pts = 0;
    char flags[64] = {};
    if (std::sscanf(line, "%lld,%63s", &pts, flags) == 2) v.emplace_back(pts, flags[0] == 'K');
  }
  pclose(f);
  std::sort(v.begin(), v.end());
  return v;
}

void expect_index_equals_ffprobe(const std::string& path) {
  const FrameIndex index = scan_frames(path);
  const auto probe = ffprobe_packets(path);
  ASSERT_EQ(index.size(), probe.size()) << path;
  ASSERT_EQ(index.keyframe.size(), index.pts.size());
  for (std::size_t k = 0; k < probe.size(); ++k) {
    EXPECT_EQ(index.pts[k], probe[k].first) << path << " frame " << k;
    EXPECT_EQ(index.keyframe[k], probe[k].second) << path << " frame " << k;
  }
}

// A short-GOP clip with B-frames and audio: the case where decode order, presentation order and
// seeking all matter.
std::string make_gop12_bframes_clip(const TempDir& dir, int frames = 60) {
  test::ClipSpec spec;
  spec.frames = frames;
  spec.gop = 12;
  spec.bframes = 2;
  spec.audio = true;
  const std::string path = dir / "gop12.mp4";
  test::make_shaky_clip(path, spec);
  return path;
}

std::uint64_t hash_frame(const FrameView& f) {
  std::uint64_t h = 1469598103934665603ULL;
  for (const PlaneView& p : f.planes)
    for (int y = 0; y < p.height; ++y)
      for (int x = 0; x < p.width * p.bytes_per_sample; ++x) {
        h ^= p.data[y * p.stride + x];
        h *= 1099511628211ULL;
      }
  return h;
}

ReaderOptions indexed(const FrameIndex& index) {
  ReaderOptions o;
  o.index = &index;
  o.decoder_threads = 2;
  return o;
}

TEST(ScanFrames, MatchesFfprobeOnSyntheticMp4WithBFrames) {
  TempDir dir;
  const std::string path = make_gop12_bframes_clip(dir);
  expect_index_equals_ffprobe(path);
  const FrameIndex index = scan_frames(path);
  EXPECT_EQ(index.size(), 60u);
  const Rational tb = VideoReader(path).info().time_base;
  EXPECT_EQ(index.time_base.num, tb.num);
  EXPECT_EQ(index.time_base.den, tb.den);
  for (std::size_t k = 0; k < index.size(); ++k) EXPECT_EQ(index.keyframe[k], k % 12 == 0) << k;
  EXPECT_TRUE(std::is_sorted(index.pts.begin(), index.pts.end()));
}

TEST(ScanFrames, MatchesFfprobeOnMatroskaAndVariableFrameRate) {
  TempDir dir;
  const std::string mkv = dir / "in.mkv";
  ffmpeg(lavfi_video() + "-c:v libx264 -bf 3 -g 10 " + mkv);
  expect_index_equals_ffprobe(mkv);
  test::ClipSpec spec;
  spec.frames = 40;
  spec.variable_frame_rate = true;
  spec.gop = 9;
  spec.bframes = 2;
  const std::string vfr = dir / "vfr.mp4";
  test::make_shaky_clip(vfr, spec);
  expect_index_equals_ffprobe(vfr);
}

TEST(ScanFrames, BadFilesGiveTheReadersErrors) {
  TempDir dir;
  const std::string text = dir / "notes.mp4";
  std::ofstream(text) << "not a video";
  const std::string audio = dir / "audio.m4a";
  ffmpeg("-f lavfi -i sine=duration=1 -c:a aac " + audio);
  for (const std::string& path : {dir / "missing.mp4", text, audio}) {
    std::string reader_error, scan_error;
    try {
      VideoReader r(path);
    } catch (const Error& e) {
      reader_error = e.what();
    }
    try {
      scan_frames(path);
    } catch (const Error& e) {
      scan_error = e.what();
    }
    EXPECT_FALSE(scan_error.empty()) << path;
    EXPECT_EQ(scan_error, reader_error) << path;
  }
}

TEST(IndexedReader, NumbersFramesByTheIndexWithTheSequentialPixels) {
  TempDir dir;
  const std::string path = make_gop12_bframes_clip(dir);
  const FrameIndex index = scan_frames(path);
  VideoReader plain(path), with_index(path, indexed(index));
  FrameView a, b;
  std::int64_t n = 0;
  while (plain.next(a)) {
    ASSERT_TRUE(with_index.next(b));
    EXPECT_EQ(b.index, n);
    EXPECT_EQ(b.pts, index.pts[n]);
    EXPECT_EQ(a.pts, b.pts);
    EXPECT_EQ(hash_frame(a), hash_frame(b));
    ++n;
  }
  EXPECT_FALSE(with_index.next(b));
  EXPECT_EQ(n, static_cast<std::int64_t>(index.size()));
  EXPECT_TRUE(with_index.warnings().empty());
}

// Seeks to every keyframe, and to frames between keyframes, on one reader (backwards and
// forwards) and on fresh readers; every delivered frame must equal the sequential decode.
TEST(IndexedReader, SeekThenDecodeEqualsSequentialDecodeForEveryKeyframe) {
  TempDir dir;
  const std::string path = make_gop12_bframes_clip(dir);
  const FrameIndex index = scan_frames(path);
  std::vector<std::uint64_t> sequential;
  {
    VideoReader r(path);
    FrameView f;
    while (r.next(f)) sequential.push_back(hash_frame(f));
  }
  ASSERT_EQ(sequential.size(), index.size());

  auto check_from = [&](VideoReader& r, std::int64_t target, int count) {
    SCOPED_TRACE("seek to " + std::to_string(target));
    r.seek_to_frame(target);
    std::int64_t key = target;
    while (!index.keyframe[key]) --key;
    FrameView f;
    for (int i = 0; i < count && key + i < static_cast<std::int64_t>(index.size()); ++i) {
      ASSERT_TRUE(r.next(f));
      ASSERT_EQ(f.index, key + i);  // delivery starts at the keyframe, with no gap
      EXPECT_EQ(f.pts, index.pts[key + i]);
      EXPECT_EQ(hash_frame(f), sequential[key + i]) << "frame " << f.index;
    }
  };

  std::vector<std::int64_t> targets;
  for (std::size_t k = 0; k < index.size(); ++k)
    if (index.keyframe[k]) targets.push_back(static_cast<std::int64_t>(k));
  ASSERT_EQ(targets.size(), 5u);
  VideoReader shared(path, indexed(index));
  for (auto it = targets.rbegin(); it != targets.rend(); ++it) check_from(shared, *it, 15);
  for (std::int64_t t : {5, 30, 59, 0, 47}) check_from(shared, t, 14);
  for (std::int64_t t : targets) {
    VideoReader fresh(path, indexed(index));
    check_from(fresh, t, 100);  // to the end
    FrameView f;
    EXPECT_FALSE(fresh.next(f));
    EXPECT_TRUE(fresh.warnings().empty()) << fresh.warnings().front();
  }
  EXPECT_TRUE(shared.warnings().empty()) << shared.warnings().front();
}

TEST(IndexedReader, SeekNeedsAnIndexAndAFrameInRange) {
  TempDir dir;
  const std::string path = dir / "in.mp4";
  ffmpeg(lavfi_video() + "-c:v libx264 " + path);
  VideoReader plain(path);
  EXPECT_THROW(plain.seek_to_frame(0), Error);
  const FrameIndex index = scan_frames(path);
  VideoReader r(path, indexed(index));
  EXPECT_THROW(r.seek_to_frame(-1), Error);
  EXPECT_THROW(r.seek_to_frame(60), Error);
}

// A frame the index does not know (here: an index with every other frame removed) is dropped
// with a warning, and the others keep their index positions.
TEST(IndexedReader, FramesNotInTheIndexAreDroppedWithAWarning) {
  TempDir dir;
  const std::string path = dir / "in.mp4";
  ffmpeg(lavfi_video() + "-c:v libx264 -bf 0 " + path);
  FrameIndex index = scan_frames(path);
  FrameIndex half;
  half.time_base = index.time_base;
  for (std::size_t k = 0; k < index.size(); k += 2) {
    half.pts.push_back(index.pts[k]);
    half.keyframe.push_back(index.keyframe[k]);
  }
  VideoReader r(path, indexed(half));
  FrameView f;
  std::int64_t n = 0;
  while (r.next(f)) EXPECT_EQ(f.index, n++);
  EXPECT_EQ(n, 30);
  ASSERT_FALSE(r.warnings().empty());
  EXPECT_NE(r.warnings().front().find("30 decoded frames have timestamps not in the frame index"),
            std::string::npos)
      << r.warnings().front();
}

TEST(IndexedReader, IndexOfAnotherFileIsNoDecodableFrames) {
  TempDir dir;
  const std::string a = dir / "a.mp4";
  ffmpeg(lavfi_video() + "-c:v libx264 " + a);
  FrameIndex wrong;
  wrong.pts = {7777777};
  wrong.keyframe = {1};
  try {
    VideoReader r(a, indexed(wrong));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("no decodable video frames"), std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace sw::io
