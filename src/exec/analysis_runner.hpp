// The analysis pass over a segment plan: every worker decodes its segments and measures the
// pairs whose first frame it owns (see segment_plan.hpp), so each pair is measured exactly
// once and the motions do not depend on the split or the number of workers.
// With a store, each finished segment is staged there first, and a rerun skips it.
// Segments run on this process's threads, or through a SegmentDistributor (MPI ranks), which
// sends the segments' measured pairs back here: the same code measures them either way.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/cancel.hpp"
#include "core/types.hpp"
#include "exec/segment_plan.hpp"
#include "exec/segment_queue.hpp"
#include "exec/segment_source.hpp"
#include "exec/shard.hpp"
#include "io/video_reader.hpp"
#include "motion/estimator.hpp"

namespace sw::store {
class RunStore;
}

namespace sw::exec {

struct AnalysisRun {
  SourceFactory make_source;
  // What make_source reads, so that another process can make the same sources
  // (exec/job_codec.hpp): the input and its kind (exec/input_kind.hpp), the run's frame index
  // and the reader options.
  std::string input;
  std::string input_kind;
  const FrameIndex* index = nullptr;
  io::ReaderOptions reader;
  int width = 0;  // coded frame size
  int height = 0;
  motion::MotionParams motion;
  int threads = 1;
  store::RunStore* store = nullptr;  // optional: stage segments, skip staged ones
  std::function<void(std::int64_t frames_done)> progress;  // serialised by the runner
  // Called (from worker threads) for every frame a segment owns, right after the estimator
  // saw it: used to write frames into the store (--store-frames).
  std::function<void(const FrameView& frame, const motion::MotionEstimator& estimator)> on_frame;
  // Optional: spreads the segments over processes (exec/mpi_session.hpp); null = threads here.
  SegmentDistributor* distributor = nullptr;
  // This pass described for the other processes (exec/job_codec.hpp: encode_job), set by the
  // caller; called only when the distributor has other processes.
  std::function<std::string()> job;
  StopToken stop;  // checked between frames (core/cancel.hpp)
  // A shard's run: only the segments it owns (the motions of the others stay missing).
  std::optional<Shard> shard;
};

struct AnalysisStats {
  std::int64_t decoded_frames = 0;   // including the overhead below
  std::int64_t overhead_frames = 0;  // decoded but not owned (boundaries, non-keyframe cuts)
  std::int64_t resumed_segments = 0;
  // The segments measured in this run and those found staged, in plan order.
  std::vector<std::int64_t> measured, staged;
  // Every distinct warning of the segment sources (decode errors, an early end), the other
  // ranks' prefixed with where they arose, and staged records that did not fit the plan.
  std::vector<std::string> warnings;
};

// motions[i] for every frame of the plan (motions[0] has status first_frame).
std::vector<Motion> run_analysis(const AnalysisRun& run, const SegmentPlan& plan,
                                 AnalysisStats* stats = nullptr);

// The other side of a distributed run: analyses the segments `queue` hands out (on run.threads
// workers) and completes each with its result for the owner's run_analysis; returns the
// sources' warnings.
std::vector<std::string> serve_analysis(const AnalysisRun& run, const SegmentPlan& plan,
                                        SegmentQueue& queue);

}  // namespace sw::exec
