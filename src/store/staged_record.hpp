// A segment's staged analysis record, _progress/analysis/<k> in a run store: the motions of
// the pairs the segment measured, kept so that a rerun skips the segment.
//
// The record is a (rows, 11) "<f8" array written as one chunk (so it appears atomically),
// one row per pair: (frame, dx, dy, da, scale, corners, tracked, inliers, status,
// scene_score, picture_diff); the integers are exact in f8. Records of 9 or 10 columns (before
// scene_score, before picture_diff) still load, with the missing numbers NaN. A segment that
// measured nothing stores one row starting with -1.
//
// A record is bytes from disk: read_staged_record checks every field against what the segment
// plan expects before anything is used, so a damaged record is refused, never trusted.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/types.hpp"
#include "store/backend.hpp"

namespace sw::store {

// A segment's measured pairs: motions of frames (first, first + count).
struct StagedMotions {
  std::int64_t first = 0;
  std::vector<Motion> motions;
};

void write_staged_record(const std::shared_ptr<Backend>& backend, const std::string& path,
                         const StagedMotions& staged);

// The record at `path`, which must hold exactly the motions of frames [first, first + count):
// anything else (shape, dtype, frame numbers, statuses, counts, non-finite motions of a
// measured pair) throws sw::Error naming the record and what does not fit.
StagedMotions read_staged_record(const std::shared_ptr<Backend>& backend, const std::string& path,
                                 std::int64_t first, std::int64_t count);

}  // namespace sw::store
