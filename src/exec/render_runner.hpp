// The render pass over a segment plan: every worker decodes its segments, warps each frame by
// its correction and encodes the segment into a piece (io::SegmentEncoder: a fresh encoder,
// closed GOPs); the pieces are then joined by stream copy with every other stream of the
// input (io::assemble_pieces). The encoder's GOPs follow the segment plan, never the workers,
// and a piece's bytes depend only on its frames, so the output is byte-identical for any
// number of threads. A piece that already exists (a resumed run) is not rendered again.
// Segments run on this process's threads, or through a SegmentDistributor (MPI ranks): a piece
// rendered by another process comes back as bytes and is written to piece_path here, so the
// other processes need no shared disk for outputs.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/cancel.hpp"
#include "core/types.hpp"
#include "exec/segment_plan.hpp"
#include "exec/segment_queue.hpp"
#include "exec/shard.hpp"
#include "io/encode_options.hpp"
#include "render/fill.hpp"
#include "render/warp.hpp"

namespace sw::exec {

struct RenderRun {
  std::string input;
  const FrameIndex* index = nullptr;
  std::span<const Transform2D> corrections;  // one per frame of the index
  // Full frame (warp.fill_radius = K > 0, render/fill.hpp), one per frame: the camera path
  // (frame 0 -> frame i, zoom 1) and cut[i] = 1 when frame i starts a new shot (no frame is
  // filled from another shot). A segment [begin, end) then decodes frames begin-K .. end+K-1
  // (from the keyframe before begin-K), so every frame sees the same neighbours whatever the
  // split, and each worker holds 2K+1 frames (render/frame_ring.hpp).
  std::span<const Transform2D> camera;
  std::span<const std::uint8_t> cut;
  render::WarpParams warp;
  io::EncodeOptions encode;
  int threads = 1;
  // Where segment k's piece goes, and whether it is already there (resume).
  std::function<std::string(std::int64_t segment)> piece_path;
  std::function<bool(std::int64_t segment)> piece_done;
  // Optional: called once segment k's piece is complete at piece_path (a store uploads it), and
  // the local file assembly reads piece k from (default piece_path; a store may download it).
  std::function<void(std::int64_t segment)> piece_finished;
  std::function<std::string(std::int64_t segment)> piece_input;
  std::function<void(std::int64_t frames_done)> progress;  // serialised by the runner
  // Optional: spreads the segments over processes (exec/mpi_session.hpp); null = threads here.
  SegmentDistributor* distributor = nullptr;
  // This pass described for the other processes (exec/job_codec.hpp: encode_job), set by the
  // caller; called only when the distributor has other processes.
  std::function<std::string()> job;
  StopToken stop;  // checked between frames (core/cancel.hpp)
  // A shard's run: only the pieces of the segments it owns, and no assembly.
  std::optional<Shard> shard;
};

struct RenderStats {
  std::int64_t frames = 0;
  // Full frame: per frame rendered by this process (zeros for the others' and resumed ones).
  std::vector<render::FillCounts> fill;
  std::int64_t resumed_segments = 0;
  // The segments rendered in this run and those whose piece was already there, in plan order.
  std::vector<std::int64_t> rendered, published;
  std::vector<std::string> warnings;
};

// Renders every segment's piece, then assembles `output` (temporary name, renamed at the end);
// a shard (run.shard) renders its own segments' pieces and assembles nothing.
RenderStats run_render(const RenderRun& run, const SegmentPlan& plan, const std::string& output);

// The other side of a distributed run: renders the segments `queue` hands out into
// run.piece_path (a scratch file here) and completes each with the piece's bytes; returns the
// readers' warnings.
std::vector<std::string> serve_render(const RenderRun& run, const SegmentPlan& plan,
                                      SegmentQueue& queue);

}  // namespace sw::exec
