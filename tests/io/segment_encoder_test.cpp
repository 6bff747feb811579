// Rendering in segments: pieces from seeking readers, assembled into one output that has the
// input's frames, timestamps and other streams; x264 pieces that do not depend on what else the
// process encoded before or at the same time.
#include "io/segment_encoder.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iterator>
#include <thread>

#include "core/error.hpp"
#include "io/frame_index.hpp"
#include "io/library_log.hpp"
#include "io/video_reader.hpp"
#include "io_test_util.hpp"
#include "support/synthetic_clip.hpp"

namespace sw::io {
namespace {

using testing::read_container;
using testing::Stream;
using testing::TempDir;
namespace fs = std::filesystem;

// The clip generator's encoders would fill the test log with their statistics.
const bool kQuietLibav = (set_library_log(false), true);

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Encodes frames [begin, end) of `input` into one piece per segment, each from its own reader
// that seeks to the segment's first frame, as the exec runner does.
std::vector<std::string> render_pieces(const std::string& input, const FrameIndex& index,
                                       const std::vector<std::int64_t>& bounds, const TempDir& dir,
                                       const EncodeOptions& opt = {}) {
  std::vector<std::string> pieces;
  const auto n = static_cast<std::int64_t>(index.size());
  for (std::size_t s = 0; s + 1 < bounds.size(); ++s) {
    const std::int64_t begin = bounds[s], end = bounds[s + 1];
    ReaderOptions ro;
    ro.index = &index;
    ro.convert_to_8bit_yuv = true;
    VideoReader reader(input, ro);
    reader.seek_to_frame(begin);
    const std::string piece = dir / ("piece" + std::to_string(s) + ".mp4");
    SegmentEncoder enc(piece, opt, reader.stream_params());
    FrameView f;
    std::int64_t expected = begin;
    while (reader.next(f) && f.index < end) {
      if (f.index < begin) continue;
      EXPECT_EQ(f.index, expected++);
      const std::int64_t duration = f.index + 1 < n ? index.pts[f.index + 1] - f.pts : 0;
      enc.encode(f, duration);
    }
    EXPECT_EQ(expected, end);
    EXPECT_EQ(enc.frames(), end - begin);
    enc.finish();
    EXPECT_TRUE(fs::exists(piece));
    pieces.push_back(piece);
  }
  return pieces;
}

void expect_assembled_like_input(const std::string& in, const std::string& out) {
  const testing::Container a = read_container(in), b = read_container(out);
  const Stream* va = a.first(AVMEDIA_TYPE_VIDEO);
  const Stream* vb = b.first(AVMEDIA_TYPE_VIDEO);
  ASSERT_TRUE(va && vb);
  EXPECT_EQ(vb->time_base.num, va->time_base.num);
  EXPECT_EQ(vb->time_base.den, va->time_base.den);
  EXPECT_EQ(vb->packets.size(), va->packets.size());
  EXPECT_EQ(vb->sorted_pts(), va->sorted_pts());
  EXPECT_EQ(vb->rotation, va->rotation);
  EXPECT_EQ(vb->width, va->width);
  EXPECT_EQ(vb->height, va->height);
  for (std::size_t i = 0; i < vb->packets.size(); ++i) {
    EXPECT_LE(vb->packets[i].dts, vb->packets[i].pts) << "packet " << i;
    if (i > 0) {
      EXPECT_LT(vb->packets[i - 1].dts, vb->packets[i].dts) << "packet " << i;
    }
  }
  const Stream* aa = a.first(AVMEDIA_TYPE_AUDIO);
  const Stream* ab = b.first(AVMEDIA_TYPE_AUDIO);
  ASSERT_EQ(aa == nullptr, ab == nullptr);
  if (aa) {
    ASSERT_EQ(ab->packets.size(), aa->packets.size());
    for (std::size_t i = 0; i < aa->packets.size(); ++i) {
      EXPECT_EQ(ab->packets[i].pts, aa->packets[i].pts) << "audio packet " << i;
      EXPECT_TRUE(ab->packets[i].data == aa->packets[i].data) << "audio packet " << i;
    }
    EXPECT_EQ(ab->metadata, aa->metadata);
  }
  // Decodes cleanly, every frame.
  VideoReader r(out);
  FrameView f;
  std::int64_t frames = 0;
  while (r.next(f)) ++frames;
  EXPECT_EQ(frames, static_cast<std::int64_t>(va->packets.size()));
  EXPECT_TRUE(r.warnings().empty()) << r.warnings().front();
}

struct SegmentCase {
  const char* name;
  bool vfr;
};

class AssembledPieces : public ::testing::TestWithParam<SegmentCase> {};

// Segments of 10, 17, 25, 8, 12 and 18 frames: cuts at 10, 27 and 52 are inside GOPs (the
// reader starts at the keyframe before), cuts at 60 and 72 are on keyframes.
TEST_P(AssembledPieces, HaveTheInputsFramesTimestampsAndAudio) {
  TempDir dir;
  test::ClipSpec spec;
  spec.frames = 90;
  spec.gop = 12;
  spec.bframes = 2;
  spec.audio = true;
  spec.variable_frame_rate = GetParam().vfr;
  spec.rotation_deg = 90;
  const std::string in = dir / "in.mp4";
  test::make_shaky_clip(in, spec);
  const FrameIndex index = scan_frames(in);
  ASSERT_EQ(index.size(), 90u);
  const auto pieces = render_pieces(in, index, {0, 10, 27, 52, 60, 72, 90}, dir);

  const std::string out = dir / "out.mp4", again = dir / "again.mp4";
  std::vector<std::string> warnings;
  assemble_pieces(in, pieces, out, warnings);
  expect_assembled_like_input(in, out);
  if (!GetParam().vfr) {
    EXPECT_TRUE(warnings.empty()) << warnings.front();
  }

  std::vector<std::string> warnings2;
  assemble_pieces(in, pieces, again, warnings2);
  EXPECT_TRUE(slurp(out) == slurp(again)) << "assembling the same pieces twice differs";
  EXPECT_EQ(warnings, warnings2);
}

INSTANTIATE_TEST_SUITE_P(Clips, AssembledPieces,
                         ::testing::Values(SegmentCase{"cfr", false}, SegmentCase{"vfr", true}),
                         [](const auto& info) { return std::string(info.param.name); });

// Leftovers beside the output: temporary files of a failed assembly.
std::vector<std::string> hidden_files(const TempDir& dir) {
  std::vector<std::string> v;
  for (const auto& e : fs::directory_iterator(dir.path()))
    if (e.path().filename().string().front() == '.') v.push_back(e.path().string());
  return v;
}

class BrokenPieces : public ::testing::Test {
 protected:
  void SetUp() override {
    test::ClipSpec spec;
    spec.frames = 36;
    spec.gop = 12;
    spec.bframes = 2;
    spec.audio = true;
    test::make_shaky_clip(in, spec);
    index = scan_frames(in);
    pieces = render_pieces(in, index, {0, 12, 24, 36}, dir);
  }

