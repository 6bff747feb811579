// Hard cut detection from the analysis pass's per-pair numbers.
//
// Two signals, both already measured (no extra decoding): the scene score (luma histogram
// distance, see Motion::scene_score) and whether the pair's motion could be measured. Camera
// shake moves content around but keeps its histogram, so shake alone scores low; a cut to a
// different shot usually changes the histogram a lot. Two shots with similar colours (the
// same scene from another angle) score lower, but then the tracker rarely finds a consistent
// motion, so an unusable pair needs a lower score to count as a cut.
//
// A cut is also an isolated event: the pairs just before and after it lie inside one shot
// and score low. A run of high scores is continuous change instead (a whip pan through motion
// blur, dust, an exposure swing; footage 03 has such runs), which is no reason to stop
// smoothing, so a pair counts only when it scores at least kPeakRatio times its neighbours
// within kPeakReach pairs.
#include <cmath>

#include "path/path.hpp"

namespace sw::path {

namespace {

constexpr double kPeakRatio = 2.0;
constexpr std::size_t kPeakReach = 2;

bool is_isolated_peak(std::span<const Motion> motions, std::size_t i) {
  const double s = motions[i].scene_score;
  for (std::size_t j = (i > kPeakReach ? i - kPeakReach : 1);
       j <= i + kPeakReach && j < motions.size(); ++j) {
    if (j == i || !std::isfinite(motions[j].scene_score)) continue;
    if (kPeakRatio * motions[j].scene_score > s) return false;
  }
  return true;
}

}  // namespace

std::vector<std::uint8_t> detect_cuts(std::span<const Motion> motions, const PathParams& params) {
  std::vector<std::uint8_t> cut(motions.size(), 0);
  if (params.cut_threshold <= 0) return cut;
  for (std::size_t i = 1; i < motions.size(); ++i) {
    const Motion& m = motions[i];
    const double s = m.scene_score;
    if (!std::isfinite(s)) continue;  // unknown (older store): never a cut
    const bool usable =
        m.valid() && std::isfinite(m.dx) && std::isfinite(m.dy) && std::isfinite(m.da);
    const double threshold = usable ? params.cut_threshold : params.cut_threshold_invalid;
    if (s >= threshold && is_isolated_peak(motions, i)) cut[i] = 1;
  }
  return cut;
}

}  // namespace sw::path
