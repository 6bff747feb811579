#include "exec/pipeline.hpp"

#include <chrono>
#include <filesystem>

#include "core/build_id.hpp"
#include "core/error.hpp"
#include "core/heap.hpp"
#include "core/temporary.hpp"
#include "core/trace.hpp"
#include "exec/analysis_runner.hpp"
#include "exec/input_kind.hpp"
#include "exec/job_codec.hpp"
#include "exec/output_file.hpp"
#include "exec/render_runner.hpp"
#include "exec/run_description.hpp"
#include "exec/store_frames.hpp"

namespace sw::exec {

namespace {

namespace fs = std::filesystem;

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// A temporary directory beside the output for the pieces of a run without a store; removed at
// the end (or, after a crash, by a later run's remove_stale_temporaries()).
class PieceDir {
 public:
  explicit PieceDir(const std::string& output)
      : dir_(fs::path(output).parent_path(), fs::path(output).filename().string() + "-pieces") {}
  std::string piece(std::int64_t k) const { return dir_.file(std::to_string(k) + ".mp4").string(); }

 private:
  TemporaryDir dir_;
};

}  // namespace

Prepared prepare(const std::string& input, const RunOptions& options) {
  return prepare(input_for(input), options);
}

Prepared prepare(std::shared_ptr<const Input> source, const RunOptions& options) {
  Prepared run;
  run.input = source->path();
  const std::string& input = run.input;
  run.source = std::move(source);
  InputScan scan = run.source->scan(options.stop);
  run.info = std::move(scan.info);
  run.index = std::move(scan.index);
  run.warnings = std::move(scan.warnings);
  if (run.index.size() < 2) {
    throw Error(input, "has only " + std::to_string(run.index.size()) +
                           " video frame; stabilization needs at least 2");
  }
  // Bad ignore regions are the command line's fault: say so before any work (or store) starts.
  motion::check_ignore(options.motion, run.info.width, run.info.height);
  std::int64_t segment_frames = options.segment_frames;
  if (!options.store.empty()) {
    const store::RunDescription description = run_description(run, options);
    run.store = store::RunStore::open(
        options.store, description, options.shard ? store::Sharing::shard : store::Sharing::alone);
    const auto recorded =
        run.store->attrs().value("/exec/segment_frames"_json_pointer, nlohmann::json());
    if (!options.segment_frames_given && recorded.is_number_integer()) {
      segment_frames = recorded.get<std::int64_t>();
    }
    run.store->set_attr("exec", {{"segment_frames", segment_frames}});
    run.store->write_index(run.index);
  }
  run.plan = plan_segments(run.index.keyframe, segment_frames);
  return run;
}

AnalysisOutcome analyze(Prepared& run, const RunOptions& options, const ProgressFn& progress) {
  const auto start = std::chrono::steady_clock::now();
  AnalysisOutcome out;
  if (run.store && run.store->has_motions() &&
      static_cast<std::size_t>(run.store->read_motions().size()) == run.index.size()) {
    out.motions = run.store->read_motions();
    out.resumed_segments = static_cast<std::int64_t>(run.plan.segments.size());
    for (const Segment& s : run.plan.segments)
      if (options.shard && options.shard->owns(s.index)) out.skipped.push_back(s.index);
    if (progress) progress(static_cast<std::int64_t>(out.motions.size()));
    out.seconds = seconds_since(start);
    return out;
  }

  AnalysisRun job;
  io::ReaderOptions reader_options;
  reader_options.skip_loop_filter = !options.analysis_deblock;
  reader_options.stop = options.stop;
  job.make_source = run.source->segment_sources(run.index, reader_options);
  job.input = run.input;
  job.input_kind = run.source->kind();
  job.index = &run.index;
  job.reader = reader_options;
  job.width = run.info.width;
  job.height = run.info.height;
  job.motion = options.motion;
  job.threads = options.threads;
  job.progress = progress;
  job.distributor = options.distributor;
  job.job = [&] { return encode_job(job, run.plan); };
  job.stop = options.stop;
  job.shard = options.shard;

  std::unique_ptr<store::FrameArrayWriter> frames;
  if (run.store) {
    run.store->begin_analysis(plan_key(run.plan));
    job.store = &*run.store;
    frames = keep_frames(run, options, job);
  }

  AnalysisStats stats;
  out.motions = run_analysis(job, run.plan, &stats);
  out.decoded_frames = stats.decoded_frames;
  out.overhead_frames = stats.overhead_frames;
  out.resumed_segments = stats.resumed_segments;
  out.done = stats.measured;
  out.skipped = stats.staged;
  out.warnings = stats.warnings;
  if (run.store && !options.shard) {
    trace::Span io("store", "motions");
    run.store->write_motions(out.motions);
  }
  heap::return_free_memory();  // the workers' decoders and estimators are gone
  out.seconds = seconds_since(start);
  return out;
}

path::PathResult plan(Prepared& run, const RunOptions& options, std::span<const Motion> motions) {
  path::PathResult result;
  {
    trace::Span span("path", {}, static_cast<std::int64_t>(motions.size()));
    result = path::plan_path(motions, options.path, {run.info.width, run.info.height});
  }
  if (run.store) {
    trace::Span io("store", "path");
    run.store->write_path(result);
  }
  return result;
}

RenderOutcome render(Prepared& run, const RunOptions& options,
                     std::span<const Transform2D> corrections, const FillPath& fill,
                     const std::string& output, const ProgressFn& progress) {
  const auto start = std::chrono::steady_clock::now();
  if (const std::string why = run.source->cannot_render(); !why.empty()) {
    throw Error(run.input, why);
  }
  // A shard writes no output: the run that finishes the pass assembles it.
  std::optional<OutputFile> out_file;
  if (!options.shard) out_file.emplace(output);
  const std::string local_output = out_file ? out_file->local_path() : std::string();
  if (corrections.size() != run.index.size()) {
    throw Error(run.input, "expected " + std::to_string(run.index.size()) + " corrections, got " +
                               std::to_string(corrections.size()));
  }
  RenderRun job;
  job.input = run.input;
  job.index = &run.index;
  job.corrections = corrections;
  if (options.warp.fill_radius > 0) {  // only full frame needs them (and sends them to ranks)
    job.camera = fill.camera;
    job.cut = fill.cut;
  }
  job.warp = options.warp;
  job.encode = options.encode;
  job.threads = options.threads;
  job.progress = progress;
  job.distributor = options.distributor;
  job.job = [&] { return encode_job(job, run.plan); };
  job.stop = options.stop;
  job.shard = options.shard;

  std::optional<PieceDir> scratch;
  if (run.store) {
    run.store->begin_render(render_key(
        {options.warp, options.encode, run.plan, corrections, fill, std::string(build_id())}));
    job.piece_path = [&](std::int64_t k) { return run.store->piece_scratch_path(k); };
    job.piece_done = [&](std::int64_t k) { return run.store->piece_done(k); };
    job.piece_finished = [&](std::int64_t k) { run.store->publish_piece(k); };
    job.piece_input = [&](std::int64_t k) { return run.store->fetch_piece(k); };
  } else {
    scratch.emplace(local_output);
    job.piece_path = [&](std::int64_t k) { return scratch->piece(k); };
  }
  const RenderStats stats = run_render(job, run.plan, local_output);
  if (out_file) out_file->commit();
  RenderOutcome out;
  out.frames = stats.frames;
  out.fill = stats.fill;
  out.resumed_segments = stats.resumed_segments;
  out.done = stats.rendered;
  out.skipped = stats.published;
  out.warnings = stats.warnings;
  out.seconds = seconds_since(start);
  return out;
}

std::vector<Transform2D> camera_transforms(std::span<const path::Vec3> trajectory) {
  std::vector<Transform2D> camera;
  camera.reserve(trajectory.size());
  for (const auto& t : trajectory) camera.push_back({t.x, t.y, t.a, 1});
  return camera;
}

}  // namespace sw::exec
