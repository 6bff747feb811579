// `stillwater analyze IN --store RUN.zarr`: the analysis pass and the path stage, into a store.
// IN is a video file or a Zarr array of RGB frames (N, H, W, 3) as dask.array.to_zarr writes it.
#include <cstdio>

#include "cli/command_runs.hpp"
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/output_path.hpp"
#include "cli/passes.hpp"
#include "cli/run_options.hpp"
#include "core/error.hpp"

namespace sw::cli {

namespace {

constexpr unsigned kGroups = kExecGroup | kAnalysisGroup | kPathGroup;

constexpr const char* kDescription =
    "Measures the camera motion of IN and computes the smoothed path and per-frame corrections\n"
    "into the store given by --store (required). IN is a video file, or a Zarr array of RGB "
    "frames\n(N, H, W, 3) uint8 such as dask.array.to_zarr writes. Render later with "
    "`stillwater render`.\nRunning it again resumes an interrupted analysis. With --shard K/N it "
    "measures shard K's\nsegments only, and a later run without --shard measures any still "
    "missing and plans the path\n(docs/cluster.md).";

}  // namespace

std::vector<Option> analyze_options() {
  std::vector<Option> t = {
      flag_option("--overwrite", "overwrite the --trace file if it exists", 'y'),
  };
  append_options(t, kGroups);
  append_console_options(t, "no progress bar and no summary");
  return t;
}

std::string check_analyze(const Args& args) {
  const std::string input = single_positional(args, "analyze", "input");
  if (args.text("--store").empty())
    throw Error("analyze", "missing --store DIR.zarr (see --help)", ExitCode::usage);
  configure_s3(args);
  return input;
}

AnalyzeSummary run_analyze(const Args& args, const std::string& input, const RunHooks& hooks) {
  check_output_paths({input, args.text("--store")}, {args.text("--trace")},
                     args.flag("--overwrite"));
  apply_verbose(args);
  exec::RunOptions options = run_options_from(args, kGroups);
  options.stop = hooks.stop;

  exec::Prepared run = exec::prepare(input, options);
  const auto analysis = analyze_pass(run, options, hooks);
  AnalyzeSummary s;
  s.store = options.store;
  s.frames = static_cast<std::int64_t>(run.index.size());
  s.segments = static_cast<std::int64_t>(run.plan.segments.size());
  s.resumed_segments = analysis.resumed_segments;
  s.overhead_frames = analysis.overhead_frames;
  s.seconds = analysis.seconds;
  if (options.shard) {  // the run without --shard plans the path
    s.shard = ShardWork{*options.shard, analysis.done, analysis.skipped};
    return s;
  }
  const path::PathResult path = path_pass(run, options, analysis.motions);
  s.path = planned_path(run, options, analysis.motions, path);
  return s;
}

void print_summary(const AnalyzeSummary& s) {
  if (s.shard) return print_shard_summary(s.store, s.segments, "analysed", *s.shard, s.seconds);
  std::printf(
      "%s: %lld frames in %lld segments (%lld resumed), %lld frames decoded beyond the "
      "segments' own; %.1f s (%.0f fps); jitter %.2f px -> %.2f px (planned)%s\n",
      s.store.c_str(), static_cast<long long>(s.frames), static_cast<long long>(s.segments),
      static_cast<long long>(s.resumed_segments), static_cast<long long>(s.overhead_frames),
      s.seconds, s.frames / std::max(1e-9, s.seconds), s.path.jitter_before_px,
      s.path.jitter_after_px, s.path.not_held.c_str());
}

int cmd_analyze(std::span<char* const> argv) {
  const auto table = analyze_options();
  const Args args = parse_args(argv, table);
  if (args.flag("--help")) {
    std::fputs(format_help("stillwater analyze IN --store RUN.zarr [OPTIONS]", kDescription, table)
                   .c_str(),
               stdout);
    return 0;
  }
  const std::string input = check_analyze(args);
  if (const auto served = start_mpi(args)) return *served;
  const bool quiet = args.flag("--quiet");
  RunReport report(args);
  const AnalyzeSummary summary = run_analyze(args, input, console_hooks(args));
  if (!quiet) print_summary(summary);
  report.finish();
  return 0;
}

}  // namespace sw::cli