  // Assembles, expects an sw::Error containing `needle` and nothing at the output path.
  void expect_failure(const std::vector<std::string>& set, const std::string& needle) {
    std::vector<std::string> warnings;
    try {
      assemble_pieces(in, set, out, warnings);
      ADD_FAILURE() << "expected an error containing '" << needle << "'";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(needle), std::string::npos) << e.what();
    }
    EXPECT_FALSE(fs::exists(out));
    EXPECT_TRUE(hidden_files(dir).empty()) << hidden_files(dir).front();
  }

  TempDir dir;
  std::string in = dir / "in.mp4";
  std::string out = dir / "out.mp4";
  FrameIndex index;
  std::vector<std::string> pieces;
};

TEST_F(BrokenPieces, MissingPieceIsNamed) {
  fs::remove(pieces[1]);
  expect_failure(pieces, pieces[1] + ": segment piece is missing");
}

TEST_F(BrokenPieces, TruncatedPieceIsNamed) {
  fs::resize_file(pieces[2], fs::file_size(pieces[2]) / 2);
  expect_failure(pieces, pieces[2] + ": segment piece is");
}

TEST_F(BrokenPieces, GarbagePieceIsNamed) {
  std::ofstream(pieces[1], std::ios::binary | std::ios::trunc) << "definitely not a video";
  expect_failure(pieces, pieces[1] + ": segment piece is not readable");
}

TEST_F(BrokenPieces, PiecesOutOfOrderAreAnError) {
  expect_failure({pieces[0], pieces[2], pieces[1]}, "pieces out of order");
}

TEST_F(BrokenPieces, PieceWithOtherEncoderSettingsIsNamed) {
  EncodeOptions other;
  other.preset = "ultrafast";  // no CABAC: different picture parameter set
  TempDir other_dir;
  const auto odd = render_pieces(in, index, {0, 12, 24}, other_dir, other);
  expect_failure({pieces[0], odd[1], pieces[2]}, odd[1] +
                                                     ": segment piece has different codec "
                                                     "headers (extradata)");
}

TEST(SegmentEncoder, OddSize420IsCutToEvenLikeTheTranscoder) {
  TempDir dir;
  const std::string in = dir / "odd.mkv";
  testing::ffmpeg(testing::lavfi_video(321, 241, 1) + "-c:v ffv1 -pix_fmt yuv420p " + in);
  ReaderOptions ro;
  ro.convert_to_8bit_yuv = true;
  VideoReader reader(in, ro);
  SegmentEncoder enc(dir / "piece.mp4", {}, reader.stream_params());
  const MutableFrameView& out = enc.begin_frame();
  EXPECT_EQ(out.planes[0].width, 320);
  EXPECT_EQ(out.planes[0].height, 240);
  EXPECT_EQ(out.planes[1].width, 160);
  ASSERT_EQ(enc.warnings().size(), 1u);
  EXPECT_NE(enc.warnings()[0].find("odd size 321x241"), std::string::npos);
}

TEST(SegmentEncoder, NothingAppearsWithoutFinish) {
  TempDir dir;
  const std::string in = dir / "in.mp4";
  testing::ffmpeg(testing::lavfi_video() + "-c:v libx264 " + in);
  ReaderOptions ro;
  ro.convert_to_8bit_yuv = true;
  VideoReader reader(in, ro);
  {
    SegmentEncoder enc(dir / "piece.mp4", {}, reader.stream_params());
    FrameView f;
    for (int i = 0; i < 5 && reader.next(f); ++i) enc.encode(f, 512);
  }
  EXPECT_FALSE(fs::exists(dir / "piece.mp4"));
  EXPECT_TRUE(hidden_files(dir).empty());
}

// 8-bit frames held in memory, so that encodes can be repeated and run side by side.
struct Frames {
  VideoStreamParams params;
  std::vector<std::vector<std::uint8_t>> planes[3];
  std::vector<std::int64_t> pts;
};

Frames load_frames(const std::string& path) {
  ReaderOptions ro;
  ro.convert_to_8bit_yuv = true;
  VideoReader r(path, ro);
  Frames fr;
  fr.params = r.stream_params();
  FrameView f;
  while (r.next(f)) {
    fr.pts.push_back(f.pts);
    for (int p = 0; p < 3; ++p) {
      const PlaneView& pv = f.planes[p];
      std::vector<std::uint8_t> copy;
      for (int y = 0; y < pv.height; ++y)
        copy.insert(copy.end(), pv.data + y * pv.stride, pv.data + y * pv.stride + pv.width);
      fr.planes[p].push_back(std::move(copy));
    }
  }
  return fr;
}

// Leaves freed, non-zero memory in the allocator, so that an encoder reading memory it never
// wrote sees garbage instead of the fresh zero pages a young process would give it. (Freeing a
// large block also raises glibc's mmap threshold, so later frame-sized blocks come from here.)
void dirty_heap(unsigned char value) {
  std::vector<void*> blocks;
  for (std::size_t size = 4096; size <= (std::size_t{8} << 20); size *= 2)
    for (int i = 0; i < 4; ++i) {
      void* p = std::malloc(size);
      if (!p) continue;
      std::memset(p, value, size);
      blocks.push_back(p);
    }
  for (void* p : blocks) std::free(p);
}

std::string encode_piece(const Frames& fr, const std::string& path) {
  static unsigned char garbage = 0x5a;
  dirty_heap(garbage += 37);
  EncodeOptions opt;
  opt.x264_deterministic_simd = std::getenv("SW_TEST_X264_AUTO_SIMD") == nullptr;
  SegmentEncoder enc(path, opt, fr.params);
  for (std::size_t i = 0; i < fr.pts.size(); ++i) {
    MutableFrameView& out = enc.begin_frame();
    for (int p = 0; p < 3; ++p) {
      const MutablePlaneView& d = out.planes[p];
      for (int y = 0; y < d.height; ++y)
        std::memcpy(d.data + y * d.stride, fr.planes[p][i].data() + y * d.width, d.width);
    }
    enc.encode(fr.pts[i]);
  }
  enc.finish();
  return slurp(path);
}

// The default EncodeOptions make a piece's bytes a function of its frames and options only:
// the same piece encoded 3 times, with other encodes in between, and twice at the same time on
// two threads, is byte-identical every time. SW_TEST_X264_AUTO_SIMD=1 runs it without
// x264_deterministic_simd, to look for the AVX-512 variation (see EncodeOptions).
TEST(SegmentEncoder, SamePieceSameBytesWhateverRanBeforeOrBeside) {
  TempDir dir;
  // testsrc at 320x240 is content on which the AVX-512 encode was seen to vary.
  const std::string a_in = dir / "a.mp4", b_in = dir / "b.mp4";
  testing::ffmpeg(testing::lavfi_video(320, 240, 4) + "-c:v libx264 -crf 10 " + a_in);
  test::ClipSpec spec;
  spec.frames = 60;
  spec.width = 480;
  spec.height = 272;
  test::make_shaky_clip(b_in, spec);
  const Frames a = load_frames(a_in), b = load_frames(b_in);

  const std::string first = encode_piece(a, dir / "a1.mp4");
  ASSERT_FALSE(first.empty());
  encode_piece(b, dir / "b1.mp4");
  EXPECT_TRUE(encode_piece(a, dir / "a2.mp4") == first) << "after another encode";
  encode_piece(b, dir / "b2.mp4");
  encode_piece(a, dir / "a_between.mp4");
  EXPECT_TRUE(encode_piece(a, dir / "a3.mp4") == first) << "third run";

  for (int round = 0; round < 3; ++round) {
    std::string t1, t2;
    std::thread worker([&] { t1 = encode_piece(a, dir / "t1.mp4"); });
    t2 = encode_piece(a, dir / "t2.mp4");
    worker.join();
    EXPECT_TRUE(t1 == first) << "concurrent, thread 1, round " << round;
    EXPECT_TRUE(t2 == first) << "concurrent, thread 2, round " << round;
  }
}

}  // namespace
}  // namespace sw::io
