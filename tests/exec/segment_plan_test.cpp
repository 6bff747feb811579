#include "exec/segment_plan.hpp"

#include <gtest/gtest.h>

namespace sw::exec {
namespace {

std::vector<std::uint8_t> keyframes_every(std::int64_t n, std::int64_t gop) {
  std::vector<std::uint8_t> k(static_cast<std::size_t>(n), 0);
  for (std::int64_t i = 0; i < n; i += gop) k[static_cast<std::size_t>(i)] = 1;
  return k;
}

// Every frame owned exactly once, and every pair (i-1, i) computed by exactly one segment:
// the one owning frame i-1, which decodes through frame i.
void expect_partition(const SegmentPlan& plan) {
  std::vector<int> owned(static_cast<std::size_t>(plan.frame_count), 0);
  std::vector<int> pairs(static_cast<std::size_t>(plan.frame_count), 0);
  for (const auto& s : plan.segments) {
    ASSERT_LT(s.begin, s.end);
    ASSERT_LE(s.decode_from, s.begin);
    for (auto i = s.begin; i < s.end; ++i) ++owned[static_cast<std::size_t>(i)];
    for (auto i = s.begin + 1; i <= s.decode_to; ++i) ++pairs[static_cast<std::size_t>(i)];
  }
  for (std::size_t i = 0; i < owned.size(); ++i) {
    EXPECT_EQ(owned[i], 1) << "frame " << i;
    if (i > 0) {
      EXPECT_EQ(pairs[i], 1) << "pair ending at " << i;
    }
  }
}

TEST(SegmentPlan, EveryLengthPartitionsTheVideo) {
  const auto k = keyframes_every(97, 12);
  for (std::int64_t target = 0; target <= 100; ++target) {
    SCOPED_TRACE(target);
    expect_partition(plan_segments(k, target));
  }
}

TEST(SegmentPlan, CutsAtKeyframesWhenNearby) {
  const auto plan = plan_segments(keyframes_every(300, 30), 50);
  for (const auto& s : plan.segments) {
    EXPECT_EQ(s.begin % 30, 0) << "segment " << s.index << " starts at " << s.begin;
    EXPECT_EQ(s.decode_from, s.begin);
  }
  // One extra decoded frame per boundary, nothing else.
  EXPECT_EQ(plan.overhead_frames(), static_cast<std::int64_t>(plan.segments.size()) - 1);
}

TEST(SegmentPlan, OneFrameSegmentsDecodeFromTheirKeyframe) {
  const auto plan = plan_segments(keyframes_every(20, 10), 1);
  ASSERT_EQ(plan.segments.size(), 20u);
  EXPECT_EQ(plan.segments[13].decode_from, 10);
  EXPECT_EQ(plan.segments[13].overhead(), 3 + 1);
  EXPECT_EQ(plan.segments[19].decode_to, 19);
  EXPECT_EQ(plan.segments[19].overhead(), 19 - 10) << "the last segment decodes no next frame";
}

TEST(SegmentPlan, WholeVideoIsOneSegment) {
  const auto plan = plan_segments(keyframes_every(40, 7), 0);
  ASSERT_EQ(plan.segments.size(), 1u);
  EXPECT_EQ(plan.segments[0].end, 40);
  EXPECT_EQ(plan.overhead_frames(), 0);
}

}  // namespace
}  // namespace sw::exec
