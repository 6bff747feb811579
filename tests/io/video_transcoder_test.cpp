// VideoTranscoder: identity transcodes of ffmpeg-made clips, read back with plain libav.
#include "io/video_transcoder.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>

#include "core/error.hpp"
#include "io_test_util.hpp"

namespace sw::io {
namespace {

using testing::Container;
using testing::ffmpeg;
using testing::lavfi_video;
using testing::read_container;
using testing::TempDir;
namespace fs = std::filesystem;

const std::string kWithAudio =
    "-f lavfi -i sine=frequency=440:duration=2 -c:a aac -shortest -c:v libx264 -pix_fmt yuv420p ";

// Copies every plane of `in` into `out` (out may be smaller: odd sizes are cut to even).
void copy_planes(const FrameView& in, MutableFrameView& out) {
  for (int p = 0; p < 3; ++p) {
    const PlaneView& s = in.planes[p];
    const MutablePlaneView& d = out.planes[p];
    ASSERT_LE(d.width, s.width);
    ASSERT_LE(d.height, s.height);
    for (int y = 0; y < d.height; ++y)
      std::memcpy(d.data + y * d.stride, s.data + y * s.stride, d.width);
  }
}

std::int64_t transcode(const std::string& in, const std::string& out,
                       std::vector<std::string>* warnings = nullptr, EncodeOptions opt = {}) {
  VideoTranscoder t(in, out, opt);
  const std::int64_t n = t.run(copy_planes);
  t.finish();
  if (warnings) *warnings = t.warnings();
  return n;
}

bool contains(const std::vector<std::string>& v, const std::string& needle) {
  for (const std::string& s : v)
    if (s.find(needle) != std::string::npos) return true;
  return false;
}

TEST(VideoTranscoder, IdentityKeepsFramesTimestampsAudioAndMetadata) {
  TempDir dir;
  const std::string in = dir / "in.mp4", out = dir / "out.mp4";
  ffmpeg(lavfi_video() + kWithAudio +
         "-metadata creation_time=2024-05-01T10:20:30Z -metadata:s:a:0 language=fra " + in);
  std::vector<std::string> warnings;
  EXPECT_EQ(transcode(in, out, &warnings), 60);
  EXPECT_TRUE(warnings.empty()) << warnings.front();

  const Container a = read_container(in), b = read_container(out);
  ASSERT_EQ(b.streams.size(), 2u);
  const auto* va = a.first(AVMEDIA_TYPE_VIDEO);
  const auto* vb = b.first(AVMEDIA_TYPE_VIDEO);
  ASSERT_TRUE(vb);
  EXPECT_EQ(vb->packets.size(), 60u);
  EXPECT_EQ(av_cmp_q(va->time_base, vb->time_base), 0);
  EXPECT_EQ(va->sorted_pts(), vb->sorted_pts());
  EXPECT_EQ(vb->width, 320);
  EXPECT_EQ(vb->height, 240);

  const auto* aa = a.first(AVMEDIA_TYPE_AUDIO);
  const auto* ab = b.first(AVMEDIA_TYPE_AUDIO);
  ASSERT_TRUE(ab);
  EXPECT_EQ(av_cmp_q(aa->time_base, ab->time_base), 0);
  ASSERT_EQ(aa->packets.size(), ab->packets.size());
  for (std::size_t i = 0; i < aa->packets.size(); ++i) {
    EXPECT_EQ(aa->packets[i].data, ab->packets[i].data) << "audio packet " << i;
    EXPECT_EQ(aa->packets[i].pts, ab->packets[i].pts) << "audio packet " << i;
    EXPECT_EQ(aa->packets[i].duration, ab->packets[i].duration) << "audio packet " << i;
  }
  EXPECT_EQ(b.metadata.at("creation_time"), a.metadata.at("creation_time"));
  EXPECT_EQ(ab->metadata.at("language"), "fra");
  EXPECT_EQ(ab->metadata.at("handler_name"), aa->metadata.at("handler_name"));
}

// Runs transcode() in a child process, as each stillwater run is one.
void transcode_in_child(const std::string& in, const std::string& out) {
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    try {
      transcode(in, out);
      _exit(0);
    } catch (...) {
      _exit(1);
    }
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

// Two runs of the same command give the same bytes. Separate processes on purpose: x264
// (core 164, AVX-512 build) gives different bytes for a second encode in the same process
// (mbtree + B-frames; not with asm=avx2), which is x264's, not ours.
TEST(VideoTranscoder, SameBytesForTheSameCommand) {
  TempDir dir;
  const std::string in = dir / "in.mp4", o1 = dir / "o1.mp4", o2 = dir / "o2.mp4";
  ffmpeg(lavfi_video() + "-c:v libx264 " + in);
  transcode_in_child(in, o1);
  transcode_in_child(in, o2);
  const auto p1 = read_container(o1).first(AVMEDIA_TYPE_VIDEO)->packets;
  const auto p2 = read_container(o2).first(AVMEDIA_TYPE_VIDEO)->packets;
  ASSERT_EQ(p1.size(), p2.size());
  for (std::size_t i = 0; i < p1.size(); ++i) EXPECT_EQ(p1[i].data, p2[i].data) << i;
}

TEST(VideoTranscoder, RotationIsKept) {
  TempDir dir;
  const std::string plain = dir / "plain.mp4", in = dir / "rot.mp4", out = dir / "out.mp4";
  ffmpeg(lavfi_video() + "-c:v libx264 " + plain);
  ffmpeg("-i " + plain + " -c copy -metadata:s:v:0 rotate=90 " + in);
  const double before = read_container(in).first(AVMEDIA_TYPE_VIDEO)->rotation;
  ASSERT_EQ(std::abs(before), 90.0);
  transcode(in, out);
  const testing::Stream v = testing::first_stream(out, AVMEDIA_TYPE_VIDEO);
  EXPECT_EQ(v.rotation, before);
  EXPECT_EQ(v.width, 320);  // pixels stay as coded; the player rotates
}

TEST(VideoTranscoder, VariableFrameRateKeepsEveryTimestamp) {
  TempDir dir;
  const std::string in = dir / "vfr.mp4", out = dir / "out.mp4";
  ffmpeg(lavfi_video() +
         "-vf \"settb=1/1000,setpts='(N/30+0.011*gt(mod(N\\,7)\\,3))/TB'\" -fps_mode passthrough "
         "-enc_time_base 1/1000 -c:v libx264 " +
         in);
  transcode(in, out);
  const testing::Stream a = testing::first_stream(in, AVMEDIA_TYPE_VIDEO);
  const testing::Stream b = testing::first_stream(out, AVMEDIA_TYPE_VIDEO);
  ASSERT_EQ(av_cmp_q(a.time_base, b.time_base), 0);
  const auto pa = a.sorted_pts(), pb = b.sorted_pts();
  ASSERT_EQ(pa.size(), 60u);
  ASSERT_NE(pa[2] - pa[1], pa[4] - pa[3]);
  EXPECT_EQ(pa, pb);
}

TEST(VideoTranscoder, OddSize420IsCutToEvenWithAWarning) {
  TempDir dir;
  const std::string in = dir / "odd.mkv", out = dir / "out.mp4";
  ffmpeg(lavfi_video(321, 241) + "-c:v ffv1 -pix_fmt yuv420p " + in);
  VideoTranscoder t(in, out, {});
  int out_w = 0, out_h = 0;
  const std::int64_t n = t.run([&](const FrameView& a, MutableFrameView& b) {
    out_w = b.planes[0].width;
    out_h = b.planes[0].height;
    EXPECT_EQ(b.planes[1].width, 160);
    copy_planes(a, b);
  });
  t.finish();
  EXPECT_EQ(n, 60);
  EXPECT_EQ(out_w, 320);
  EXPECT_EQ(out_h, 240);
  EXPECT_TRUE(contains(t.warnings(), "output is 320x240"))
      << ::testing::PrintToString(t.warnings());
  const testing::Stream v = testing::first_stream(out, AVMEDIA_TYPE_VIDEO);
  EXPECT_EQ(v.width, 320);
  EXPECT_EQ(v.height, 240);
  EXPECT_EQ(v.packets.size(), 60u);
}

TEST(VideoTranscoder, OddSize444KeepsItsSize) {
  TempDir dir;
  const std::string in = dir / "odd444.mkv", out = dir / "out.mkv";
  ffmpeg(lavfi_video(321, 241) + "-c:v libx264 -pix_fmt yuv444p " + in);
  std::vector<std::string> warnings;
  EXPECT_EQ(transcode(in, out, &warnings), 60);
  EXPECT_TRUE(warnings.empty());
  const testing::Stream v = testing::first_stream(out, AVMEDIA_TYPE_VIDEO);
  EXPECT_EQ(v.width, 321);
  EXPECT_EQ(v.height, 241);
  EXPECT_EQ(v.pix_fmt, AV_PIX_FMT_YUV444P);
}

TEST(VideoTranscoder, FullRangeStaysFullRange) {
  TempDir dir;
  const std::string in = dir / "j.mp4", out = dir / "out.mp4";
  ffmpeg(lavfi_video() + "-c:v libx264 -pix_fmt yuvj420p " + in);
  transcode(in, out);
  EXPECT_EQ(read_container(out).first(AVMEDIA_TYPE_VIDEO)->color_range, AVCOL_RANGE_JPEG);
}

TEST(VideoTranscoder, StreamTheMuxerCannotTakeIsDroppedWithAWarning) {
  TempDir dir;
  const std::string in = dir / "tc.mov", out = dir / "out.mkv";
  ffmpeg(lavfi_video() + kWithAudio + "-timecode 01:00:00:00 " + in);
  const Container a = read_container(in);
  ASSERT_EQ(a.streams.size(), 3u);  // video, audio, tmcd data
  ASSERT_EQ(a.streams[2].type, AVMEDIA_TYPE_DATA);
  std::vector<std::string> warnings;
  EXPECT_EQ(transcode(in, out, &warnings), 60);
  EXPECT_TRUE(contains(warnings, "dropped stream #2 (data")) << ::testing::PrintToString(warnings);
  const Container b = read_container(out);
  ASSERT_EQ(b.streams.size(), 2u);
  EXPECT_EQ(b.first(AVMEDIA_TYPE_AUDIO)->packets.size(),
            a.first(AVMEDIA_TYPE_AUDIO)->packets.size());
}

TEST(VideoTranscoder, UnknownEncoderIsNamed) {
  TempDir dir;
  const std::string in = dir / "in.mp4";
  ffmpeg(lavfi_video(64, 48, 0.2) + "-c:v libx264 " + in);
  EncodeOptions opt;
  opt.encoder = "libnosuch264";
  try {
    VideoTranscoder t(in, dir / "out.mp4", opt);
    FAIL() << "expected sw::Error";
  } catch (const Error& e) {
    EXPECT_NE(e.problem().find("'libnosuch264'"), std::string::npos) << e.problem();
  }
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);
}

TEST(VideoTranscoder, OutputAppearsOnlyAtFinishAndTempIsRemovedWithoutIt) {
  TempDir dir;
  const std::string in = dir / "in.mp4", out = dir / "out.mp4";
  ffmpeg(lavfi_video(64, 48, 0.5) + "-c:v libx264 " + in);
  auto temp_files = [&] {
    int n = 0;
    for (const auto& e : fs::directory_iterator(dir.path()))
      if (e.path().filename().string().find(".stillwater-") != std::string::npos) ++n;
    return n;
  };
  {
    VideoTranscoder t(in, out, {});
    EXPECT_EQ(temp_files(), 1);
    t.run([&](const FrameView& a, MutableFrameView& b) {
      EXPECT_FALSE(fs::exists(out));
      copy_planes(a, b);
    });
    EXPECT_FALSE(fs::exists(out));
    // destroyed without finish(): e.g. an exception in the caller
  }
  EXPECT_EQ(temp_files(), 0);
  EXPECT_FALSE(fs::exists(out));

  {
    VideoTranscoder t(in, out, {});
    t.run(copy_planes);
    t.finish();
  }
  EXPECT_EQ(temp_files(), 0);
  EXPECT_EQ(read_container(out).first(AVMEDIA_TYPE_VIDEO)->packets.size(), 15u);
}

TEST(VideoTranscoder, ExceptionInProcessLeavesNothingBehind) {
  TempDir dir;
  const std::string in = dir / "in.mp4", out = dir / "out.mp4";
  ffmpeg(lavfi_video(64, 48, 0.5) + "-c:v libx264 " + in);
  EXPECT_THROW(
      {
        VideoTranscoder t(in, out, {});
        t.run([](const FrameView& a, MutableFrameView&) {
          if (a.index == 3) throw std::runtime_error("interrupted");
        });
      },
      std::runtime_error);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir.path()), fs::directory_iterator()), 1);
}

TEST(VideoTranscoder, TruncatedInputGivesTheDecodablePartAndWarns) {
  TempDir dir;
  const std::string full = dir / "full.mp4", cut = dir / "cut.mp4", out = dir / "out.mp4";
  ffmpeg(lavfi_video() + kWithAudio + "-movflags +faststart " + full);
  {
    std::ifstream f(full, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    std::ofstream(cut, std::ios::binary).write(bytes.data(), bytes.size() / 2);
  }
  std::vector<std::string> warnings;
  const std::int64_t n = transcode(cut, out, &warnings);
  EXPECT_GT(n, 5);
  EXPECT_LT(n, 60);
  EXPECT_TRUE(contains(warnings, "stream ends early at frame " + std::to_string(n) + " of 60"))
      << ::testing::PrintToString(warnings);
  EXPECT_EQ(read_container(out).first(AVMEDIA_TYPE_VIDEO)->packets.size(),
            static_cast<std::size_t>(n));
}

}  // namespace
}  // namespace sw::io
