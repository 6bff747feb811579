// The L1 smoother's crop window chosen per shot (L1Params::crop_zoom = 0).
//
// The window is the budget the LP may spend: a larger one lets the path hold steadier and
// costs field of view. One fixed window cannot suit every shot (a steady shot would be zoomed
// for nothing, a wild one would keep its shake), so each shot gets the crop it needs, no
// more: the smallest window in [1, PathParams::max_zoom] whose path gets 85 %
// (L1Params::gain_share) of the gain in predicted stability that the max_zoom window's path
// gets over the camera's own. That is the knee of the shot's stability-against-crop curve:
// past it, each step of zoom buys little. A shot no window makes steadier keeps window 1,
// its full picture. The score is a share of spectral energy, blind to amplitude: a shake
// wilder than the largest window can absorb leaves every window's path about as white as
// the camera's, a gain near 0, though the window still halves the shake. So a shot whose
// max_zoom path stays below L1Params::stability_target (0.6) gets all of max_zoom. And a
// shot that already scores L1Params::steady_score (0.8) as filmed keeps its picture: what is
// left to gain there is mostly the estimator's noise (a synthetic clip with no shake at all
// predicts 0.83 from it; footage 06, a diver's sway with a shake one sees, 0.72).
//
// "Stability" is the score the metrics report (report/stability.hpp, after Liu, Yuan, Tan,
// Sun, SIGGRAPH 2013, section 6) predicted from the path alone: the output's frame-to-frame
// motion is the smoothed path's own (S_i o S_{i-1}^-1, since the correction cancels the
// camera's), and its share of spectral energy in the 5 lowest non-zero frequencies is the
// score. At window 1 the path is the camera's. The prediction ignores the estimator's own
// noise, so it reads higher than a measured score: the target is on the predicted scale.
//
// The footage chose this (docs/architecture.md, "Path") over a fixed score of 0.6, which left
// a diver's clip (06, score 0.72 as filmed) its shake at window 1 while 1.1 made it 0.88, and
// gave the wildest clips a window that still left most of their shake; over a share of the
// largest window's score (not of its gain), which gave a wilder shake a smaller window once
// even the largest could do little with it; and over "the smallest window that removes 90 %
// of the high-frequency motion the largest removes", which gave clip 04 a larger window and a
// lower measured score (0.30 against 0.50), because the score is a share, and a path held
// stiller also loses the low band the score rewards.
//
// The score mostly rises with the window, so the window is found by bisection on
// [1, max_zoom]: the max_zoom solve sets the target, window 1 is free (the camera), then
// kBisections solves, about 60 us a frame each (banded_l1.cpp), to within (max_zoom - 1) / 32
// (0.008 at 1.25).
//
// It is computed here, not taken from report/, because the path stage depends on no other
// stage; it uses the same band and the same noise floor as the report does at the default
// analysis width, and a plain DFT (a pure function, summed in a fixed order).
#include <algorithm>
#include <cmath>
#include <numbers>
#include <vector>

#include "path/smoother.hpp"

namespace sw::path {
namespace {

constexpr int kLowBand = 5;           // components k = 1..5, as report/stability.cpp
constexpr std::size_t kMinPairs = 8;  // shorter: nothing to read, score 1 (as the report)
constexpr double kFloorPx = 0.05;     // report/stability.cpp's resolution at 640 px analysis width
constexpr double kAnalysisWidth = 640;
constexpr int kBisections = 5;
// A gain in predicted score below this buys no zoom: it is below what the measured score can
// tell apart (encoder noise alone moves it by about 0.05), and a shake below the estimator's
// resolution would otherwise still earn a sliver of crop.
constexpr double kMinGain = 0.05;

// Share of a real signal's spectral energy in bins 1..5 of bins 1..n/2. The band is five
// direct DFT sums; the total comes from Parseval (sum over all n bins of |X_k|^2 = n sum x^2,
// and |X_k| = |X_n-k| for a real signal), so a shot of any length costs O(n), not O(n^2).
double low_band_share(std::span<const double> signal, double floor_rms) {
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
  const double all = std::max(0.0, 0.5 * (double(n) * sum_sq - sum * sum + nyquist));
  double low = 0;
  for (std::size_t k = 1; k <= std::min<std::size_t>(kLowBand, n / 2); ++k) low += bin_energy(k);
  const double floor_energy = 0.5 * double(n) * double(n) * floor_rms * floor_rms;
  return (low + floor_energy) / (all + floor_energy + 1e-300);
}

}  // namespace

double predicted_stability(std::span<const Vec3> path, FrameSize frame) {
  if (path.size() < kMinPairs + 1) return 1;
  std::vector<double> x, y, a;
  for (std::size_t i = 1; i < path.size(); ++i) {
    // S_i o S_{i-1}^-1: rotation a_i - a_{i-1}, translation t_i - R(da) t_{i-1}.
    const double da = path[i].a - path[i - 1].a;
    const double cs = std::cos(da), sn = std::sin(da);
    x.push_back(path[i].x - (cs * path[i - 1].x - sn * path[i - 1].y));
    y.push_back(path[i].y - (sn * path[i - 1].x + cs * path[i - 1].y));
    a.push_back(da);
  }
  const double floor_px = kFloorPx * std::max(1.0, frame.width / kAnalysisWidth);
  const double floor_rad = floor_px / std::max(1.0, 0.5 * std::hypot(frame.width, frame.height));
  const double translation = 0.5 * (low_band_share(x, floor_px) + low_band_share(y, floor_px));
  return std::min(translation, low_band_share(a, floor_rad));
}

L1Choice l1_auto_path(std::span<const Vec3> camera, const L1Params& params, FrameSize frame,
                      double max_zoom, std::span<const Vec3> picture, double min_window) {
  double lo = std::clamp(min_window, 1.0, max_zoom);
  const auto path_at = [&](double window) {
    return window == 1.0 ? std::vector<Vec3>(camera.begin(), camera.end())
                         : l1_path(camera, params, frame, window, picture);
  };
  L1Choice best{max_zoom, path_at(max_zoom)};
  const double most = predicted_stability(best.path, frame);
  if (lo == max_zoom || most < params.stability_target) return best;
  L1Choice least{lo, path_at(lo)};
  const double from = predicted_stability(least.path, frame);
  const double gain = most - from;
  if (gain < kMinGain || from >= params.steady_score) return least;
  const double target = from + params.gain_share * gain;
  const auto steady = [&](const std::vector<Vec3>& path) {
    return predicted_stability(path, frame) >= target;
  };
  if (steady(least.path)) return least;
  for (int k = 0; k < kBisections; ++k) {
    const double mid = 0.5 * (lo + best.crop_zoom);
    std::vector<Vec3> path = l1_path(camera, params, frame, mid, picture);
    if (steady(path)) {
      best = {mid, std::move(path)};
    } else {
      lo = mid;
    }
  }
  return best;
}

}  // namespace sw::path
