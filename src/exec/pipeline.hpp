// One run, wired from the stages: prepare (open, demux-only scan, segment plan, store) ->
// analysis (segments on threads) -> path -> render (segments on threads, pieces joined).
//
//   analysis: each worker holds one decoded frame and two downscaled luma frames with their
//             LK pyramids;
//   path:     per-frame numbers only;
//   render:   each worker holds one input and one output frame, plus the codecs' bounded delay.
// Memory therefore does not depend on the video's length, apart from the per-frame numbers
// (a Motion and a Transform2D per frame, under 200 bytes).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "core/types.hpp"
#include "exec/render_key.hpp"
#include "exec/run.hpp"
#include "path/path.hpp"
#include "render/fill.hpp"

namespace sw::exec {

// Opens the input (errors out early on bad input), scans its frame index without decoding,
// plans the segments and opens/creates the store (refusing a store of another run).
Prepared prepare(const std::string& input, const RunOptions& options);
// The same for an input made by the caller (exec/caller_frames_input.hpp: frames in memory).
Prepared prepare(std::shared_ptr<const Input> input, const RunOptions& options);

struct AnalysisOutcome {
  std::vector<Motion> motions;  // one per frame; motions[0] is frame 0 (first_frame)
  std::int64_t decoded_frames = 0;
  std::int64_t overhead_frames = 0;
  std::int64_t resumed_segments = 0;
  // A shard (RunOptions::shard): the segments it measured and those it found staged.
  std::vector<std::int64_t> done, skipped;
  std::vector<std::string> warnings;
  double seconds = 0;
};

// Measures every pair (resuming staged segments from the store), writes the motions (and the
// index) into the store when there is one. A shard measures and stages its own segments only:
// its motions are not complete, and nothing else is written.
AnalysisOutcome analyze(Prepared& run, const RunOptions& options, const ProgressFn& progress = {});

// The path stage; writes it into the store when there is one.
path::PathResult plan(Prepared& run, const RunOptions& options, std::span<const Motion> motions);

struct RenderOutcome {
  std::int64_t frames = 0;
  std::vector<render::FillCounts> fill;  // full frame: per frame (RenderStats::fill)
  std::int64_t resumed_segments = 0;
  // A shard (RunOptions::shard): the segments it rendered and those it found published.
  std::vector<std::int64_t> done, skipped;
  std::vector<std::string> warnings;
  double seconds = 0;
};

// Renders `output` with `corrections` (one per frame). Full frame (options.warp.fill_radius > 0)
// also needs the camera path and the cuts (FillPath, exec/render_key.hpp). A shard renders
// and publishes its own segments' pieces only; `output` is not written (it names the output
// the finishing run will write).
RenderOutcome render(Prepared& run, const RunOptions& options,
                     std::span<const Transform2D> corrections, const FillPath& fill,
                     const std::string& output, const ProgressFn& progress = {});

// The camera path as render's transforms (zoom 1), for FillPath.
std::vector<Transform2D> camera_transforms(std::span<const path::Vec3> trajectory);

}  // namespace sw::exec
