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

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/cancel.hpp"
#include "core/types.hpp"
#include "exec/segment_plan.hpp"
#include "exec/segment_queue.hpp"
#include "io/video_transcoder.hpp"
#include "motion/estimator.hpp"
#include "path/path.hpp"
#include "render/fill.hpp"
#include "render/warp.hpp"
#include "store/run_store.hpp"

namespace sw::exec {

// Called with the number of frames done so far.
using ProgressFn = std::function<void(std::int64_t frames_done)>;

// The stop request of core/cancel.hpp (set from the signal handler; the passes check it between
// frames and throw sw::Error with ExitCode::interrupted).
using sw::g_cancel;

enum class StoreFrames { none, luma, rgb };

// Everything a run is asked to do. Results never depend on `threads`; they depend on
// `segment_frames` only through the encoder's GOP boundaries in render.
struct RunOptions {
  int threads = 1;
  std::int64_t segment_frames = 240;
  // False when the user did not choose: a store's recorded segment length then wins, so that
  // `render` from a store cuts its GOPs where `stabilize` or an earlier render did.
  bool segment_frames_given = true;
  motion::MotionParams motion;
  // Decode the analysis pass with the codec's in-loop deblocking filter. Skipping it saves
  // about a fifth of the decode, but on the footage it made the output measurably less steady
  // on 5 of 8 clips (bench/README.md), so it stays on unless asked.
  bool analysis_deblock = true;
  path::PathParams path;
  // Render from the store's corrections: the store keeps its recorded path parameters (they
  // describe its path arrays) instead of taking `path`.
  bool keep_stored_path = false;
  render::WarpParams warp;
  io::EncodeOptions encode;
  std::string store;  // a directory; empty = no store
  std::string trace;  // Chrome trace-event file to write; empty = none
  // Compressor of the store's arrays: "blosc-lz4" (zarr-python's default), "blosc-zstd",
  // "zstd" or "none".
  std::string store_compressor = "blosc-lz4";
  StoreFrames store_frames = StoreFrames::none;
  // Spreads the passes' segments over processes (MPI ranks, exec/mpi_session.hpp); null = this
  // process's threads. Results never depend on it.
  SegmentDistributor* distributor = nullptr;
};

// A run's input, opened and scanned.
struct Prepared {
  std::string input;
  VideoInfo info;
  FrameIndex index;
  SegmentPlan plan;
  bool zarr_frames = false;              // the input is a Zarr frames array
  std::optional<store::RunStore> store;  // when RunOptions::store is set
  std::vector<std::string> warnings;
};

// Opens the input (errors out early on bad input), scans its frame index without decoding,
// plans the segments and opens/creates the store (refusing a store of another run).
Prepared prepare(const std::string& input, const RunOptions& options);

struct AnalysisOutcome {
  std::vector<Motion> motions;  // one per frame; motions[0] is frame 0 (first_frame)
  std::int64_t decoded_frames = 0;
  std::int64_t overhead_frames = 0;
  std::int64_t resumed_segments = 0;
  std::vector<std::string> warnings;
  double seconds = 0;
};

// Measures every pair (resuming staged segments from the store), writes the motions (and the
// index) into the store when there is one.
AnalysisOutcome analyze(Prepared& run, const RunOptions& options, const ProgressFn& progress = {});

// The path stage; writes it into the store when there is one.
path::PathResult plan(Prepared& run, const RunOptions& options, std::span<const Motion> motions);

struct RenderOutcome {
  std::int64_t frames = 0;
  std::vector<render::FillCounts> fill;  // full frame: per frame (RenderStats::fill)
  std::int64_t resumed_segments = 0;
  std::vector<std::string> warnings;
  double seconds = 0;
};

// Renders `output` with `corrections` (one per frame).
// Full frame (options.warp.fill_radius > 0) also needs the camera path and the cuts (see
// RenderRun in exec/render_runner.hpp).
struct FillPath {
  std::span<const Transform2D> camera;
  std::span<const std::uint8_t> cut;
};
RenderOutcome render(Prepared& run, const RunOptions& options,
                     std::span<const Transform2D> corrections, const FillPath& fill,
                     const std::string& output, const ProgressFn& progress = {});

// The camera path as render's transforms (zoom 1), for FillPath.
std::vector<Transform2D> camera_transforms(std::span<const path::Vec3> trajectory);

// Everything a render piece's bytes depend on besides the input (a store holds one input):
// every warp and encoder parameter, the segment plan, the corrections and the build.
struct RenderKey {
  const render::WarpParams& warp;
  const io::EncodeOptions& encode;
  const SegmentPlan& plan;
  std::span<const Transform2D> corrections;
  FillPath fill;      // empty unless warp.fill_radius > 0
  std::string build;  // core/build_id.hpp
};
// The hash a store's finished render pieces are kept under: reused only under the same key.
std::string render_key(const RenderKey& key);

// The camera path measured from motions (composed, invalid pairs as no motion).
std::vector<path::Vec3> measured_path(std::span<const Motion> motions);

}  // namespace sw::exec
