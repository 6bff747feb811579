#include "exec/pipeline.hpp"

#include <unistd.h>
#include <chrono>
#include <filesystem>

#include "core/build_id.hpp"
#include "core/error.hpp"
#include "core/heap.hpp"
#include "core/sha256.hpp"
#include "core/temporary.hpp"
#include "core/trace.hpp"
#include "exec/analysis_runner.hpp"
#include "exec/param_fields.hpp"
#include "exec/render_runner.hpp"
#include "exec/video_source.hpp"
#include "io/fingerprint.hpp"
#include "io/frame_index.hpp"
#include "io/video_reader.hpp"
#include "path/smoother.hpp"
#include "s3/upload.hpp"
#include "store/fingerprint.hpp"
#include "store/frame_array.hpp"
#include "store/frame_color.hpp"

namespace sw::exec {

namespace {

namespace fs = std::filesystem;

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

nlohmann::json input_description(const Prepared& run) {
  const VideoInfo& v = run.info;
  return {{"name", fs::path(run.input).filename().string()},
          {"path", run.input},
          {"size", run.zarr_frames ? 0 : io::input_size(run.input)},
          {"fingerprint",
           run.zarr_frames ? store::zarr_fingerprint(run.input) : io::file_fingerprint(run.input)},
          {"kind", run.zarr_frames ? "zarr frames" : "video"},
          {"width", v.width},
          {"height", v.height},
          {"pix_fmt", v.pix_fmt},
          {"codec", v.codec},
          {"bit_depth", v.bit_depth},
          {"time_base", {run.index.time_base.num, run.index.time_base.den}},
          {"avg_frame_rate", {v.avg_frame_rate.num, v.avg_frame_rate.den}},
          {"frames", static_cast<std::int64_t>(run.index.size())},
          {"duration_s", v.duration_s},
          {"rotation_deg", v.rotation_deg},
          {"variable_frame_rate", v.variable_frame_rate},
          {"stillwater_version", SW_VERSION_STRING},
          {"stillwater_build", std::string(build_id())}};
}

nlohmann::json analysis_description(const motion::MotionParams& m, bool deblock) {
  nlohmann::json d = to_json_fields(m);
  d["deblock"] = deblock;
  return d;
}

const char* policy_name(path::OutlierPolicy p) {
  switch (p) {
    case path::OutlierPolicy::none:
      return "none";
    case path::OutlierPolicy::recipe:
      return "recipe";
    case path::OutlierPolicy::adaptive:
      return "adaptive";
  }
  return "?";
}

const char* crop_name(path::Crop c) {
  switch (c) {
    case path::Crop::automatic:
      return "auto";
    case path::Crop::adaptive:
      return "adaptive";
    case path::Crop::none:
      return "none";
    case path::Crop::fill:
      return "fill";
  }
  return "?";
}

// Every PathParams field: a store resumes only under the same description.
nlohmann::json path_description(const path::PathParams& p) {
  return {{"smoother", path::smoother_name(p.smoother)},
          {"sigma", p.sigma},
          {"l1",
           {{"w0", p.l1.w0},
            {"w1", p.l1.w1},
            {"w2", p.l1.w2},
            {"w3", p.l1.w3},
            {"window", p.l1.window},
            {"overlap", p.l1.overlap},
            {"crop_zoom", p.l1.crop_zoom},
            {"margin_px", p.l1.margin_px},
            {"drift_fraction", p.l1.drift_fraction},
            {"stability_target", p.l1.stability_target}}},
          {"crop", crop_name(p.crop)},
          {"adaptive_crop_radius", p.adaptive_crop_radius},
          {"cut_threshold", p.cut_threshold},
          {"cut_threshold_invalid", p.cut_threshold_invalid},
          {"repeats", p.repeats},
          {"radius", p.radius},
          {"outliers", policy_name(p.outliers)},
          {"lof_neighbors", p.lof_neighbors},
          {"lof_threshold", p.lof_threshold},
          {"recipe_half_window", p.recipe_half_window},
          {"adaptive_base", p.adaptive_base},
          {"adaptive_cap", p.adaptive_cap},
          {"zoom", p.zoom},
          {"max_zoom", p.max_zoom}};
}

std::string plan_key(const SegmentPlan& plan) {
  std::string key = std::to_string(plan.frame_count);
  for (const auto& s : plan.segments) key += "," + std::to_string(s.begin);
  return key;
}

// A temporary directory beside the output for the pieces of a run without a store; removed at
// the end (or, after a crash, by a later run's remove_stale_temporaries).
class PieceDir {
 public:
  explicit PieceDir(const std::string& output)
      : dir_(fs::path(output).parent_path(), fs::path(output).filename().string() + "-pieces") {}
  std::string piece(std::int64_t k) const { return dir_.file(std::to_string(k) + ".mp4").string(); }

