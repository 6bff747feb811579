// Path stage on one hour of 30 fps motion (108,000 rows): LOF, the moving average and the
// whole plan. Not part of the test suite -- a measurement tool. Inputs are a deterministic
// pseudo-random shake (fixed seed, Box-Muller over mt19937_64's raw bits), so runs compare.
#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "path/path.hpp"

namespace {

using sw::path::Vec3;

constexpr std::size_t kRows = 108000;

std::vector<Vec3> shake(std::size_t n) {
  std::mt19937_64 g(20261125);
  auto uniform = [&] { return (static_cast<double>(g() >> 11) + 0.5) * 0x1.0p-53; };
  auto gauss = [&] {
    return std::sqrt(-2.0 * std::log(uniform())) * std::cos(2.0 * std::numbers::pi * uniform());
  };
  std::vector<Vec3> rows(n);
  for (auto& r : rows) r = {gauss(), gauss(), 1e-3 * gauss()};
  for (std::size_t i = 997; i < n; i += 997) rows[i].x += 40.0;  // a jolt every ~33 s
  return rows;
}

void BM_LocalOutlierFactor(benchmark::State& state) {
  const auto rows = shake(kRows);
  const int k = static_cast<int>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(sw::path::local_outlier_factor(rows, k));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(rows.size()));
}
BENCHMARK(BM_LocalOutlierFactor)->Arg(20)->Unit(benchmark::kMillisecond);

// A tripod shot: nine rows in ten are exact zeros (no motion, or unmeasured pairs). Ties
// everywhere; the k-d tree must stay O(log n) per query.
void BM_LocalOutlierFactorStatic(benchmark::State& state) {
  auto rows = shake(kRows);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (i % 10 != 0) rows[i] = {};
  }
  for (auto _ : state) benchmark::DoNotOptimize(sw::path::local_outlier_factor(rows, 20));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(rows.size()));
}
BENCHMARK(BM_LocalOutlierFactorStatic)->Unit(benchmark::kMillisecond);

void BM_MovingAverage(benchmark::State& state) {
  const auto path = sw::path::cumulative(shake(kRows));
  const int r = static_cast<int>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(sw::path::moving_average(path, r));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(path.size()));
}
BENCHMARK(BM_MovingAverage)->Arg(15)->Arg(150)->Unit(benchmark::kMillisecond);

void BM_PlanPath(benchmark::State& state) {
  const auto rows = shake(kRows - 1);
  std::vector<sw::Motion> motions(kRows);
  for (std::size_t i = 1; i < kRows; ++i) {
    motions[i] = {.dx = rows[i - 1].x,
                  .dy = rows[i - 1].y,
                  .da = rows[i - 1].a,
                  .status = sw::MotionStatus::ok};
  }
  // The recipe's path (moving average, the fixed zoom): LOF and the smoothing on an hour.
  sw::path::PathParams params;
  params.smoother = sw::path::SmootherKind::ma;
  params.crop = sw::path::Crop::none;
  params.outliers = static_cast<sw::path::OutlierPolicy>(state.range(0));
  for (auto _ : state) benchmark::DoNotOptimize(sw::path::plan_path(motions, params));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kRows));
}
BENCHMARK(BM_PlanPath)
    ->Arg(static_cast<int>(sw::path::OutlierPolicy::none))
    ->Arg(static_cast<int>(sw::path::OutlierPolicy::recipe))
    ->Arg(static_cast<int>(sw::path::OutlierPolicy::adaptive))
    ->Unit(benchmark::kMillisecond);

// The default path (L1 with the per-shot crop-window search, --crop auto) on 3,000 frames of
// a 1080p shot (100 s at 30 fps; its LPs dominate, about linear in the length).
void BM_PlanPathL1(benchmark::State& state) {
  constexpr std::size_t kFrames = 3000;
  const auto rows = shake(kFrames - 1);
  std::vector<sw::Motion> motions(kFrames);
  motions[0].status = sw::MotionStatus::first_frame;
  for (std::size_t i = 1; i < kFrames; ++i) {
    motions[i] = {.dx = rows[i - 1].x,
                  .dy = rows[i - 1].y,
                  .da = rows[i - 1].a,
                  .status = sw::MotionStatus::ok};
  }
  sw::path::PathParams params;
  for (auto _ : state)
    benchmark::DoNotOptimize(sw::path::plan_path(motions, params, sw::path::FrameSize{1920, 1080}));
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(kFrames));
}
BENCHMARK(BM_PlanPathL1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
