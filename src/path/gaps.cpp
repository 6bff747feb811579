// Motion across pairs the analysis could not measure (Motion::status != ok).
//
// Such pairs are rare alone but come in runs where the camera moves fastest: a whip pan blurs
// every frame of it (footage 03 has a run of 37 at its end). Taking them as "no motion" puts
// a step into the composed trajectory that the camera never made: after the gap the whole
// rest of the shot is offset by the pan's missing distance, and the smoother has to bend the
// path (and the crop grow) to absorb it. The camera's velocity changes little from one pair to
// the next, so the pair rows of a run are interpolated linearly between the measured rows on
// either side of it; a run at a shot's start or end has only one such neighbour and holds
// its value (constant velocity). A shot with no measured pair at all stays at zero motion.
//
// Shots (see detect_cuts()) bound the runs: the pair across a cut belongs to neither shot,
// and a neighbour from the other shot says nothing about this one's camera. The filled rows
// are the path stage's input only; Motion::status and the store's `valid` array keep saying
// what was measured. A pure function of the motions, the cuts and the repeats.
//
// Repeated frames (path/repeats.cpp) are the same picture again: their rows are zero, and
// they are no neighbour for a gap, whose pairs are filled from the distinct pairs around it
// (on footage 03, filling from the repeats' zeros froze the path through a blurred whip pan).
#include <cmath>

#include "path/path.hpp"

namespace sw::path {
namespace {

bool usable(const Motion& m) {
  return m.valid() && std::isfinite(m.dx) && std::isfinite(m.dy) && std::isfinite(m.da);
}

Vec3 row_of(const Motion& m) {
  return {m.dx, m.dy, m.da};
}

// The pair rows `index` (one shot's, repeats left out, in frame order); `rows` already holds
// the usable ones.
void fill_shot(std::span<const Motion> motions, std::span<Vec3> rows,
               const std::vector<std::size_t>& index) {
  const std::size_t e = index.size();
  std::size_t left = e;  // the last usable position seen, e = none yet
  std::size_t i = 0;
  while (i < e) {
    if (usable(motions[index[i]])) {
      left = i++;
      continue;
    }
    std::size_t right = i;  // the end of this run of unusable rows
    while (right < e && !usable(motions[index[right]])) ++right;
    const bool has_left = left != e, has_right = right != e;
    for (std::size_t j = i; j < right; ++j) {
      if (has_left && has_right) {
        const double t = double(j - left) / double(right - left);
        const Vec3 &l = rows[index[left]], &r = rows[index[right]];
        rows[index[j]] = {l.x + t * (r.x - l.x), l.y + t * (r.y - l.y), l.a + t * (r.a - l.a)};
      } else if (has_left || has_right) {
        rows[index[j]] = rows[index[has_left ? left : right]];
      }
    }
    i = right;
  }
}

}  // namespace

std::vector<Vec3> fill_invalid(std::span<const Motion> motions, std::span<const std::uint8_t> cut,
                               std::span<const std::uint8_t> repeat) {
  const auto is_repeat = [&](std::size_t i) { return !repeat.empty() && repeat[i]; };
  std::vector<Vec3> rows(motions.size());
  for (std::size_t i = 1; i < motions.size(); ++i)
    if (usable(motions[i]) && !is_repeat(i)) rows[i] = row_of(motions[i]);
  // A shot [b, e) owns the pair rows b + 1 .. e - 1: row b is frame 0 or the pair across the
  // cut, which keeps its measurement, or zero when it has none.
  std::size_t b = 0;
  for (std::size_t i = 1; i <= motions.size(); ++i) {
    if (i == motions.size() || cut[i]) {
      std::vector<std::size_t> index;
      for (std::size_t j = b + 1; j < i; ++j)
        if (!is_repeat(j)) index.push_back(j);
      fill_shot(motions, rows, index);
      b = i;
    }
  }
  return rows;
}

}  // namespace sw::path