 private:
  TemporaryDir dir_;
};

}  // namespace

std::string render_key(const RenderKey& k) {
  nlohmann::json key = {
      {"warp", to_json_fields(k.warp)}, {"encode", to_json_fields(k.encode)}, {"build", k.build}};
  key["plan"] = nlohmann::json::array();
  for (const auto& s : k.plan.segments)
    key["plan"].push_back({s.begin, s.end, s.decode_from, s.decode_to});
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(k.corrections.data());
  key["corrections"] = sha256_hex({bytes, k.corrections.size_bytes()});
  if (k.warp.fill_radius > 0) {
    const auto* camera = reinterpret_cast<const std::uint8_t*>(k.fill.camera.data());
    key["camera"] = sha256_hex({camera, k.fill.camera.size_bytes()});
    key["cut"] = sha256_hex({k.fill.cut.data(), k.fill.cut.size()});
  }
  const std::string text = key.dump();
  return sha256_hex({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()});
}

Prepared prepare(const std::string& input, const RunOptions& options) {
  Prepared run;
  run.input = input;
  run.zarr_frames = is_zarr_frames(input);
  if (run.zarr_frames) {
    store::ZarrFrameSource frames{fs::path(input)};
    run.info.path = input;
    run.info.width = frames.width();
    run.info.height = frames.height();
    run.info.pix_fmt = "rgb24";
    run.info.codec = "zarr";
    run.index = frames.frame_index();
    run.info.time_base = run.index.time_base;
    run.info.avg_frame_rate = frames.fps();
    run.info.frame_count = static_cast<std::int64_t>(run.index.size());
  } else {
    // Opening a reader first gives the precise error for a bad file (and decodes frame 0).
    trace::Span span("demux", "scan " + fs::path(input).filename().string());
    const io::VideoReader probe(input);
    run.info = probe.info();
    run.warnings = probe.warnings();
    run.index = io::scan_frames(input);
    span.add_frames(static_cast<std::int64_t>(run.index.size()));
  }
  if (run.index.size() < 2) {
    throw Error(input, "has only " + std::to_string(run.index.size()) +
                           " video frame; stabilization needs at least 2");
  }
  std::int64_t segment_frames = options.segment_frames;
  if (!options.store.empty()) {
    store::RunDescription description{
        input_description(run), analysis_description(options.motion, options.analysis_deblock),
        options.keep_stored_path ? nlohmann::json() : path_description(options.path)};
    description.compressor = options.store_compressor == "blosc-zstd"
                                 ? store::Compressor::blosc("zstd")
                             : options.store_compressor == "zstd" ? store::Compressor::zstd()
                             : options.store_compressor == "none" ? store::Compressor::none()
                                                                  : store::Compressor::blosc();
    run.store = store::RunStore::open(options.store, description);
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
    if (progress) progress(static_cast<std::int64_t>(out.motions.size()));
    out.seconds = seconds_since(start);
    return out;
  }

  AnalysisRun job;
  io::ReaderOptions reader_options;
  reader_options.skip_loop_filter = !options.analysis_deblock;
  job.make_source = run.zarr_frames ? zarr_source_factory(run.input)
                                    : video_source_factory(run.input, run.index, reader_options);
  job.input = run.input;
  job.zarr_frames = run.zarr_frames;
  job.index = &run.index;
  job.reader = reader_options;
  job.width = run.info.width;
  job.height = run.info.height;
  job.motion = options.motion;
  job.threads = options.threads;
  job.progress = progress;
  job.distributor = options.distributor;

  std::optional<store::FrameArrayWriter> frames;
  if (run.store) {
    run.store->begin_analysis(plan_key(run.plan));
    job.store = &*run.store;
    const auto n = static_cast<std::uint64_t>(run.index.size());
    const double fps = run.info.avg_frame_rate.value();
    if (options.store_frames == StoreFrames::luma) {
      const auto g =
          motion::analysis_geometry(run.info.width, run.info.height, options.motion.analysis_width);
      frames.emplace(run.store->backend_ptr(), "luma", store::FrameLayout::luma, n, g.width,
                     g.height, run.store->compressor(), fps);
      job.on_frame = [&](const FrameView& f, const motion::MotionEstimator& e) {
        const PlaneView p = e.analysis_luma();
        frames->write(static_cast<std::uint64_t>(f.index), p.data,
                      static_cast<std::size_t>(p.stride));
      };
    } else if (options.store_frames == StoreFrames::rgb) {
      if (run.zarr_frames)
        throw Error(run.input, "is already a frames array; --store-frames rgb would copy it");
      frames.emplace(run.store->backend_ptr(), "frames", store::FrameLayout::rgb, n, run.info.width,
                     run.info.height, run.store->compressor(), fps);
      job.on_frame = [&](const FrameView& f, const motion::MotionEstimator&) {
        thread_local std::vector<std::uint8_t> rgb;
        store::yuv_to_rgb(f, rgb);
        frames->write(static_cast<std::uint64_t>(f.index), rgb.data(),
                      static_cast<std::size_t>(run.info.width) * 3);
      };
    }
  }

  AnalysisStats stats;
  out.motions = run_analysis(job, run.plan, &stats);
  out.decoded_frames = stats.decoded_frames;
  out.overhead_frames = stats.overhead_frames;
  out.resumed_segments = stats.resumed_segments;
  out.warnings = stats.warnings;
  if (run.store) {
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
  if (run.zarr_frames) {
    throw Error(run.input, "is a Zarr frames array (luma only here); render needs the video");
  }
  // An s3:// output is rendered into a local temporary file and uploaded when complete.
  std::optional<s3::S3Output> upload;
  if (s3::is_s3_url(output)) upload.emplace(output);
  const std::string local_output = upload ? upload->local_path() : output;
  const fs::path out_dir =
      fs::path(local_output).has_parent_path() ? fs::path(local_output).parent_path() : ".";
  remove_stale_temporaries(out_dir, false);
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
  if (upload) upload->commit();
  RenderOutcome out;
  out.frames = stats.frames;
  out.fill = stats.fill;
  out.resumed_segments = stats.resumed_segments;
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

std::vector<path::Vec3> measured_path(std::span<const Motion> motions) {
  std::vector<path::Vec3> rows;
  rows.reserve(motions.size());
  for (const Motion& m : motions) {
    rows.push_back(m.valid() ? path::Vec3{m.dx, m.dy, m.da} : path::Vec3{});
  }
  return path::compose(rows);
}

}  // namespace sw::exec
