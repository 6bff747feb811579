// Ignore regions (--ignore, --ignore-mask) end to end: a clip whose bottom-right corner holds
// a textured overlay scrolling on its own (a dashboard screen) drags today's estimate; with
// the corner ignored, every pair's motion in the store matches the true camera motion. A mask
// image over the same pixels gives the same motions; bad values are one-line errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/imgproc.hpp>

#include "e2e/cli.hpp"
#include "store/run_store.hpp"
#include "support/synthetic_clip.hpp"
#include "support/temp_dir.hpp"

namespace sw::test {
namespace {

constexpr double kTolerancePx = 0.1;

ClipSpec overlay_spec() {
  ClipSpec spec;
  spec.width = 480;
  spec.height = 270;
  spec.frames = 40;
  spec.shake_px = 3;
  spec.shake_deg = 0.2;
  spec.pan_px_per_frame = 1;
  spec.overlay_scroll_px = 2;
  spec.seed = 41;
  return spec;
}

// The overlay's corner as --ignore in percent (overlay_rect(): from 55 % on).
const char* const kOverlayRegion = "55%,55%,45%,45%";

std::vector<Motion> analyse(const std::string& in, const std::string& store,
                            std::vector<std::string> extra) {
  std::vector<std::string> args = {"analyze", in, "--store", store, "-q", "--threads", "2"};
  args.insert(args.end(), extra.begin(), extra.end());
  const auto result = run_stillwater(args);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  if (result.exit_code != 0) return {};
  return store::RunStore::open_existing(store).read_motions();
}

// The largest translation error of any pair against the truth (inf for an unmeasured pair).
double max_error_px(const std::vector<Motion>& motions, const ClipTruth& truth) {
  double worst = 0;
  for (std::size_t i = 1; i < motions.size(); ++i) {
    const Motion t = truth_motion(truth, static_cast<int>(i));
    const Motion& m = motions[i];
    if (m.status != MotionStatus::ok) return INFINITY;
    worst = std::max({worst, std::abs(m.dx - t.dx), std::abs(m.dy - t.dy)});
  }
  return worst;
}

bool same_motions(const std::vector<Motion>& a, const std::vector<Motion>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].dx != b[i].dx || a[i].dy != b[i].dy || a[i].da != b[i].da ||
        a[i].status != b[i].status)
      return false;
  }
  return true;
}

class Ignore : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir;
    truth_ = new ClipTruth(make_shaky_clip(dir_->file("overlay.mp4"), overlay_spec()));
  }
  static void TearDownTestSuite() {
    delete truth_;
    delete dir_;
  }
  static std::string input() { return dir_->file("overlay.mp4"); }
  static TempDir* dir_;
  static ClipTruth* truth_;
};
TempDir* Ignore::dir_ = nullptr;
ClipTruth* Ignore::truth_ = nullptr;

TEST_F(Ignore, TheOverlayDragsTheEstimateAndIgnoringItRecoversTheTruth) {
  const auto dragged = analyse(input(), dir_->file("plain.zarr"), {});
  ASSERT_EQ(dragged.size(), 40u);
  const double dragged_error = max_error_px(dragged, *truth_);
  EXPECT_GT(dragged_error, kTolerancePx) << "the overlay no longer drags the estimate";

  const auto ignored = analyse(input(), dir_->file("ignore.zarr"), {"--ignore", kOverlayRegion});
  ASSERT_EQ(ignored.size(), 40u);
  const double ignored_error = max_error_px(ignored, *truth_);
  EXPECT_LT(ignored_error, kTolerancePx);
  std::printf("largest pair error: %.3f px, %.3f px with the overlay ignored\n", dragged_error,
              ignored_error);

  // Recorded in the analysis parameters: a store made without it refuses the run.
  const auto refused = run_stillwater(
      {"analyze", input(), "--store", dir_->file("plain.zarr"), "-q", "--ignore", kOverlayRegion});
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("ignore"), std::string::npos) << refused.err;
}

TEST_F(Ignore, AMaskOverTheSamePixelsGivesTheSameMotionsOnAnySplit) {
  const ClipSpec spec = overlay_spec();
  cv::Mat mask(spec.height, spec.width, CV_8U, cv::Scalar(255));
  mask(overlay_rect(spec)).setTo(cv::Scalar(0));
  const std::string png = dir_->file("mask.png");
  ASSERT_TRUE(cv::imwrite(png, mask));
  const auto by_region = analyse(input(), dir_->file("region.zarr"), {"--ignore", kOverlayRegion});
  const auto by_mask = analyse(input(), dir_->file("mask.zarr"),
                               {"--ignore-mask", png, "--threads", "3", "--segment-frames", "10"});
  EXPECT_TRUE(same_motions(by_region, by_mask));
  EXPECT_LT(max_error_px(by_mask, *truth_), kTolerancePx);

  // The mask's content, not only its path, is recorded: the same path with other pixels is
  // another analysis.
  mask(cv::Rect(0, 0, 10, 10)).setTo(cv::Scalar(0));
  ASSERT_TRUE(cv::imwrite(png, mask));
  const auto changed = run_stillwater(
      {"analyze", input(), "--store", dir_->file("mask.zarr"), "-q", "--ignore-mask", png});
  EXPECT_EQ(changed.exit_code, 1);
  EXPECT_NE(changed.err.find("ignore_mask_sha256"), std::string::npos) << changed.err;
}

TEST_F(Ignore, BadValuesAreOneLineErrors) {
  struct Case {
    std::vector<std::string> args;
    int exit_code;
    std::string names;
  };
  const ClipSpec spec = overlay_spec();
  const std::string small = dir_->file("small.png"), junk = dir_->file("junk.png");
  ASSERT_TRUE(cv::imwrite(small, cv::Mat(spec.height / 2, spec.width / 2, CV_8U, cv::Scalar(0))));
  {
    std::FILE* f = std::fopen(junk.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    std::fputs("not a picture", f);
    std::fclose(f);
  }
  const std::vector<Case> cases = {
      {{"--ignore", "-1,0,10,10"}, 2, "--ignore"},
      {{"--ignore", "0,0,10"}, 2, "--ignore"},
      {{"--ignore", "0,50%,10,10"}, 2, "--ignore"},
      {{"--ignore", "0,0,0,10"}, 2, "--ignore"},
      {{"--ignore", "60%,0%,50%,10%"}, 2, "--ignore"},
      {{"--ignore", "400,0,100,10"}, 2, "--ignore"},  // reaches x = 500 in a 480 px frame
      {{"--ignore-mask", small}, 2, "--ignore-mask"},
      {{"--ignore-mask", junk}, 1, junk},
      {{"--ignore-mask", dir_->file("missing.png")}, 1, dir_->file("missing.png")},
  };
  for (const Case& c : cases) {
    std::vector<std::string> args = {"stabilize", input(), "-o", dir_->file("bad.mp4"), "-q"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    const auto result = run_stillwater(args);
    EXPECT_EQ(result.exit_code, c.exit_code) << c.args[1] << ": " << result.err;
    EXPECT_EQ(result.err_lines().size(), 1u) << result.err;
    EXPECT_EQ(result.err.rfind("stillwater: " + c.names, 0), 0u) << result.err;
  }
}

}  // namespace
}  // namespace sw::test
