// Repeated frames: video whose content was shot at a lower rate and stretched by showing
// frames again (24 fps film at 60 fps in a 2:3 pattern, footage 03: 201 of its 514 frames
// are distinct). A repeat is the same picture as the frame before it, so the camera did not
// move between the two; measured as it is, the camera path is a staircase of zero pairs and
// large pairs:
//   - the pair rows alternate between zero and the whole step, which LOF reads as outliers
//     (on footage 03 it flagged 206 of its 312 repeats, with scores up to 1.8e5: many
//     identical zero rows make a cluster of zero density);
//   - an unusable pair among them (motion blur) was filled from its neighbours, which are
//     repeats: zero, so a whip pan through blur froze the path for 30 frames (177..206);
//   - the measured noise of a repeat pair (up to 0.2 px) moved a picture that stood still.
//
// Detection (detect_repeats) needs both signals the analysis pass recorded per pair:
//   - still: the measured motion moves no corner of the frame by more than kStillPx (scaled
//     from a 640-px-wide analysis to the frame), or the motion could not be measured at all;
//   - unchanged picture: the pair's picture difference (Motion::picture_diff, the mean
//     absolute luma difference at analysis size) is exactly 0, or at most kRepeatRatio of the
//     largest difference among the pairs within kReachPairs of it and at most kMaxRepeatDiff.
//     An encoder re-codes a shown picture with a little noise (footage 03: repeats <= 0.63
//     levels, distinct pairs >= 1.31), and how much a new frame differs depends on the clip's
//     own noise and motion, so the test is relative: a repeat changes far less than the
//     pictures around it do. A still camera over a noisy scene or a
//     moving subject changes by about as much from each frame to the next, so none of its
//     pairs stands out as a repeat (tests/path/repeats_test.cpp).
// A frame that starts a shot is never a repeat; an unknown difference (NaN, an older store)
// never is either.
//
// Planning (path.cpp): each repeat's pair row is zero, so its real position is exactly its
// distinct frame's (hold_repeats()). The path is planned on "camera time": the distinct
// frames at their positions and each repeat interpolated between the distinct frames around
// it (interpolate_repeats()), so LOF, the smoothers and the drift see an evenly moving camera.
// The correction of a repeat is taken against its real (held) position, so its picture is
// shown where the smooth path is at the repeat's own time, and the crop is computed from
// those real corrections, so no border can show.
#include <algorithm>
#include <cmath>

#include "path/path.hpp"

namespace sw::path {
namespace {

// Largest corner displacement (px at 640 px analysis width) of a pair that counts as still.
// Repeats on footage 03 measure up to 0.22 px; a camera that moves at all moves more.
constexpr double kStillPx = 0.5;
constexpr double kAnalysisWidth = 640;
// A repeat's picture difference is at most this share of the largest one nearby ...
constexpr double kRepeatRatio = 0.2;
// ... among the pairs this far on either side (a 2:3 pattern has a distinct pair in every 3;
// footage 03 holds a picture for up to 5 frames where its source dropped one).
constexpr std::size_t kReachPairs = 6;
// ... and at most this (8-bit levels): what an encoder's re-coding of a picture changes at
// analysis size (footage 03: <= 0.63, while its distinct pairs change by >= 1.31, even the
// one that moved by 0.04 px). Without it, a pair of small change next to a whip pan (a
// blurred frame that is new, footage 03's frame 471) counted, its neighbours changing 10x more.
constexpr double kMaxRepeatDiff = 1.0;

bool still(const Motion& m, FrameSize frame) {
  const bool measured =
      m.valid() && std::isfinite(m.dx) && std::isfinite(m.dy) && std::isfinite(m.da);
  if (!measured) return true;  // nothing says the camera moved; the picture decides
  const double half_diagonal = 0.5 * std::hypot(frame.width, frame.height);
  const double limit = kStillPx * std::max(1.0, frame.width / kAnalysisWidth);
  return std::hypot(m.dx, m.dy) + std::abs(m.da) * half_diagonal <= limit;
}

// Linear interpolation of a path point (angles are unwrapped sums, so linear is fine).
Vec3 lerp(const Vec3& a, const Vec3& b, double t) {
  return {a.x + t * (b.x - a.x), a.y + t * (b.y - a.y), a.a + t * (b.a - a.a)};
}

}  // namespace

std::vector<std::uint8_t> detect_repeats(std::span<const Motion> motions,
                                         std::span<const std::uint8_t> cut, FrameSize frame) {
  const std::size_t n = motions.size();
  std::vector<std::uint8_t> repeat(n, 0);
  for (std::size_t i = 1; i < n; ++i) {
    const double d = motions[i].picture_diff;
    if (cut[i] || !std::isfinite(d) || !still(motions[i], frame)) continue;
    double reference = 0;
    for (std::size_t j = i > kReachPairs ? i - kReachPairs : 1; j < n && j <= i + kReachPairs; ++j)
      if (std::isfinite(motions[j].picture_diff))
        reference = std::max(reference, motions[j].picture_diff);
    if (d == 0 || (d <= kRepeatRatio * reference && d <= kMaxRepeatDiff)) repeat[i] = 1;
  }
  return repeat;
}

std::vector<Vec3> interpolate_repeats(std::span<const Vec3> path,
                                      std::span<const std::uint8_t> repeat,
                                      std::span<const std::uint8_t> cut) {
  std::vector<Vec3> out(path.begin(), path.end());
  const std::size_t n = path.size();
  std::size_t i = 1;
  while (i < n) {
    if (!repeat[i]) {
      ++i;
      continue;
    }
    const std::size_t from = i - 1;  // the distinct frame the run repeats
    std::size_t to = i;
    while (to < n && repeat[to]) ++to;
    // Up to the next distinct frame of the shot; a run that ends the shot holds its
    // picture's place.
    const bool has_next = to < n && !cut[to];
    for (std::size_t j = i; j < to; ++j) {
      out[j] =
          has_next ? lerp(path[from], path[to], double(j - from) / double(to - from)) : path[from];
    }
    i = to;
  }
  return out;
}

std::vector<Vec3> hold_repeats(std::span<const Vec3> path, std::span<const std::uint8_t> repeat) {
  std::vector<Vec3> out(path.begin(), path.end());
  for (std::size_t i = 1; i < out.size(); ++i)
    if (repeat[i]) out[i] = out[i - 1];
  return out;
}

std::vector<Vec3> spread_repeats(std::span<const Vec3> rows, std::span<const std::uint8_t> repeat,
                                 std::span<const std::uint8_t> cut) {
  std::vector<Vec3> out(rows.begin(), rows.end());
  const std::size_t n = rows.size();
  std::size_t i = 1;
  while (i < n) {
    if (!repeat[i]) {
      ++i;
      continue;
    }
    std::size_t to = i;
    while (to < n && repeat[to]) ++to;
    if (to < n && !cut[to]) {
      const double share = 1.0 / double(to - i + 1);
      const Vec3 step = rows[to];
      for (std::size_t j = i; j <= to; ++j)
        out[j] = {share * step.x, share * step.y, share * step.a};
    }
    i = to;
  }
  return out;
}

}  // namespace sw::path
