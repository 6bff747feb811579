#include "exec/segment_plan.hpp"

#include <algorithm>

namespace sw::exec {

std::int64_t SegmentPlan::overhead_frames() const {
  std::int64_t total = 0;
  for (const auto& s : segments) total += s.overhead();
  return total;
}

namespace {

// Keyframe closest to `ideal` within (lo, hi), preferring the earlier one on a tie; -1 if none.
std::int64_t nearest_keyframe(std::span<const std::uint8_t> keyframe, std::int64_t ideal,
                              std::int64_t lo, std::int64_t hi) {
  for (std::int64_t d = 0; ideal - d > lo || ideal + d < hi; ++d) {
    if (ideal - d > lo && ideal - d < hi && keyframe[ideal - d]) return ideal - d;
    if (ideal + d > lo && ideal + d < hi && keyframe[ideal + d]) return ideal + d;
  }
  return -1;
}

}  // namespace

SegmentPlan plan_segments(std::span<const std::uint8_t> keyframe, std::int64_t target) {
  SegmentPlan plan;
  const auto n = static_cast<std::int64_t>(keyframe.size());
  plan.frame_count = n;
  plan.target = target <= 0 ? n : target;
  if (n == 0) return plan;

  std::vector<std::int64_t> cuts = {0};
  for (std::int64_t ideal = plan.target; ideal < n; ideal += plan.target) {
    const std::int64_t previous = cuts.back();
    const std::int64_t slack = plan.target / 2;
    std::int64_t cut = nearest_keyframe(keyframe, ideal, std::max(previous, ideal - slack - 1),
                                        std::min(n, ideal + slack + 1));
    if (cut < 0) cut = ideal;
    if (cut > previous && cut < n) cuts.push_back(cut);
  }
  cuts.push_back(n);

  // The latest keyframe at or before each frame (frame 0 always counts as one: decoding starts
  // there).
  std::int64_t last_key = 0;
  std::size_t next_cut = 0;
  for (std::int64_t i = 0; i < n && next_cut + 1 < cuts.size(); ++i) {
    if (keyframe[i]) last_key = i;
    if (i == cuts[next_cut]) {
      Segment s;
      s.index = static_cast<std::int64_t>(plan.segments.size());
      s.begin = i;
      s.end = cuts[next_cut + 1];
      s.decode_from = last_key;
      s.decode_to = std::min(s.end, n - 1);
      plan.segments.push_back(s);
      ++next_cut;
    }
  }
  return plan;
}

int SegmentPlan::workers(int threads) const {
  return static_cast<int>(std::clamp<std::int64_t>(
      threads, 1, std::max<std::int64_t>(1, static_cast<std::int64_t>(segments.size()))));
}

std::string plan_key(const SegmentPlan& plan) {
  std::string key = std::to_string(plan.frame_count);
  for (const auto& s : plan.segments) key += "," + std::to_string(s.begin);
  return key;
}

}  // namespace sw::exec
