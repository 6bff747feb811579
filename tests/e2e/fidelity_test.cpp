// Output fidelity: a 10-bit HDR10 clip comes out 10-bit with its colour description and its
// HDR10 metadata (mastering display, content light level) in the stream (SEI, read back from
// decoded frames) and in the container; 10-bit output is byte-equal for any thread count;
// --pix-fmt chooses the depth (--crop fill too), and a bad name is a usage error. What the output
// carries is read with ffprobe, as a user would check it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "e2e/cli.hpp"
#include "e2e/store_util.hpp"
#include "support/synthetic_clip.hpp"
#include "support/temp_dir.hpp"

namespace sw::test {
namespace {

using nlohmann::json;

// The first video stream's description, and its first frame's side data.
json probe_stream(const std::string& path) {
  return json::parse(
      shell("ffprobe -v error -select_streams v:0 -show_entries "
            "stream=codec_name,profile,pix_fmt,color_range,color_space,"
            "color_transfer,color_primaries:stream_side_data -of json '" +
            path + "'"))["streams"][0];
}

json probe_first_frame_side_data(const std::string& path) {
  const json frames = json::parse(
      shell("ffprobe -v error -select_streams v:0 -read_intervals %+#1 -show_frames -show_entries "
            "frame=side_data_list -of json '" +
            path + "'"))["frames"];
  return frames.empty() ? json::array() : frames[0].value("side_data_list", json::array());
}

// The side data entry of a type ("Mastering display metadata", ...), or null.
json side_data(const json& list, const std::string& type) {
  for (const json& sd : list)
    if (sd.value("side_data_type", "") == type) return sd;
  return nullptr;
}

void expect_hdr10(const json& list, const std::string& where) {
  const json md = side_data(list, "Mastering display metadata");
  ASSERT_FALSE(md.is_null()) << "no mastering display metadata in " << where;
  // kHdr10MasterDisplay: G(13250,34500)B(7500,3000)R(34000,16000)WP(15635,16450)L(1e7,1).
  EXPECT_EQ(md.value("red_x", ""), "34000/50000") << where;
  EXPECT_EQ(md.value("red_y", ""), "16000/50000") << where;
  EXPECT_EQ(md.value("green_x", ""), "13250/50000") << where;
  EXPECT_EQ(md.value("green_y", ""), "34500/50000") << where;
  EXPECT_EQ(md.value("blue_x", ""), "7500/50000") << where;
  EXPECT_EQ(md.value("blue_y", ""), "3000/50000") << where;
  EXPECT_EQ(md.value("white_point_x", ""), "15635/50000") << where;
  EXPECT_EQ(md.value("white_point_y", ""), "16450/50000") << where;
  EXPECT_EQ(md.value("max_luminance", ""), "10000000/10000") << where;
  EXPECT_EQ(md.value("min_luminance", ""), "1/10000") << where;
  const json cll = side_data(list, "Content light level metadata");
  ASSERT_FALSE(cll.is_null()) << "no content light level in " << where;
  EXPECT_EQ(cll.value("max_content", 0u), kHdr10MaxCll) << where;
  EXPECT_EQ(cll.value("max_average", 0u), kHdr10MaxFall) << where;
}

ClipSpec ten_bit_clip(const std::string& codec) {
  ClipSpec spec;
  spec.width = 320;
  spec.height = 240;
  spec.frames = 30;
  spec.gop = 12;
  spec.bit_depth = 10;
  spec.codec = codec;
  spec.seed = 15;
  return spec;
}

TEST(Fidelity, Hdr10HevcKeepsDepthColourAndHdrMetadataWithCopyCodec) {
  TempDir dir;
  ClipSpec spec = ten_bit_clip("libx265");
  spec.hdr10 = true;
  make_shaky_clip(dir.file("in.mp4"), spec);
  // The clip itself must carry what the test looks for, else the test proves nothing.
  const json in = probe_stream(dir.file("in.mp4"));
  ASSERT_EQ(in.value("pix_fmt", ""), "yuv420p10le");
  ASSERT_EQ(in.value("color_transfer", ""), "smpte2084");
  expect_hdr10(probe_first_frame_side_data(dir.file("in.mp4")), "the input's first frame");

  const auto r =
      run_stillwater({"stabilize", dir.file("in.mp4"), "-o", dir.file("out.mp4"), "--encoder",
                      "copy-codec", "--segment-frames", "12", "--threads", "2", "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json out = probe_stream(dir.file("out.mp4"));
  EXPECT_EQ(out.value("codec_name", ""), "hevc");
  EXPECT_EQ(out.value("profile", ""), "Main 10");
  EXPECT_EQ(out.value("pix_fmt", ""), "yuv420p10le");
  for (const char* key : {"color_range", "color_space", "color_transfer", "color_primaries"})
    EXPECT_EQ(out.value(key, "?"), in.value(key, "")) << key;
  expect_hdr10(probe_first_frame_side_data(dir.file("out.mp4")), "the output's first frame (SEI)");
  expect_hdr10(out.value("side_data_list", json::array()), "the output stream (container)");

  // x265's bytes must not depend on the thread count either (its pool and frame threads are
  // fixed by --encoder-threads).
  const auto one =
      run_stillwater({"stabilize", dir.file("in.mp4"), "-o", dir.file("one.mp4"), "--encoder",
                      "copy-codec", "--segment-frames", "12", "--threads", "1", "-q"});
  ASSERT_EQ(one.exit_code, 0) << one.err;
  EXPECT_TRUE(file_bytes(dir.file("one.mp4")) == file_bytes(dir.file("out.mp4")))
      << "HEVC output differs between --threads 1 and 2";
}

TEST(Fidelity, TenBitOutputIsByteEqualForEveryThreadCount) {
  TempDir dir;
  make_shaky_clip(dir.file("in.mp4"), ten_bit_clip("libx264"));
  std::string reference;
  for (int threads : {1, 2, 3}) {
    const std::string out = dir.file("t" + std::to_string(threads) + ".mp4");
    const auto r = run_stillwater({"stabilize", dir.file("in.mp4"), "-o", out, "--segment-frames",
                                   "8", "--threads", std::to_string(threads), "-q"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string bytes = file_bytes(out);
    if (threads == 1) {
      reference = bytes;
      const json s = probe_stream(out);
      EXPECT_EQ(s.value("pix_fmt", ""), "yuv420p10le") << "10-bit input gives 10-bit output";
      EXPECT_EQ(s.value("profile", ""), "High 10");
    } else {
      EXPECT_TRUE(bytes == reference) << "output differs with --threads " << threads;
    }
  }
}

TEST(Fidelity, PixFmtChoosesTheOutputDepthAndRejectsUnknownNames) {
  TempDir dir;
  make_shaky_clip(dir.file("in.mp4"), ten_bit_clip("libx264"));
  const auto r = run_stillwater({"stabilize", dir.file("in.mp4"), "-o", dir.file("out.mp4"),
                                 "--pix-fmt", "yuv420p", "--threads", "2", "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(probe_stream(dir.file("out.mp4")).value("pix_fmt", ""), "yuv420p");

  // The full-frame fill keeps the input's depth too (tests/e2e/fill_depth_test.cpp: its low bits).
  const auto fill = run_stillwater({"stabilize", dir.file("in.mp4"), "-o", dir.file("fill.mp4"),
                                    "--crop", "fill", "--threads", "2", "-q"});
  ASSERT_EQ(fill.exit_code, 0) << fill.err;
  EXPECT_EQ(probe_stream(dir.file("fill.mp4")).value("pix_fmt", ""), "yuv420p10le");

  const auto bad = run_stillwater(
      {"stabilize", dir.file("in.mp4"), "-o", dir.file("bad.mp4"), "--pix-fmt", "yuv420p11"});
  EXPECT_EQ(bad.exit_code, 2);
  ASSERT_EQ(bad.err_lines().size(), 1u) << bad.err;
  EXPECT_NE(bad.err.find("--pix-fmt"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace sw::test
