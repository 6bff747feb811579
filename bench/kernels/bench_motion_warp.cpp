// Kernel timings for the two per-frame hot spots: MotionEstimator::push (1080p pair at the
// default analysis width 640) and warp_frame (1080p 4:2:0). Not part of the test suite.
// Inputs are seeded, so runs are comparable. CPU time is that of the whole process (OpenCV
// runs its own worker threads), which is steadier than wall time on a busy machine. For min and
// median: --benchmark_repetitions=10 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "bench_scene.hpp"
#include "motion/estimator.hpp"
#include "render/warp.hpp"

namespace {

constexpr int kWidth = 1920;
constexpr int kHeight = 1080;

using sw::bench::moved;
using sw::bench::scene;

sw::PlaneView view(const cv::Mat& m) {
  return {m.data, static_cast<int>(m.step[0]), m.cols, m.rows, 1};
}

sw::FrameView frame_view(const cv::Mat& y, const cv::Mat& u, const cv::Mat& v) {
  sw::FrameView f;
  f.planes[0] = view(y);
  f.planes[1] = view(u);
  f.planes[2] = view(v);
  return f;
}

// With --benchmark_repetitions, report the minimum next to Google Benchmark's median.
double minimum(const std::vector<double>& v) {
  return *std::min_element(v.begin(), v.end());
}

// Alternates two frames 3.4 px and 0.005 rad apart, so every push measures a real pair.
void BM_MotionPush1080pAt640(benchmark::State& state) {
  const cv::Mat a = scene(kWidth, kHeight, 1);
  const cv::Mat b = moved(a);
  const cv::Mat grey(kHeight / 2, kWidth / 2, CV_8UC1, cv::Scalar(128));
  const sw::FrameView frames[2] = {frame_view(a, grey, grey), frame_view(b, grey, grey)};

  sw::motion::MotionEstimator estimator(kWidth, kHeight, sw::motion::MotionParams{});
  estimator.push(frames[0]);
  int i = 1;
  int valid = 0;
  for (auto _ : state) {
    const sw::Motion m = estimator.push(frames[i]);
    valid += m.valid();
    benchmark::DoNotOptimize(m);
    i = 1 - i;
  }
  state.counters["valid_fraction"] =
      static_cast<double>(valid) / static_cast<double>(state.iterations());
  state.counters["fps"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_MotionPush1080pAt640)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime()
    ->ComputeStatistics("min", minimum);

void BM_WarpFrame1080p420(benchmark::State& state) {
  const cv::Mat y = scene(kWidth, kHeight, 2);
  const cv::Mat u = scene(kWidth / 2, kHeight / 2, 3);
  const cv::Mat v = scene(kWidth / 2, kHeight / 2, 4);
  const sw::FrameView in = frame_view(y, u, v);
  cv::Mat oy(kHeight, kWidth, CV_8UC1), ou(kHeight / 2, kWidth / 2, CV_8UC1), ov = ou.clone();
  sw::MutableFrameView out;
  const cv::Mat* planes[3] = {&oy, &ou, &ov};
  for (int k = 0; k < 3; ++k) {
    out.planes[k] = {planes[k]->data, static_cast<int>(planes[k]->step[0]), planes[k]->cols,
                     planes[k]->rows, 1};
  }
  const sw::Transform2D t{5.3, -2.1, 0.012, 1.05};
  const auto border = static_cast<sw::render::Border>(state.range(0));
  for (auto _ : state) {
    sw::render::warp_frame(in, t, sw::render::WarpParams{border}, out);
    benchmark::ClobberMemory();
  }
  state.counters["fps"] =
      benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_WarpFrame1080p420)
    ->Arg(static_cast<int>(sw::render::Border::black))
    ->Arg(static_cast<int>(sw::render::Border::replicate))
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->UseRealTime()
    ->ComputeStatistics("min", minimum);

}  // namespace
