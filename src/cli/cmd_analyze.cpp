// `stillwater analyze IN --store RUN.zarr`: the analysis pass and the path stage, into a store.
// IN is a video file or a Zarr array of RGB frames (N, H, W, 3) as dask.array.to_zarr writes it.
#include <cstdio>

#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "cli/output_path.hpp"
#include "cli/passes.hpp"
#include "cli/progress.hpp"
#include "cli/run_options.hpp"
#include "core/error.hpp"
#include "report/jitter.hpp"

namespace sw::cli {

namespace {

constexpr unsigned kGroups = kExecGroup | kAnalysisGroup | kPathGroup;

std::vector<Option> analyze_options() {
  std::vector<Option> t = {
      flag_option("--overwrite", "overwrite the --trace file if it exists", 'y'),
  };
  append_options(t, kGroups);
  append_console_options(t, "no progress bar and no summary");
  return t;
}

constexpr const char* kDescription =
    "Measures the camera motion of IN and computes the smoothed path and per-frame corrections\n"
    "into the store given by --store (required). IN is a video file, or a Zarr array of RGB "
    "frames\n(N, H, W, 3) uint8 such as dask.array.to_zarr writes. Render later with "
    "`stillwater render`.\nRunning it again resumes an interrupted analysis. With --shard K/N it "
    "measures shard K's\nsegments only, and a later run without --shard measures any still "
    "missing and plans the path\n(docs/cluster.md).";

}  // namespace

int cmd_analyze(std::span<char* const> argv) {
  const auto table = analyze_options();
  const Args args = parse_args(argv, table);
  if (args.flag("--help")) {
    std::fputs(format_help("stillwater analyze IN --store RUN.zarr [OPTIONS]", kDescription, table)
                   .c_str(),
               stdout);
    return 0;
  }
  const std::string input = single_positional(args, "analyze", "input");
  if (args.text("--store").empty())
    throw Error("analyze", "missing --store DIR.zarr (see --help)", ExitCode::usage);
  configure_s3(args);
  if (const auto served = start_mpi(args)) return *served;
  check_output_paths({input, args.text("--store")}, {args.text("--trace")},
                     args.flag("--overwrite"));
  apply_verbose(args);
  const bool quiet = args.flag("--quiet");
  const exec::RunOptions options = run_options_from(args, kGroups);

  RunReport report(options, quiet, args.flag("--verbose"));
  exec::Prepared run = exec::prepare(input, options);
  const auto analysis = analyze_pass(run, options, !quiet && ProgressBar::stderr_is_terminal());
  if (options.shard) {  // the run without --shard plans the path
    if (!quiet)
      print_shard_summary(options, run, "analysed", analysis.done, analysis.skipped,
                          analysis.seconds);
    report.finish();
    return 0;
  }
  const path::PathResult path = path_pass(run, options, analysis.motions);
  if (!quiet) {
    const auto frames = static_cast<std::int64_t>(analysis.motions.size());
    const auto before = report::residual_jitter(path::measured_path(analysis.motions),
                                                run.info.width, run.info.height);
    const auto after = report::residual_jitter(path.smoothed, run.info.width, run.info.height);
    std::printf(
        "%s: %lld frames in %zu segments (%lld resumed), %lld frames decoded beyond the "
        "segments' own; %.1f s (%.0f fps); jitter %.2f px -> %.2f px (planned)\n",
        options.store.c_str(), static_cast<long long>(frames), run.plan.segments.size(),
        static_cast<long long>(analysis.resumed_segments),
        static_cast<long long>(analysis.overhead_frames), analysis.seconds,
        frames / std::max(1e-9, analysis.seconds), before.corner_px, after.corner_px);
  }
  report.finish();
  return 0;
}

}  // namespace sw::cli
