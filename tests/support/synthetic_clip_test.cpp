// Tests of the synthetic clip generator: the files decode as specified, generation is
// deterministic, and the truth follows sw::Motion's convention (checked against an independent
// OpenCV estimate on the rendered frames).
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <numbers>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include <opencv2/imgproc.hpp>

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/display.h>
#include <libavutil/pixdesc.h>
}

#include "core/error.hpp"
#include "support/reference_motion.hpp"
#include "support/synthetic_clip.hpp"
#include "support/temp_dir.hpp"

namespace sw::test {
namespace {

struct InputDeleter {
  void operator()(AVFormatContext* c) const { avformat_close_input(&c); }
};
struct CodecDeleter {
  void operator()(AVCodecContext* c) const { avcodec_free_context(&c); }
};
struct FrameDeleter {
  void operator()(AVFrame* f) const { av_frame_free(&f); }
};
struct PacketDeleter {
  void operator()(AVPacket* p) const { av_packet_free(&p); }
};

// What a reader of the file sees, gathered by fully decoding the video stream.
struct Probe {
  int width = 0, height = 0, bit_depth = 0;
  std::string codec;
  double rotation_deg = 0;
  bool has_audio = false;
  double audio_duration_s = 0, video_duration_s = 0;
  int decoded_frames = 0, b_frames = 0, key_frames = 0;
  std::vector<std::int64_t> pts;  // decoded order = presentation order, on time_base
  cv::Mat first_luma;             // frame 0's Y plane, 8-bit clips only
  AVRational time_base{0, 1};
};

Probe probe(const std::string& path) {
  AVFormatContext* raw = nullptr;
  if (avformat_open_input(&raw, path.c_str(), nullptr, nullptr) < 0) ADD_FAILURE() << path;
  std::unique_ptr<AVFormatContext, InputDeleter> fmt(raw);
  Probe p;
  if (!fmt || avformat_find_stream_info(fmt.get(), nullptr) < 0) return p;
  const int vi = av_find_best_stream(fmt.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
  if (vi < 0) return p;
  const AVStream* vs = fmt->streams[vi];
  p.time_base = vs->time_base;
  p.width = vs->codecpar->width;
  p.height = vs->codecpar->height;
  p.bit_depth =
      av_pix_fmt_desc_get(static_cast<AVPixelFormat>(vs->codecpar->format))->comp[0].depth;
  p.codec = avcodec_get_name(vs->codecpar->codec_id);
  if (const auto* m = av_stream_get_side_data(vs, AV_PKT_DATA_DISPLAYMATRIX, nullptr))
    p.rotation_deg = av_display_rotation_get(reinterpret_cast<const std::int32_t*>(m));
  p.video_duration_s = vs->duration * av_q2d(vs->time_base);
  for (unsigned i = 0; i < fmt->nb_streams; ++i) {
    const AVStream* s = fmt->streams[i];
    if (s->codecpar->codec_type != AVMEDIA_TYPE_AUDIO) continue;
    p.has_audio = true;
    p.audio_duration_s = s->duration * av_q2d(s->time_base);
  }

  const AVCodec* codec = avcodec_find_decoder(vs->codecpar->codec_id);
  std::unique_ptr<AVCodecContext, CodecDeleter> dec(avcodec_alloc_context3(codec));
  avcodec_parameters_to_context(dec.get(), vs->codecpar);
  dec->pkt_timebase = vs->time_base;
  dec->thread_count = 1;
  if (avcodec_open2(dec.get(), codec, nullptr) < 0) return p;
  std::unique_ptr<AVPacket, PacketDeleter> pkt(av_packet_alloc());
  std::unique_ptr<AVFrame, FrameDeleter> frame(av_frame_alloc());
  auto drain = [&] {
    while (avcodec_receive_frame(dec.get(), frame.get()) == 0) {
      if (p.decoded_frames == 0 && p.bit_depth == 8) {
        p.first_luma = cv::Mat(frame->height, frame->width, CV_8U, frame->data[0],
                               static_cast<std::size_t>(frame->linesize[0]))
                           .clone();
      }
      ++p.decoded_frames;
      p.b_frames += frame->pict_type == AV_PICTURE_TYPE_B;
      p.key_frames += frame->key_frame != 0;
      p.pts.push_back(frame->best_effort_timestamp);
    }
  };
  while (av_read_frame(fmt.get(), pkt.get()) >= 0) {
    if (pkt->stream_index == vi) {
      avcodec_send_packet(dec.get(), pkt.get());
      drain();
    }
    av_packet_unref(pkt.get());
  }
  avcodec_send_packet(dec.get(), nullptr);
  drain();
  return p;
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Quiets x264's per-encode statistics; errors still show.
class SyntheticClip : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { av_log_set_level(AV_LOG_ERROR); }
};

ClipSpec small_spec() {
  ClipSpec spec;
  spec.frames = 30;
  return spec;
}

TEST_F(SyntheticClip, DefaultClipDecodesWithSpecifiedGeometry) {
  TempDir dir;
  ClipSpec spec;  // defaults: 320x240, 90 frames
  const ClipTruth truth = make_shaky_clip(dir.file("clip.mp4"), spec);
  ASSERT_EQ(truth.camera.size(), 90u);
  const Probe p = probe(dir.file("clip.mp4"));
  EXPECT_EQ(p.decoded_frames, 90);
  EXPECT_EQ(p.width, 320);
  EXPECT_EQ(p.height, 240);
  EXPECT_EQ(p.bit_depth, 8);
  EXPECT_EQ(p.codec, "h264");
  EXPECT_EQ(p.rotation_deg, 0);
  EXPECT_FALSE(p.has_audio);
  EXPECT_FALSE(std::filesystem::exists(dir.file("clip.mp4.tmp")));

  // The encoded picture is the rendered one (no shift, crop or range error): BT.601 limited
  // range luma of the rendered BGR frame, up to coding noise.
  const cv::Mat bgr = ClipRenderer(spec).frame(0);
  ASSERT_FALSE(p.first_luma.empty());
  cv::Mat expected(bgr.size(), CV_8U);
  for (int y = 0; y < bgr.rows; ++y) {
    for (int x = 0; x < bgr.cols; ++x) {
      const cv::Vec3b c = bgr.at<cv::Vec3b>(y, x);
      expected.at<uchar>(y, x) =
          cv::saturate_cast<uchar>(16 + (65.481 * c[2] + 128.553 * c[1] + 24.966 * c[0]) / 255);
    }
  }
  EXPECT_GT(cv::PSNR(expected, p.first_luma), 38);
}

TEST_F(SyntheticClip, TenBitRotatedWithAudio) {
  TempDir dir;
  ClipSpec spec = small_spec();
  spec.bit_depth = 10;
  spec.rotation_deg = -90;
  spec.audio = true;
  make_shaky_clip(dir.file("clip.mp4"), spec);
  const Probe p = probe(dir.file("clip.mp4"));
  EXPECT_EQ(p.decoded_frames, 30);
  EXPECT_EQ(p.bit_depth, 10);
  EXPECT_NEAR(p.rotation_deg, -90, 1e-6);
  ASSERT_TRUE(p.has_audio);
  EXPECT_NEAR(p.audio_duration_s, 1.0, 0.03);  // 30 frames at 30 fps
  EXPECT_NEAR(p.video_duration_s, 1.0, 1e-6);
}

TEST_F(SyntheticClip, VariableFrameRateTimestampsAreIrregularAndExact) {
  TempDir dir;
  ClipSpec spec = small_spec();
  spec.variable_frame_rate = true;
  const ClipTruth truth = make_shaky_clip(dir.file("clip.mp4"), spec);
  const Probe p = probe(dir.file("clip.mp4"));
  ASSERT_EQ(p.pts.size(), truth.pts.size());
  std::set<std::int64_t> gaps;
  for (std::size_t i = 0; i < p.pts.size(); ++i) {
    const std::int64_t expected = av_rescale_q(
        truth.pts[i] - truth.pts[0], {truth.time_base.num, truth.time_base.den}, p.time_base);
    EXPECT_EQ(p.pts[i] - p.pts[0], expected) << "frame " << i;
    if (i > 0) {
      EXPECT_GT(p.pts[i], p.pts[i - 1]);
      gaps.insert(p.pts[i] - p.pts[i - 1]);
    }
  }
  EXPECT_GT(gaps.size(), 10u);
}

TEST_F(SyntheticClip, ShortGopWithBFramesDecodesCompletely) {
  TempDir dir;
  ClipSpec spec = small_spec();
  spec.gop = 8;
  spec.bframes = 2;
  make_shaky_clip(dir.file("clip.mkv"), spec);
  const Probe p = probe(dir.file("clip.mkv"));
  EXPECT_EQ(p.decoded_frames, 30);
  EXPECT_GE(p.key_frames, 4);  // at least every 8th frame
  EXPECT_GT(p.b_frames, 0);
  for (std::size_t i = 1; i < p.pts.size(); ++i) EXPECT_GT(p.pts[i], p.pts[i - 1]);
}

TEST_F(SyntheticClip, OddSizeNeedsAnotherCodec) {
  TempDir dir;
  ClipSpec spec = small_spec();
  spec.width = 321;
  spec.height = 241;
  try {
    make_shaky_clip(dir.file("odd.mp4"), spec);
    FAIL() << "libx264 accepted an odd size";
  } catch (const sw::Error& e) {
    EXPECT_NE(std::string(e.what()).find("expected an even size for libx264 4:2:0, got 321x241"),
              std::string::npos)
        << e.what();
  }
  spec.codec = "ffv1";
  make_shaky_clip(dir.file("odd.mkv"), spec);
  const Probe p = probe(dir.file("odd.mkv"));
  EXPECT_EQ(p.codec, "ffv1");
  EXPECT_EQ(p.width, 321);
  EXPECT_EQ(p.height, 241);
  EXPECT_EQ(p.decoded_frames, 30);
}

TEST_F(SyntheticClip, FailureLeavesNoFileBehind) {
  TempDir dir;
  EXPECT_THROW(make_shaky_clip(dir.file("clip.unknownext"), small_spec()), sw::Error);
  ClipSpec spec = small_spec();
  spec.codec = "no-such-encoder";
  EXPECT_THROW(make_shaky_clip(dir.file("clip.mp4"), spec), sw::Error);
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

TEST_F(SyntheticClip, SameSeedSameBytesOtherSeedOtherBytes) {
  TempDir dir;
  ClipSpec spec = small_spec();
  spec.audio = true;
  spec.bframes = 2;
  make_shaky_clip(dir.file("a.mp4"), spec);
  make_shaky_clip(dir.file("b.mp4"), spec);
  spec.seed = 2;
  make_shaky_clip(dir.file("c.mp4"), spec);
  const std::string a = read_bytes(dir.file("a.mp4"));
  EXPECT_FALSE(a.empty());
  // Compared as booleans: gtest would print both files on a mismatch.
  EXPECT_TRUE(a == read_bytes(dir.file("b.mp4"))) << "same seed, different bytes";
  EXPECT_FALSE(a == read_bytes(dir.file("c.mp4"))) << "different seeds, same bytes";
}

// Independent estimate of the pair (i-1 -> i) on the exact rendered frames (BGR).
sw::Motion estimate(const cv::Mat& a, const cv::Mat& b) {
  cv::Mat ga, gb;
  cv::cvtColor(a, ga, cv::COLOR_BGR2GRAY);
  cv::cvtColor(b, gb, cv::COLOR_BGR2GRAY);
  return sw::test::reference_motion(ga, gb);
}

// 640x480 because the rotation's resolution grows with the radius the corners span; at this
// size the estimate agrees with the truth to ~0.01 px and ~2e-5 rad, so the bounds below have
// a 10x margin while a wrong sign, centre or composition order would miss them by far.
TEST_F(SyntheticClip, TruthMatchesMotionMeasuredOnRenderedFrames) {
  ClipSpec spec = small_spec();
  spec.width = 640;
  spec.height = 480;
  spec.frames = 6;
  const ClipRenderer renderer(spec);
  for (int i = 1; i < spec.frames; ++i) {
    const sw::Motion truth = truth_motion(renderer.truth(), i);
    const sw::Motion measured = estimate(renderer.frame(i - 1), renderer.frame(i));
    ASSERT_TRUE(measured.valid()) << "pair " << i;
    EXPECT_NEAR(measured.dx, truth.dx, 0.1) << "pair " << i;
    EXPECT_NEAR(measured.dy, truth.dy, 0.1) << "pair " << i;
    EXPECT_NEAR(measured.da, truth.da, 2e-4) << "pair " << i;
  }
}

// Mean absolute difference between frame i and frame i-1 moved by the truth's motion, over the
// central half of the frame (so nothing moved in from outside the frame is compared).
double residual_after_truth_motion(const ClipRenderer& renderer, int i) {
  const sw::Motion m = truth_motion(renderer.truth(), i);
  const cv::Mat prev = renderer.frame(i - 1), cur = renderer.frame(i);
  const double cx = (cur.cols - 1) / 2.0, cy = (cur.rows - 1) / 2.0;
  const double c = std::cos(m.da), s = std::sin(m.da);
  // Forward map of prev's absolute pixels: q' = R q + t about the centre.
  const cv::Matx23d forward(c, -s, cx + m.dx - c * cx + s * cy,  //
                            s, c, cy + m.dy - s * cx - c * cy);
  cv::Mat moved;
  cv::warpAffine(prev, moved, forward, cur.size(), cv::INTER_CUBIC);
  const cv::Rect centre(cur.cols / 4, cur.rows / 4, cur.cols / 2, cur.rows / 2);
  cv::Mat diff;
  cv::absdiff(moved(centre), cur(centre), diff);
  const cv::Scalar mean = cv::mean(diff);
  return (mean[0] + mean[1] + mean[2]) / 3;
}

TEST_F(SyntheticClip, CutChangesContentButNotTheCamera) {
  ClipSpec spec = small_spec();
  spec.cut_at_frame = 10;
  const ClipRenderer renderer(spec);
  EXPECT_LT(residual_after_truth_motion(renderer, 9), 3.0);
  EXPECT_LT(residual_after_truth_motion(renderer, 11), 3.0);
  EXPECT_GT(residual_after_truth_motion(renderer, 10), 20.0);
}

TEST_F(SyntheticClip, ShakeStatisticsFollowTheDocumentedModel) {
  ClipSpec spec;
  spec.frames = 20000;
  spec.shake_px = 3;
  spec.shake_deg = 0.5;
  const ClipTruth truth = clip_truth(spec);
  EXPECT_NEAR(truth_jitter_px(truth, spec), std::sqrt(2.0) * 3, 0.05 * std::sqrt(2.0) * 3);
  // Frame-to-frame change of the AR(1) offset has the same std-dev as the offset itself.
  const auto steady = steady_path(spec);
  double sum_dx = 0, sum_da = 0;
  for (std::size_t i = 1; i < truth.camera.size(); ++i) {
    const double ex =
        (truth.camera[i].dx - steady[i].dx) - (truth.camera[i - 1].dx - steady[i - 1].dx);
    const double ea = truth.camera[i].da - truth.camera[i - 1].da;
    sum_dx += ex * ex;
    sum_da += ea * ea;
  }
  const double n = static_cast<double>(truth.camera.size() - 1);
  EXPECT_NEAR(std::sqrt(sum_dx / n), 3, 0.15);
  EXPECT_NEAR(std::sqrt(sum_da / n), 0.5 * std::numbers::pi / 180, 0.025 * std::numbers::pi / 180);

  spec.shake_px = 0;
  spec.shake_deg = 0;
  spec.frames = 50;
  const ClipTruth still = clip_truth(spec);
  EXPECT_EQ(truth_jitter_px(still, spec), 0);
  EXPECT_DOUBLE_EQ(still.camera[49].dx, 49 * spec.pan_px_per_frame);
  EXPECT_DOUBLE_EQ(still.camera[49].dy, 49 * spec.pan_px_per_frame / 4);
}

TEST_F(SyntheticClip, TruthCsvRoundTrips) {
  TempDir dir;
  const ClipTruth truth = clip_truth(small_spec());
  write_truth_csv(dir.file("truth.csv"), truth);
  std::ifstream in(dir.file("truth.csv"));
  std::string line;
  std::getline(in, line);
  EXPECT_EQ(line, "frame,dx,dy,da");
  std::size_t rows = 0;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string frame, dx, dy, da;
    std::getline(fields, frame, ',');
    std::getline(fields, dx, ',');
    std::getline(fields, dy, ',');
    std::getline(fields, da, ',');
    ASSERT_LT(rows, truth.camera.size());
    EXPECT_EQ(std::stoul(frame), rows);
    EXPECT_EQ(std::stod(dx), truth.camera[rows].dx);
    EXPECT_EQ(std::stod(dy), truth.camera[rows].dy);
    EXPECT_EQ(std::stod(da), truth.camera[rows].da);
    ++rows;
  }
  EXPECT_EQ(rows, truth.camera.size());
}

TEST_F(SyntheticClip, InvalidSpecNamesTheField) {
  ClipSpec spec;
  spec.bit_depth = 12;
  try {
    validate(spec);
    FAIL();
  } catch (const sw::Error& e) {
    EXPECT_STREQ(e.what(), "clip spec: expected bit_depth 8 or 10, got 12");
  }
  spec = ClipSpec{};
  spec.cut_at_frame = 90;
  EXPECT_THROW(validate(spec), sw::Error);
}

}  // namespace
}  // namespace sw::test
