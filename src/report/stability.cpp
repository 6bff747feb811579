#include "report/stability.hpp"

#include <algorithm>
#include <cmath>
#include <opencv2/core.hpp>
#include <vector>

namespace sw::report {

namespace {

// Components k = 1..5: the paper's "2nd to 6th" lowest frequencies, counting DC as the 1st.
constexpr int kLowBand = 5;
constexpr int kMinPairs = 8;
constexpr double kAnalysisResolutionPx = 0.05;

}  // namespace

NoiseFloor analysis_noise_floor(int width, int height, int analysis_width) {
  const double scale =
      analysis_width <= 0 || width <= analysis_width ? 1.0 : double(width) / analysis_width;
  NoiseFloor f;
  f.translation_px = kAnalysisResolutionPx * scale;
  f.rotation_rad = f.translation_px / std::max(1.0, 0.5 * std::hypot(width, height));
  return f;
}

double low_frequency_ratio(std::span<const double> signal, double floor_rms) {
  const int n = static_cast<int>(signal.size());
  if (n < kMinPairs) return 1;
  cv::Mat in(1, n, CV_64F);
  for (int i = 0; i < n; ++i) in.at<double>(0, i) = signal[static_cast<std::size_t>(i)];
  cv::Mat spectrum;
  cv::dft(in, spectrum, cv::DFT_COMPLEX_OUTPUT);
  double low = 0, all = 0;
  for (int k = 1; k <= n / 2; ++k) {
    const auto c = spectrum.at<cv::Vec2d>(0, k);
    const double e = c[0] * c[0] + c[1] * c[1];
    all += e;
    if (k <= kLowBand) low += e;
  }
  // Parseval: the half spectrum (k >= 1) of a zero-mean signal of RMS r holds about
  // n^2 r^2 / 2 of energy.
  const double floor_energy = 0.5 * double(n) * double(n) * floor_rms * floor_rms;
  return (low + floor_energy) / (all + floor_energy + 1e-300);
}

StabilityScore stability_score(std::span<const Motion> motions, const NoiseFloor& floor) {
  StabilityScore s;
  if (motions.size() < 2) return s;
  std::vector<double> x, y, a;
  for (std::size_t i = 1; i < motions.size(); ++i) {
    const Motion& m = motions[i];
    x.push_back(m.valid() ? m.dx : 0.0);
    y.push_back(m.valid() ? m.dy : 0.0);
    a.push_back(m.valid() ? m.da : 0.0);
  }
  s.translation = 0.5 * (low_frequency_ratio(x, floor.translation_px) +
                         low_frequency_ratio(y, floor.translation_px));
  s.rotation = low_frequency_ratio(a, floor.rotation_rad);
  s.overall = std::min(s.translation, s.rotation);
  return s;
}

}  // namespace sw::report
