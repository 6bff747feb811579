// VideoReader on clips made by the ffmpeg CLI, checked against an independent libav read.
#include "io/video_reader.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "core/error.hpp"
#include "io_test_util.hpp"

namespace sw::io {
namespace {

using testing::ffmpeg;
using testing::lavfi_video;
using testing::read_container;
using testing::TempDir;

struct Decoded {
  std::vector<std::int64_t> pts;
  std::uint64_t hash = 1469598103934665603ULL;
  FrameView view0;  // first frame's layout only: its plane pointers are stale after next()
  std::vector<std::uint8_t> luma0;  // first frame's luma, row by row
};

// Reads every frame; hashes all planes (FNV-1a) so runs can be compared pixel for pixel.
Decoded decode_all(VideoReader& r) {
  Decoded d;
  FrameView f;
  while (r.next(f)) {
    EXPECT_EQ(f.index, static_cast<std::int64_t>(d.pts.size()));
    d.pts.push_back(f.pts);
    for (const PlaneView& p : f.planes)
      for (int y = 0; y < p.height; ++y)
        for (int x = 0; x < p.width * p.bytes_per_sample; ++x) {
          d.hash ^= p.data[y * p.stride + x];
          d.hash *= 1099511628211ULL;
        }
    if (d.pts.size() == 1) {
      d.view0 = f;
      const PlaneView& l = f.planes[0];
      for (int y = 0; y < l.height; ++y)
        d.luma0.insert(d.luma0.end(), l.data + y * l.stride,
                       l.data + y * l.stride + l.width * l.bytes_per_sample);
    }
  }
  return d;
}

double mean_luma(const Decoded& d) {
  const int bps = d.view0.planes[0].bytes_per_sample;
  double sum = 0;
  const std::size_t n = d.luma0.size() / bps;
  for (std::size_t i = 0; i < n; ++i)
    sum += bps == 1 ? d.luma0[i] : d.luma0[2 * i] | (d.luma0[2 * i + 1] << 8);
  return sum / n;
}

TEST(VideoReader, ReadsInfoAndEveryFrameWithContainerTimestamps) {
  TempDir dir;
  const std::string in = dir / "in.mp4";
  ffmpeg(lavfi_video() + "-c:v libx264 -pix_fmt yuv420p " + in);
  VideoReader r(in);
  const VideoInfo& info = r.info();
  EXPECT_EQ(info.width, 320);
  EXPECT_EQ(info.height, 240);
  EXPECT_EQ(info.bit_depth, 8);
  EXPECT_EQ(info.pix_fmt, "yuv420p");
  EXPECT_EQ(info.codec, "h264");
  EXPECT_EQ(info.frame_count, 60);
  EXPECT_EQ(info.avg_frame_rate.num, 30);
  EXPECT_EQ(info.avg_frame_rate.den, 1);
  EXPECT_NEAR(info.duration_s, 2.0, 0.05);
  EXPECT_EQ(info.rotation_deg, 0.0);
  EXPECT_FALSE(info.variable_frame_rate);

  const Decoded d = decode_all(r);
  EXPECT_EQ(r.frames_read(), 60);
  const auto expected = read_container(in).first(AVMEDIA_TYPE_VIDEO)->sorted_pts();
  EXPECT_EQ(d.pts, expected);
  EXPECT_EQ(d.view0.planes[1].width, 160);
  EXPECT_EQ(d.view0.planes[1].height, 120);
  EXPECT_TRUE(r.warnings().empty());
}

TEST(VideoReader, DecoderThreadsGiveIdenticalPixels) {
  TempDir dir;
  const std::string in = dir / "in.mp4";
  ffmpeg(lavfi_video() + "-c:v libx264 -pix_fmt yuv420p " + in);
  ReaderOptions one, four;
  four.decoder_threads = 4;
  VideoReader r1(in, one), r4(in, four);
  const Decoded a = decode_all(r1), b = decode_all(r4);
  EXPECT_EQ(a.pts, b.pts);
  EXPECT_EQ(a.hash, b.hash);
}

TEST(VideoReader, TenBitNativeAndConvertedToEightBit) {
  TempDir dir;
  const std::string in = dir / "in10.mp4";
  ffmpeg(lavfi_video() + "-c:v libx264 -pix_fmt yuv420p10le " + in);
  VideoReader native(in);
  EXPECT_EQ(native.info().bit_depth, 10);
  EXPECT_EQ(native.info().pix_fmt, "yuv420p10le");
  const Decoded n = decode_all(native);
  EXPECT_EQ(n.view0.bit_depth, 10);
  EXPECT_EQ(n.view0.planes[0].bytes_per_sample, 2);

  ReaderOptions opt;
  opt.convert_to_8bit_yuv = true;
  VideoReader eight(in, opt);
  const Decoded e = decode_all(eight);
  EXPECT_EQ(e.view0.bit_depth, 8);
  EXPECT_EQ(e.view0.planes[0].bytes_per_sample, 1);
  EXPECT_EQ(e.view0.chroma_shift_x, 1);
  EXPECT_EQ(e.view0.chroma_shift_y, 1);
  EXPECT_EQ(e.pts, n.pts);
  // Same picture at a quarter of the scale.
  EXPECT_NEAR(mean_luma(n) / 4.0, mean_luma(e), 1.0);
  EXPECT_GT(mean_luma(e), 16.0);
}

TEST(VideoReader, OddSizeKeepsEveryColumnAndRow) {
  TempDir dir;
  const std::string in = dir / "odd.mkv";
  ffmpeg(lavfi_video(321, 241) + "-c:v ffv1 -pix_fmt yuv420p " + in);
  VideoReader r(in);
  EXPECT_EQ(r.info().width, 321);
  EXPECT_EQ(r.info().height, 241);
  const Decoded d = decode_all(r);
  EXPECT_EQ(d.pts.size(), 60u);
  EXPECT_EQ(d.view0.planes[0].width, 321);
  EXPECT_EQ(d.view0.planes[1].width, 161);
  EXPECT_EQ(d.view0.planes[2].height, 121);
}

TEST(VideoReader, RgbInputIsDeliveredAsYuv420) {
  TempDir dir;
  const std::string in = dir / "rgb.mkv";
  ffmpeg(lavfi_video() + "-frames:v 5 -c:v ffv1 -pix_fmt bgr0 " + in);
  VideoReader r(in);
  EXPECT_EQ(r.info().pix_fmt, "bgr0");
  const Decoded d = decode_all(r);
  EXPECT_EQ(d.pts.size(), 5u);
  EXPECT_EQ(d.view0.bit_depth, 8);
  EXPECT_EQ(d.view0.chroma_shift_x, 1);
  EXPECT_EQ(d.view0.planes[2].width, 160);
  EXPECT_GT(mean_luma(d), 16.0);
}

TEST(VideoReader, RotationFromTheDisplayMatrix) {
  TempDir dir;
  const std::string plain = dir / "plain.mp4", rotated = dir / "rot.mp4";
  ffmpeg(lavfi_video() + "-c:v libx264 " + plain);
  ffmpeg("-i " + plain + " -c copy -metadata:s:v:0 rotate=90 " + rotated);
  const double libav = read_container(rotated).first(AVMEDIA_TYPE_VIDEO)->rotation;
  ASSERT_EQ(std::abs(libav), 90.0);
  VideoReader r(rotated);
  EXPECT_EQ(r.info().rotation_deg, libav);
  EXPECT_EQ(r.info().width, 320);  // coded size, before rotation
}

TEST(VideoReader, VariableFrameRateKeepsItsTimestamps) {
  TempDir dir;
  const std::string in = dir / "vfr.mp4";
  ffmpeg(lavfi_video() +
         "-vf \"settb=1/1000,setpts='(N/30+0.011*gt(mod(N\\,7)\\,3))/TB'\" -fps_mode passthrough "
         "-enc_time_base 1/1000 -c:v libx264 " +
         in);
  const auto expected = read_container(in).first(AVMEDIA_TYPE_VIDEO)->sorted_pts();
  ASSERT_EQ(expected.size(), 60u);
  ASSERT_NE(expected[2] - expected[1], expected[4] - expected[3]);  // really irregular
  VideoReader r(in);
  EXPECT_TRUE(r.info().variable_frame_rate);
  EXPECT_EQ(decode_all(r).pts, expected);
}

TEST(VideoReader, TextFileNamedMp4IsNotAVideo) {
  TempDir dir;
  const std::string path = dir / "notes.mp4";
  std::ofstream(path) << "shopping list: milk, eggs\n";
  try {
    VideoReader r(path);
    FAIL() << "expected sw::Error";
  } catch (const Error& e) {
    EXPECT_EQ(e.subject(), path);
    EXPECT_EQ(e.problem().rfind("not a video file (", 0), 0u) << e.problem();
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos);
  }
}

TEST(VideoReader, MissingFile) {
  TempDir dir;
  const std::string path = dir / "nope.mp4";
  try {
    VideoReader r(path);
    FAIL() << "expected sw::Error";
  } catch (const Error& e) {
    EXPECT_EQ(e.subject(), path);
    EXPECT_EQ(e.problem(), "no such file");
  }
}

TEST(VideoReader, AudioOnlyFileHasNoVideoStream) {
  TempDir dir;
  const std::string path = dir / "tone.m4a";
  ffmpeg("-f lavfi -i sine=frequency=440:duration=1 -c:a aac " + path);
  try {
    VideoReader r(path);
    FAIL() << "expected sw::Error";
  } catch (const Error& e) {
    EXPECT_EQ(e.problem(), "no video stream");
  }
}

// Copies the first half of `from` into `to`.
void truncate_copy(const std::string& from, const std::string& to) {
  std::ifstream in(from, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::ofstream(to, std::ios::binary).write(bytes.data(), bytes.size() / 2);
}

TEST(VideoReader, TruncatedFileDeliversTheDecodablePartWithAWarning) {
  TempDir dir;
  const std::string full = dir / "full.mp4", cut = dir / "cut.mp4";
  ffmpeg(lavfi_video() + "-c:v libx264 -movflags +faststart " + full);
  truncate_copy(full, cut);
  VideoReader r(cut);
  EXPECT_EQ(r.info().frame_count, 60);  // the index still promises all of them
  const Decoded d = decode_all(r);
  EXPECT_GT(d.pts.size(), 5u);
  EXPECT_LT(d.pts.size(), 60u);
  const auto w = r.warnings();
  ASSERT_FALSE(w.empty());
  EXPECT_EQ(w[0], "stream ends early at frame " + std::to_string(d.pts.size()) +
                      " of 60 (truncated file?)");
}

TEST(VideoReader, TruncatedFileWithoutIndexIsAClearError) {
  TempDir dir;
  const std::string full = dir / "full.mp4", cut = dir / "cut.mp4";
  ffmpeg(lavfi_video() + "-c:v libx264 " + full);  // moov at the end
  truncate_copy(full, cut);
  try {
    VideoReader r(cut);
    FAIL() << "expected sw::Error";
  } catch (const Error& e) {
    EXPECT_EQ(e.subject(), cut);
    EXPECT_NE(e.problem().find("without its index"), std::string::npos) << e.problem();
  }
}

}  // namespace
}  // namespace sw::io
