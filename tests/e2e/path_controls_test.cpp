// The path controls of issue 15 end to end, measured on the output's pictures (an estimator
// of the test's own, OpenCV's Shi-Tomasi + LK + partial affine, not stillwater's): --tripod
// leaves no frame-to-frame motion, --horizon-lock keeps the first frame's roll, --strength
// 1,1,0 keeps the roll and removes the translation shake. Plus the usage errors, the help
// of the three commands that plan a path, and byte-identical output for any thread count.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <numbers>
#include <sstream>

#include <opencv2/imgproc.hpp>
#include <opencv2/videoio.hpp>

#include "e2e/cli.hpp"
#include "support/reference_motion.hpp"
#include "support/synthetic_clip.hpp"
#include "support/temp_dir.hpp"

namespace sw::test {
namespace {

std::vector<cv::Mat> read_gray_frames(const std::string& video) {
  cv::VideoCapture cap(video);
  std::vector<cv::Mat> frames;
  cv::Mat bgr;
  while (cap.read(bgr)) {
    cv::Mat gray;
    cv::cvtColor(bgr, gray, cv::COLOR_BGR2GRAY);
    frames.push_back(gray);
  }
  return frames;
}

// The similarity a -> b between grey output frames (support/reference_motion.hpp).
Motion estimate(const cv::Mat& a, const cv::Mat& b) {
  return test::reference_motion(a, b, 800);
}

// RMS of the frame-to-frame translation (both axes together), in pixels.
double translation_rms(const std::vector<cv::Mat>& frames) {
  double sum = 0;
  for (std::size_t i = 1; i < frames.size(); ++i) {
    const Motion m = estimate(frames[i - 1], frames[i]);
    EXPECT_TRUE(m.valid()) << "pair " << i;
    sum += m.dx * m.dx + m.dy * m.dy;
  }
  return std::sqrt(sum / static_cast<double>(frames.size() - 1));
}

// Each frame's roll against the first frame's, radians (estimated from frame 0 directly).
std::vector<double> roll_from_first(const std::vector<cv::Mat>& frames) {
  std::vector<double> roll;
  for (const cv::Mat& f : frames) {
    const Motion m = estimate(frames.front(), f);
    EXPECT_TRUE(m.valid());
    roll.push_back(m.da);
  }
  return roll;
}

double correlation(const std::vector<double>& a, const std::vector<double>& b) {
  const auto n = static_cast<double>(a.size());
  double ma = 0, mb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) ma += a[i] / n, mb += b[i] / n;
  double ab = 0, aa = 0, bb = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    ab += (a[i] - ma) * (b[i] - mb);
    aa += (a[i] - ma) * (a[i] - ma);
    bb += (b[i] - mb) * (b[i] - mb);
  }
  return ab / std::sqrt(aa * bb);
}

ClipSpec base_spec() {
  ClipSpec spec;
  spec.width = 640;
  spec.height = 360;
  spec.frames = 90;
  spec.pan_px_per_frame = 0;  // no intended motion
  spec.seed = 41;
  return spec;
}

RunResult stabilize(const TempDir& dir, const std::string& name, std::vector<std::string> extra) {
  std::vector<std::string> args = {
      "stabilize", dir.file("in.mp4"), "-o", dir.file(name + ".mp4"), "-q", "--crf", "10"};
  args.insert(args.end(), extra.begin(), extra.end());
  return run_stillwater(args);
}

