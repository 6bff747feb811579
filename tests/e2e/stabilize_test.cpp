// stillwater stabilize on synthetic clips whose true shake is known.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "e2e/cli.hpp"
#include "e2e/path_csv.hpp"
#include "path/path.hpp"
#include "report/jitter.hpp"
#include "support/synthetic_clip.hpp"
#include "support/temp_dir.hpp"

namespace sw::test {
namespace {

std::vector<path::Vec3> camera_path(const ClipTruth& truth) {
  std::vector<path::Vec3> out;
  for (const auto& t : truth.camera) out.push_back({t.dx, t.dy, t.da});
  return out;
}

int count_frames(const std::string& file) {
  return std::stoi(
      shell("ffprobe -v error -select_streams v:0 -count_frames -show_entries "
            "stream=nb_read_frames -of csv=p=0 '" +
            file + "'"));
}

TEST(Stabilize, RemovesKnownShakeFromSyntheticClip) {
  TempDir dir;
  ClipSpec spec;
  spec.width = 640;
  spec.height = 360;
  spec.frames = 300;
  spec.shake_px = 4;
  spec.shake_deg = 0.5;
  spec.pan_px_per_frame = 0.5;
  spec.seed = 7;
  const ClipTruth truth = make_shaky_clip(dir.file("in.mp4"), spec);

  const auto result = run_stillwater({"stabilize", dir.file("in.mp4"), "-o", dir.file("out.mp4"),
                                      "--smoother", "ma", "--crop", "none", "--radius", "50",
                                      "--path-csv", dir.file("path.csv")});
  ASSERT_EQ(result.exit_code, 0) << result.err;

  const auto corr = corrections(read_path_csv(dir.file("path.csv")));
  ASSERT_EQ(corr.size(), truth.camera.size());
  const double input_jitter =
      report::residual_jitter(camera_path(truth), spec.width, spec.height).translation_px;
  const double output_jitter =
      report::residual_jitter(output_path(truth, corr), spec.width, spec.height).translation_px;
  EXPECT_GT(input_jitter, 5.0) << "the synthetic input must be clearly shaky";
  EXPECT_LT(output_jitter, 0.5) << "residual jitter against the known shake: " << output_jitter
                                << " px (input " << input_jitter << " px)";

  EXPECT_EQ(count_frames(dir.file("out.mp4")), spec.frames);

  // The same metric measured from the pictures by `stillwater metrics` agrees with the truth
  // on the input, and finds the output steady.
  const auto metrics =
      run_stillwater({"metrics", dir.file("in.mp4"), dir.file("out.mp4"), "--json"});
  ASSERT_EQ(metrics.exit_code, 0) << metrics.err;
  const auto pos_in = metrics.out.find("translation_px");
  const auto pos_out = metrics.out.find("translation_px", pos_in + 1);
  ASSERT_NE(pos_out, std::string::npos);
  const double measured_in = std::stod(metrics.out.substr(metrics.out.find(':', pos_in) + 1));
  const double measured_out = std::stod(metrics.out.substr(metrics.out.find(':', pos_out) + 1));
  EXPECT_NEAR(measured_in, input_jitter, 0.15 * input_jitter);
  EXPECT_LT(measured_out, 0.75) << "measured from the output video: " << measured_out << " px";
}

TEST(Stabilize, KeepsAudioPacketsAndDuration) {
  TempDir dir;
  ClipSpec spec;
  spec.frames = 60;
  spec.audio = true;
  make_shaky_clip(dir.file("in.mp4"), spec);
  const auto result =
      run_stillwater({"stabilize", dir.file("in.mp4"), "-o", dir.file("out.mp4"), "-q"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto audio_md5 = [&](const std::string& f) {
    return shell("ffmpeg -v error -i '" + f + "' -map 0:a -c copy -f md5 -");
  };
  EXPECT_EQ(audio_md5(dir.file("in.mp4")), audio_md5(dir.file("out.mp4")));
  auto duration = [&](const std::string& f) {
    return std::stod(
        shell("ffprobe -v error -show_entries format=duration -of csv=p=0 '" + f + "'"));
  };
  EXPECT_NEAR(duration(dir.file("in.mp4")), duration(dir.file("out.mp4")), 1.0 / 30);
  EXPECT_EQ(count_frames(dir.file("out.mp4")), spec.frames);
}

TEST(Stabilize, KeepsRotation) {
  TempDir dir;
  ClipSpec spec;
  spec.frames = 30;
  spec.rotation_deg = 90;
  make_shaky_clip(dir.file("in.mp4"), spec);
  const auto result =
      run_stillwater({"stabilize", dir.file("in.mp4"), "-o", dir.file("out.mp4"), "-q"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  auto rotation = [&](const std::string& f) {
    return shell(
        "ffprobe -v error -select_streams v:0 -show_entries stream_side_data=rotation "
        "-of csv=p=0 '" +
        f + "'");
  };
  const std::string in_rotation = rotation(dir.file("in.mp4"));
  EXPECT_NE(in_rotation.find("90"), std::string::npos) << in_rotation;
  EXPECT_EQ(rotation(dir.file("out.mp4")), in_rotation);
}

TEST(Stabilize, KeepsVariableFrameRateTimestamps) {
  TempDir dir;
  ClipSpec spec;
  spec.frames = 60;
  spec.variable_frame_rate = true;
  make_shaky_clip(dir.file("in.mp4"), spec);
  const auto result =
      run_stillwater({"stabilize", dir.file("in.mp4"), "-o", dir.file("out.mp4"), "-q"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  // One pts per frame (ffprobe may add side-data rows; keep the numbers only).
  auto frame_times = [&](const std::string& f) {
    return shell("ffprobe -v error -select_streams v:0 -show_entries frame=pts_time -of csv=p=0 '" +
                 f + "' | grep -oE '^[0-9.]+'");
  };
  const std::string in_times = frame_times(dir.file("in.mp4"));
  EXPECT_EQ(std::count(in_times.begin(), in_times.end(), '\n'), spec.frames);
  EXPECT_EQ(frame_times(dir.file("out.mp4")), in_times);
}

TEST(Stabilize, TenBitInputGivesTenBitOutput) {
  TempDir dir;
  ClipSpec spec;
  spec.frames = 30;
  spec.bit_depth = 10;
  make_shaky_clip(dir.file("in.mp4"), spec);
  const auto result =
      run_stillwater({"stabilize", dir.file("in.mp4"), "-o", dir.file("out.mp4"), "-q"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(
      shell("ffprobe -v error -select_streams v:0 -show_entries stream=pix_fmt -of csv=p=0 '" +
            dir.file("out.mp4") + "'"),
      "yuv420p10le\n");
  EXPECT_EQ(count_frames(dir.file("out.mp4")), spec.frames);
}

TEST(Stabilize, OddSizeInputIsStabilized) {
  TempDir dir;
  ClipSpec spec;
  spec.width = 321;
  spec.height = 241;
  spec.frames = 30;
  spec.codec = "ffv1";
  make_shaky_clip(dir.file("in.mkv"), spec);
  const auto result =
      run_stillwater({"stabilize", dir.file("in.mkv"), "-o", dir.file("out.mp4"), "-q"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(count_frames(dir.file("out.mp4")), spec.frames);
  const std::string size = shell(
      "ffprobe -v error -select_streams v:0 -show_entries "
      "stream=width,height -of csv=p=0 '" +
      dir.file("out.mp4") + "'");
  EXPECT_EQ(size, "320,240\n") << "4:2:0 output is cropped to even size";
}

}  // namespace
}  // namespace sw::test
