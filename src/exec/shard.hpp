// A shard of a job array (`--shard K/N`): one of N processes that each do a fixed part of a
// pass's segments, started by a scheduler (a Slurm array, a Kubernetes Indexed Job, an AWS
// Batch array job) on machines that share only the run store. Segment i belongs to shard
// i mod N: the assignment depends only on the segment plan (which depends only on the video
// and --segment-frames), so every shard computes the same one on its own, and neighbouring
// segments, which cost about the same, go to different shards.
//
// A shard stages its segments (analysis records, render pieces) into the store and stops: no
// path stage, no motions, no assembly. A later run without a shard finishes the pass: any
// segment still missing (a shard that died and was not run again), then what comes after.
// The bytes are those of a single-process run, because each segment's result is.
#pragma once

#include <cstdint>

namespace sw::exec {

struct Shard {
  int index = 0;  // K, 0-based, in [0, count)
  int count = 1;  // N
  bool owns(std::int64_t segment) const { return segment % count == index; }
};

}  // namespace sw::exec