TEST(PathControls, TripodLeavesNoFrameToFrameMotion) {
  TempDir dir;
  ClipSpec spec = base_spec();
  spec.shake_px = 3;
  spec.shake_deg = 0.3;
  make_shaky_clip(dir.file("in.mp4"), spec);
  const auto result = stabilize(dir, "out", {"--tripod"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err.find("could not be held"), std::string::npos) << result.err;

  const double before = translation_rms(read_gray_frames(dir.file("in.mp4")));
  const auto frames = read_gray_frames(dir.file("out.mp4"));
  ASSERT_EQ(frames.size(), std::size_t(spec.frames));
  const double after = translation_rms(frames);
  std::printf("tripod: frame-to-frame translation %.3f -> %.3f px RMS\n", before, after);
  EXPECT_GT(before, 2) << "the input must shake";
  EXPECT_LT(after, 0.1) << "input " << before << " px RMS";
  // And the roll is held too: each frame's roll against the first is below 0.02 degrees.
  for (const double a : roll_from_first(frames))
    ASSERT_LT(std::abs(a) * 180 / std::numbers::pi, 0.02);
}

// The count of frames the crop bound kept from being held: a warning, and the summary line.
TEST(PathControls, TripodSaysHowManyFramesItCouldNotHold) {
  TempDir dir;
  ClipSpec spec = base_spec();
  spec.frames = 60;
  spec.shake_px = 1;
  spec.shake_deg = 0.1;
  spec.pan_px_per_frame = 2;  // 120 px of pan: more than 1.05 can hold
  make_shaky_clip(dir.file("in.mp4"), spec);
  std::vector<std::string> args = {"stabilize", dir.file("in.mp4"), "-o",  dir.file("out.mp4"),
                                   "--tripod",  "--max-zoom",       "1.05"};
  const auto result = run_stillwater(args);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto warned =
      result.err.find(" of 60 frames could not be held still within --max-zoom 1.05");
  ASSERT_NE(warned, std::string::npos) << result.err;
  // The count is in the summary line too, for analyze and render --replan as for stabilize.
  const auto start = result.err.find_last_not_of("0123456789", warned - 1) + 1;
  const std::string count = result.err.substr(start, warned - start);
  ASSERT_FALSE(count.empty()) << result.err;
  EXPECT_GT(std::stoi(count), 0);
  const std::string summary =
      "; " + count + " of 60 frames not held still (limited by --max-zoom)\n";
  EXPECT_NE(result.out.find(summary), std::string::npos) << result.out;

  const std::string store = dir.file("run.zarr");
  const auto analysed = run_stillwater(
      {"analyze", dir.file("in.mp4"), "--store", store, "--tripod", "--max-zoom", "1.05"});
  ASSERT_EQ(analysed.exit_code, 0) << analysed.err;
  EXPECT_NE(analysed.out.find(summary), std::string::npos) << analysed.out;
  const auto replanned =
      run_stillwater({"render", dir.file("in.mp4"), "--store", store, "-o", dir.file("again.mp4"),
                      "--replan", "--tripod", "--max-zoom", "1.05"});
  ASSERT_EQ(replanned.exit_code, 0) << replanned.err;
  EXPECT_NE(replanned.out.find(summary), std::string::npos) << replanned.out;
  // Without --tripod nothing was asked to be held: no count.
  const auto plain = run_stillwater({"render", dir.file("in.mp4"), "--store", store, "-o",
                                     dir.file("plain.mp4"), "--replan", "--max-zoom", "1.05"});
  ASSERT_EQ(plain.exit_code, 0) << plain.err;
  EXPECT_EQ(plain.out.find("not held"), std::string::npos) << plain.out;
}

TEST(PathControls, HorizonLockKeepsTheFirstFramesRoll) {
  TempDir dir;
  ClipSpec spec = base_spec();
  spec.shake_px = 2;
  spec.shake_deg = 0.2;
  spec.roll_drift_deg = 5;
  const ClipTruth truth = make_shaky_clip(dir.file("in.mp4"), spec);
  const auto result = stabilize(dir, "out", {"--horizon-lock", "--max-zoom", "1.5"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_EQ(result.err.find("could not be held"), std::string::npos) << result.err;

  const double drift = truth.camera.back().da - truth.camera.front().da;
  EXPECT_GT(std::abs(drift) * 180 / std::numbers::pi, 4) << "the input's roll must drift";
  const auto frames = read_gray_frames(dir.file("out.mp4"));
  ASSERT_EQ(frames.size(), std::size_t(spec.frames));
  const auto roll = roll_from_first(frames);
  double worst = 0;
  for (const double a : roll) worst = std::max(worst, std::abs(a) * 180 / std::numbers::pi);
  std::printf("horizon lock: input roll drifts %.2f deg, output's largest %.4f deg\n",
              drift * 180 / std::numbers::pi, worst);
  for (std::size_t i = 0; i < roll.size(); ++i)
    ASSERT_LT(std::abs(roll[i]) * 180 / std::numbers::pi, 0.1) << "frame " << i;
}

TEST(PathControls, StrengthKeepsTheRollAndRemovesTheTranslationShake) {
  TempDir dir;
  ClipSpec spec = base_spec();
  spec.shake_px = 4;
  spec.shake_deg = 1;
  const ClipTruth truth = make_shaky_clip(dir.file("in.mp4"), spec);
  const auto result = stabilize(dir, "out", {"--strength", "1,1,0"});
  ASSERT_EQ(result.exit_code, 0) << result.err;

  const auto frames = read_gray_frames(dir.file("out.mp4"));
  ASSERT_EQ(frames.size(), std::size_t(spec.frames));
  std::vector<double> true_roll;
  for (const Transform2D& c : truth.camera) true_roll.push_back(c.da - truth.camera[0].da);
  const double r = correlation(roll_from_first(frames), true_roll);
  EXPECT_GT(r, 0.95);

  // The roll turns the picture about its centre; the translation left is the path's own.
  const double before = translation_rms(read_gray_frames(dir.file("in.mp4")));
  const double after = translation_rms(frames);
  std::printf("strength 1,1,0: roll correlation %.4f, translation %.3f -> %.3f px RMS\n", r, before,
              after);
  EXPECT_LT(after, 0.25 * before) << "input " << before << " px, output " << after << " px";
}

TEST(PathControls, BadValuesAreOneLineUsageErrors) {
  TempDir dir;
  ClipSpec spec = base_spec();
  spec.frames = 10;
  make_shaky_clip(dir.file("in.mp4"), spec);
  for (const std::vector<std::string>& bad : {std::vector<std::string>{"--strength", "1,2,0"},
                                              {"--strength", "1,1"},
                                              {"--strength", "a,b,c"},
                                              {"--strength", "1,1,1,1"},
                                              {"--strength", "-0.5,1,1"},
                                              {"--horizon-lock", "50"},
                                              {"--horizon-lock=x"}}) {
    std::vector<std::string> args = {"stabilize", dir.file("in.mp4"), "-o", dir.file("out.mp4")};
    args.insert(args.end(), bad.begin(), bad.end());
    const auto result = run_stillwater(args);
    const std::string option = bad[0].substr(0, bad[0].find('='));
    EXPECT_EQ(result.exit_code, 2) << bad[0] << " " << (bad.size() > 1 ? bad[1] : "");
    EXPECT_EQ(result.err_lines().size(), 1u) << result.err;
    EXPECT_NE(result.err.find(option), std::string::npos) << result.err;
  }
  // Without a number after it, --horizon-lock takes no value: the input is still the input.
  const auto ok = run_stillwater({"stabilize", "--horizon-lock", dir.file("in.mp4"), "-o",
                                  dir.file("out.mp4"), "-q", "--max-zoom", "1.5"});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
}

TEST(PathControls, HelpOfEveryCommandThatPlansAPathListsThem) {
  for (const std::string command : {"stabilize", "analyze", "render"}) {
    const auto result = run_stillwater({command, "--help"});
    ASSERT_EQ(result.exit_code, 0) << command;
    for (const std::string option : {"--tripod", "--horizon-lock [DEG]", "--strength X,Y,R"})
      EXPECT_NE(result.out.find(option), std::string::npos) << command << ": " << option;
  }
}

std::string read_bytes(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(PathControls, OutputBytesDoNotDependOnTheThreadCount) {
  TempDir dir;
  ClipSpec spec = base_spec();
  spec.frames = 48;
  spec.roll_drift_deg = 2;
  make_shaky_clip(dir.file("in.mp4"), spec);
  const std::vector<std::vector<std::string>> controls = {
      {"--tripod"}, {"--horizon-lock", "1"}, {"--strength", "0.5,1,0"}};
  for (std::size_t k = 0; k < controls.size(); ++k) {
    std::string reference;
    for (const std::string threads : {"1", "2"}) {
      const std::string name = "c" + std::to_string(k) + "t" + threads;
      std::vector<std::string> extra = {"--threads", threads, "--segment-frames", "12"};
      extra.insert(extra.end(), controls[k].begin(), controls[k].end());
      const auto result = stabilize(dir, name, extra);
      ASSERT_EQ(result.exit_code, 0) << result.err;
      const std::string bytes = read_bytes(dir.file(name + ".mp4"));
      ASSERT_FALSE(bytes.empty());
      if (reference.empty()) {
        reference = bytes;
      } else {
        EXPECT_TRUE(bytes == reference) << controls[k][0] << ": --threads 2 differs from 1";
      }
    }
  }
}

}  // namespace
}  // namespace sw::test
