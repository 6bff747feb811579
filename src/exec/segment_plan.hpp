// The segment plan: how a video's frames [0, N) are cut into segments of consecutive frames,
// the unit of parallel work on threads and (later) MPI ranks.
//
// The plan depends only on the video (its frame count and keyframes) and the target length
// --segment-frames, never on the number of workers, so every way of running it gives the
// same segments and therefore the same bytes.
//
// Pairs and ownership: segment k owns frames [begin, end). It computes the motion of the pairs
// (begin, begin+1) ... (end-1, end): every pair whose *first* frame it owns, so it also decodes
// frame `end` (the next segment's first frame, a keyframe whenever the plan could cut there).
// Each pair (i-1, i) is therefore computed exactly once, including the pairs that cross a
// boundary, and the overhead is one decoded frame per boundary, plus the frames between the
// keyframe before `begin` and `begin` when a cut is not at a keyframe.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace sw::exec {

struct Segment {
  std::int64_t index = 0;
  std::int64_t begin = 0;        // first frame owned
  std::int64_t end = 0;          // one past the last frame owned
  std::int64_t decode_from = 0;  // keyframe at or before `begin`, where decoding starts
  std::int64_t decode_to = 0;    // last frame decoded: min(end, N - 1)
  std::int64_t frames() const { return end - begin; }
  // Frames decoded that this segment does not own.
  std::int64_t overhead() const { return (begin - decode_from) + (decode_to >= end ? 1 : 0); }
};

struct SegmentPlan {
  std::int64_t frame_count = 0;
  std::int64_t target = 0;
  std::vector<Segment> segments;
  std::int64_t overhead_frames() const;
  // Workers worth starting for `threads`: at least one, and no more than there are segments.
  int workers(int threads) const;
};

// keyframe[i] tells whether frame i (presentation order) is a keyframe that decoding can start
// from. target <= 0 means one segment for the whole video. Boundaries are placed at the
// keyframe nearest to each multiple of `target` when one lies within target/2 of it (and
// keeps segments non-empty), else exactly at the multiple.
SegmentPlan plan_segments(std::span<const std::uint8_t> keyframe, std::int64_t target);

// The plan as text (frame count, each segment's first frame): a store's staged analysis
// segments are reused only under the same plan.
std::string plan_key(const SegmentPlan& plan);

}  // namespace sw::exec
