// The analysis recipe split into its stages, each timed alone, so that BM_MotionPush1080pAt640
// (bench_motion_warp) can be read as a sum: luma + downscale of a 1080p frame to 640 wide, the
// LK pyramid, Shi-Tomasi corners, pyramidal Lucas-Kanade, and the RANSAC fit. The parameters
// are the ones src/motion/estimator.cpp derives from MotionParams{} for a 1080p frame at
// analysis width 640 (640x360, scale s = 360 / 1080: min distance 30 s = 10, LK window
// max(9, round(21 s)) = 9, 3 levels). A measurement tool, never a test; inputs are seeded.
// CPU time is the whole process's (OpenCV runs its own worker threads).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include <opencv2/calib3d.hpp>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/video/tracking.hpp>

#include "bench_scene.hpp"
#include "motion/corners.hpp"

namespace {

constexpr int kWidth = 1920;
constexpr int kHeight = 1080;
const cv::Size kAnalysis(640, 360);
const cv::Size kWindow(9, 9);
constexpr int kLevels = 3;
constexpr int kCorners = 200;
constexpr double kQuality = 0.01;
constexpr double kMinDistance = 10;
constexpr int kBlock = 3;

using sw::bench::moved;
using sw::bench::scene;

cv::Mat downscaled(const cv::Mat& full) {
  cv::Mat small;
  cv::resize(full, small, kAnalysis, 0, 0, cv::INTER_AREA);
  return small;
}

double minimum(const std::vector<double>& v) {
  return *std::min_element(v.begin(), v.end());
}

// Luma of a decoded 1080p 4:2:0 frame: the Y plane sits at the front of a buffer with a
// decoder-like stride (64-byte aligned, padded); a cv::Mat header over it (no copy, as
// estimator.cpp does for 8-bit) is area-downscaled to 640x360.
void BM_LumaDownscale1080pTo640(benchmark::State& state) {
  const cv::Mat y = scene(kWidth, kHeight, 1);
  const int stride = kWidth + 64;
  std::vector<std::uint8_t> decoded(static_cast<std::size_t>(stride) * kHeight * 3 / 2);
  for (int r = 0; r < kHeight; ++r)
    std::copy_n(y.ptr(r), kWidth, &decoded[std::size_t(r) * stride]);
  cv::Mat small;
  for (auto _ : state) {
    const cv::Mat luma(kHeight, kWidth, CV_8UC1, decoded.data(), static_cast<std::size_t>(stride));
    cv::resize(luma, small, kAnalysis, 0, 0, cv::INTER_AREA);
    benchmark::DoNotOptimize(small.data);
  }
}
BENCHMARK(BM_LumaDownscale1080pTo640)
    ->Unit(benchmark::kMicrosecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime()
    ->ComputeStatistics("min", minimum);

// The LK pyramid with derivatives, built once per frame in the pipeline.
void BM_BuildPyramid640(benchmark::State& state) {
  const cv::Mat small = downscaled(scene(kWidth, kHeight, 1));
  std::vector<cv::Mat> pyramid;
  for (auto _ : state) {
    cv::buildOpticalFlowPyramid(small, pyramid, kWindow, kLevels, true);
    benchmark::DoNotOptimize(pyramid.data());
  }
}
BENCHMARK(BM_BuildPyramid640)
    ->Unit(benchmark::kMicrosecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime()
    ->ComputeStatistics("min", minimum);

// Shi-Tomasi alone: 200 corners, quality 0.01, min distance 10, block 3, on 640x360.
void BM_Corners640(benchmark::State& state) {
  const cv::Mat small = downscaled(scene(kWidth, kHeight, 1));
  std::vector<cv::Point2f> corners;
  for (auto _ : state) {
    cv::goodFeaturesToTrack(small, corners, kCorners, kQuality, kMinDistance, cv::noArray(), kBlock,
                            false);
    benchmark::DoNotOptimize(corners.data());
  }
  state.counters["corners"] = static_cast<double>(corners.size());
}
BENCHMARK(BM_Corners640)
    ->Unit(benchmark::kMicrosecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime()
    ->ComputeStatistics("min", minimum);

// The same corners (motion/corners.hpp gives OpenCV's list point for point) as the analysis
// finds them.
void BM_CornerDetector640(benchmark::State& state) {
  const cv::Mat small = downscaled(scene(kWidth, kHeight, 1));
  sw::motion::CornerDetector detector({kCorners, kQuality, kMinDistance, kBlock});
  std::vector<cv::Point2f> corners;
  for (auto _ : state) {
    detector.detect(small, corners);
    benchmark::DoNotOptimize(corners.data());
  }
  state.counters["corners"] = static_cast<double>(corners.size());
}
BENCHMARK(BM_CornerDetector640)
    ->Unit(benchmark::kMicrosecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime()
    ->ComputeStatistics("min", minimum);

// Pyramidal Lucas-Kanade alone: the 200 corners of frame a tracked into frame b, both
// pyramids built beforehand (as the pipeline reuses them).
void BM_LucasKanadePyramid640(benchmark::State& state) {
  const cv::Mat full = scene(kWidth, kHeight, 1);
  const cv::Mat a = downscaled(full), b = downscaled(moved(full));
  std::vector<cv::Mat> pa, pb;
  cv::buildOpticalFlowPyramid(a, pa, kWindow, kLevels, true);
  cv::buildOpticalFlowPyramid(b, pb, kWindow, kLevels, true);
  std::vector<cv::Point2f> corners, tracked;
  cv::goodFeaturesToTrack(a, corners, kCorners, kQuality, kMinDistance, cv::noArray(), kBlock,
                          false);
  std::vector<unsigned char> status;
  std::vector<float> error;
  for (auto _ : state) {
    cv::calcOpticalFlowPyrLK(pa, pb, corners, tracked, status, error, kWindow, kLevels);
    benchmark::DoNotOptimize(tracked.data());
  }
  state.counters["tracked"] =
      static_cast<double>(std::count(status.begin(), status.end(), static_cast<unsigned char>(1)));
}
BENCHMARK(BM_LucasKanadePyramid640)
    ->Unit(benchmark::kMicrosecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime()
    ->ComputeStatistics("min", minimum);

// RANSAC partial affine (then OpenCV's LM refinement) on the tracked pairs, in full-resolution
// coordinates about the centre, as estimator.cpp calls it (threshold 3 px at 640 = 9 px).
void BM_RansacPartialAffine(benchmark::State& state) {
  const cv::Mat full = scene(kWidth, kHeight, 1);
  const cv::Mat a = downscaled(full), b = downscaled(moved(full));
  std::vector<cv::Point2f> corners, tracked;
  cv::goodFeaturesToTrack(a, corners, kCorners, kQuality, kMinDistance, cv::noArray(), kBlock,
                          false);
  std::vector<unsigned char> status;
  std::vector<float> error;
  cv::calcOpticalFlowPyrLK(a, b, corners, tracked, status, error, kWindow, kLevels);
  const double scale = 640.0 / kWidth;
  auto full_res = [&](cv::Point2f p) {
    return cv::Point2f(static_cast<float>((p.x + 0.5) / scale - 0.5 - (kWidth - 1) / 2.0),
                       static_cast<float>((p.y + 0.5) / scale - 0.5 - (kHeight - 1) / 2.0));
  };
  std::vector<cv::Point2f> from0, to0;
  for (std::size_t i = 0; i < corners.size(); ++i) {
    if (status[i] != 1) continue;
    from0.push_back(full_res(corners[i]));
    to0.push_back(full_res(tracked[i]));
  }
  std::vector<cv::Point2f> from, to;
  cv::Mat inliers;
  for (auto _ : state) {
    from = from0;  // the fit reorders its inputs
    to = to0;
    benchmark::DoNotOptimize(cv::estimateAffinePartial2D(from, to, inliers, cv::RANSAC, 3 / scale));
  }
  state.counters["pairs"] = static_cast<double>(from0.size());
}
BENCHMARK(BM_RansacPartialAffine)
    ->Unit(benchmark::kMicrosecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime()
    ->ComputeStatistics("min", minimum);

}  // namespace

BENCHMARK_MAIN();
