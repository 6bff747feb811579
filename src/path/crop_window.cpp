// The L1 smoother's crop window chosen per shot (L1Params::crop_zoom = 0).
//
// The window is the budget the LP may spend: a larger one lets the path hold steadier and
// costs field of view. One fixed window cannot suit every shot (a steady shot would be zoomed
// for nothing, a wild one would keep its shake), so each shot gets the crop it needs, no
// more: the smallest window whose path removes at least L1Params::removal_share (90 %) of
// the high-frequency motion that the largest allowed window (PathParams::max_zoom) removes.
// A shot with nothing to remove keeps window 1, its full picture.
//
// "High-frequency motion" is what the metrics' stability score counts as shake (report/
// stability.hpp, after Liu, Yuan, Tan, Sun, SIGGRAPH 2013, section 6): the spectral energy of
// the output's frame-to-frame motion above its 5 lowest non-zero frequencies. The output's
// motion is the smoothed path's own (S_i o S_{i-1}^-1, since the correction cancels the
// camera's), so it is computed from the path alone, per pair, in pixels (the angle at the
// frame's half diagonal, where the corners move). At window 1 the path is the camera's.
//
// The power falls as the window grows (a larger window only adds feasible paths), so the
// smallest window that reaches the target is found by bisection on [1, max_zoom]: the
// max_zoom solve plus kBisections solves, about 60 us a frame each (banded_l1.cpp), to a
// window within (max_zoom - 1) / 32 of the exact one (0.008 at 1.25).
//
// It is computed here, not taken from report/, because the path stage depends on no other
// stage; it is a plain DFT of five bins plus Parseval for the total (a pure function, summed
// in a fixed order).
#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <vector>

#include "path/smoother.hpp"

namespace sw::path {
namespace {

constexpr int kLowBand = 5;           // components k = 1..5, as report/stability.cpp
constexpr std::size_t kMinPairs = 8;  // shorter: no spectrum to read (the report scores it 1)
constexpr double kFloorPx = 0.05;     // report/stability.cpp's resolution at 640 px analysis width
constexpr double kAnalysisWidth = 640;
constexpr int kBisections = 5;

// Energy of a real signal's spectrum above bin 5, over bins 1..n/2. The low band is five
// direct DFT sums; the total comes from Parseval (sum over all n bins of |X_k|^2 = n sum x^2,
// and |X_k| = |X_n-k| for a real signal), so a shot of any length costs O(n), not O(n^2).
double high_band_energy(std::span<const double> signal) {
  const std::size_t n = signal.size();
  const auto bin_energy = [&](std::size_t k) {
    double re = 0, im = 0;
    for (std::size_t t = 0; t < n; ++t) {
      // (k t) mod n keeps the angle exact for long signals.
      const double w =
          2 * std::numbers::pi * static_cast<double>((k * t) % n) / static_cast<double>(n);
      re += signal[t] * std::cos(w);
      im -= signal[t] * std::sin(w);
    }
    return re * re + im * im;
  };
  double sum = 0, sum_sq = 0;
  for (const double v : signal) {
    sum += v;
    sum_sq += v * v;
  }
  // Bins 1..n-1 hold n sum x^2 - X_0^2; bins 1..n/2 are half of that, plus half of the
  // Nyquist bin (n even), which has no mirror image.
  const double nyquist = n % 2 == 0 ? bin_energy(n / 2) : 0;
  const double all = 0.5 * (double(n) * sum_sq - sum * sum + nyquist);
  double low = 0;
  for (std::size_t k = 1; k <= std::min<std::size_t>(kLowBand, n / 2); ++k) low += bin_energy(k);
  return std::max(0.0, all - low);
}

// The estimator's resolution in full-resolution pixels (report/stability.cpp's noise floor).
double floor_px(FrameSize frame) {
  return kFloorPx * std::max(1.0, frame.width / kAnalysisWidth);
}

}  // namespace

double high_frequency_power(std::span<const Vec3> path, FrameSize frame) {
  if (path.size() < kMinPairs + 1) return 0;
  const double r = 0.5 * std::hypot(frame.width, frame.height);
  std::vector<double> x, y, a;
  for (std::size_t i = 1; i < path.size(); ++i) {
    // S_i o S_{i-1}^-1: rotation a_i - a_{i-1}, translation t_i - R(da) t_{i-1}.
    const double da = path[i].a - path[i - 1].a;
    const double cs = std::cos(da), sn = std::sin(da);
    x.push_back(path[i].x - (cs * path[i - 1].x - sn * path[i - 1].y));
    y.push_back(path[i].y - (sn * path[i - 1].x + cs * path[i - 1].y));
    a.push_back(da * r);
  }
  // Parseval again: a mean square per pair is 2 / n^2 of the half spectrum's energy.
  const double n = static_cast<double>(x.size());
  return (high_band_energy(x) + high_band_energy(y) + high_band_energy(a)) * 2 / (n * n);
}

L1Choice l1_auto_path(std::span<const Vec3> camera, const L1Params& params, FrameSize frame,
                      double max_zoom) {
  const double at_one = high_frequency_power(camera, frame);
  L1Choice best{max_zoom, l1_path(camera, params, frame, max_zoom)};
  const double removable = at_one - high_frequency_power(best.path, frame);
  // Less than the estimator can see on each of x, y and the angle: nothing to remove.
  const double noise = 3 * floor_px(frame) * floor_px(frame);
  if (removable <= noise) return {1.0, std::vector<Vec3>(camera.begin(), camera.end())};
  const double target = at_one - params.removal_share * removable;
  double lo = 1.0;
  for (int k = 0; k < kBisections; ++k) {
    const double mid = 0.5 * (lo + best.crop_zoom);
    std::vector<Vec3> path = l1_path(camera, params, frame, mid);
    if (high_frequency_power(path, frame) <= target) {
      best = {mid, std::move(path)};
    } else {
      lo = mid;
    }
  }
  return best;
}

}  // namespace sw::path
