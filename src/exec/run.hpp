// A run as data: what it is asked to do (RunOptions) and its input once opened (Prepared).
// The pipeline's steps (exec/pipeline.hpp) and the files they are made of take these.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/cancel.hpp"
#include "core/names.hpp"
#include "core/types.hpp"
#include "exec/input.hpp"
#include "exec/segment_plan.hpp"
#include "exec/segment_queue.hpp"
#include "exec/shard.hpp"
#include "io/encode_options.hpp"
#include "motion/estimator.hpp"
#include "path/path.hpp"
#include "render/warp.hpp"
#include "store/run_store.hpp"

namespace sw::exec {

// Called with the number of frames done so far.
using ProgressFn = std::function<void(std::int64_t frames_done)>;

// --store-frames: which frames the analysis pass also keeps in the store (exec/store_frames.hpp).
enum class StoreFrames { none, luma, rgb };
inline constexpr Named<StoreFrames> kStoreFramesNames[] = {
    {StoreFrames::none, "none"}, {StoreFrames::luma, "luma"}, {StoreFrames::rgb, "rgb"}};
constexpr std::span<const Named<StoreFrames>> names_of(StoreFrames) {
  return kStoreFramesNames;
}

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
  // One shard of a job array (exec/shard.hpp): its segments only, staged into the store (which
  // it then shares with the other shards); nothing after the pass. Results never depend on it.
  std::optional<Shard> shard;
  // Checked between frames by every pass (core/cancel.hpp); the default never stops.
  StopToken stop;
};

// A run's input, opened and scanned.
struct Prepared {
  std::string input;
  std::shared_ptr<const Input> source;  // what `input` is (exec/input_kind.hpp chose it)
  VideoInfo info;
  FrameIndex index;
  SegmentPlan plan;
  std::optional<store::RunStore> store;  // when RunOptions::store is set
  std::vector<std::string> warnings;
};

}  // namespace sw::exec
