// `stillwater stabilize IN -o OUT`: prepare, analysis pass, path stage, render pass; with
// several inputs or a directory, that for each file in turn (cli/batch.hpp).
#include <cstdio>

#include "cli/batch.hpp"
#include "cli/command_runs.hpp"
#include "cli/commands.hpp"
#include "cli/console.hpp"
#include "cli/options.hpp"
#include "cli/output_path.hpp"
#include "cli/passes.hpp"
#include "cli/run_options.hpp"
#include "core/error.hpp"
#include "report/html_report.hpp"
#include "report/jitter.hpp"

namespace sw::cli {

namespace {

constexpr unsigned kGroups = kExecGroup | kAnalysisGroup | kPathGroup | kRenderGroup;

constexpr const char* kDescription =
    "Reads IN, measures the camera motion between consecutive frames (Shi-Tomasi corners, "
    "pyramidal\nLucas-Kanade, RANSAC partial affine on the luma), plans a smooth camera path "
    "per shot (by default\nthe L1-optimal path inside the smallest crop the shot needs, see "
    "--smoother and --crop), and\nwrites OUT with every frame warped onto it, all other "
    "streams (audio, data) copied, timestamps\nand metadata kept. OUT is written under a "
    "temporary name and renamed when complete. With\n--store, a killed run resumes where it "
    "stopped when the same command is run again.\n\n"
    "Batch: with several inputs, or a directory DIR (its regular files with a video extension,\n"
    "sorted by name, subdirectories not entered), the files are stabilized one after the other\n"
    "(each file's segments on the threads, and with --mpi on the ranks) into -o's directory\n"
    "(an existing one, or a name ending with '/', created): IN's output is DIR/<stem><ext>,\n"
    "its extension kept when its container can hold the --encoder's codec, else .mp4; with\n"
    "--store S, its store is S/<stem>.zarr. No output may be an input, an existing output\n"
    "needs -y, as for one file. A file that fails prints its error line and the batch goes on;\n"
    "the summary has one line per file, and the exit code is 1 when any file failed (2 for a\n"
    "bad command line, 130 when interrupted, which ends the batch). --report, --path-csv and\n"
    "--compare take one input.\n\n"
    "With --shard K/N (one input, --store) it is an analysis shard, as `analyze --shard`; the "
    "same\ncommand without --shard finishes: missing segments, path, render (docs/cluster.md).\n"
    "The video extensions (any case):";

// One input into one output, from the prepare step to the summary, --metrics and --report.
// `report` (single runs) is finished where its table belongs, after the summary; a batch
// finishes its own once, after the last file. Prints the summary unless --quiet (the
// side-by-side video's line and --metrics follow it).
StabilizeSummary stabilize_file(const Args& args, const exec::RunOptions& options,
                                const std::string& input, const std::string& output,
                                const RunHooks& hooks, RunReport* report) {
  const bool quiet = args.flag("--quiet");
  exec::Prepared run = exec::prepare(input, options);
  const auto analysis = analyze_pass(run, options, hooks);
  const path::PathResult path = path_pass(run, options, analysis.motions);
  if (args.given("--path-csv"))
    write_path_csv(args.text("--path-csv"), run, analysis.motions, path);
  const std::vector<Transform2D> camera = exec::camera_transforms(path.trajectory);
  const auto rendered =
      render_pass(run, options, path.correction, {camera, path.cut}, output, hooks);

  StabilizeSummary s;
  s.output = output;
  s.frames = static_cast<std::int64_t>(analysis.motions.size());
  s.segments = static_cast<std::int64_t>(run.plan.segments.size());
  s.analysis_seconds = analysis.seconds;
  s.render_seconds = rendered.seconds;
  s.path = planned_path(run, options, analysis.motions, path);
  s.fill = fill_summary(rendered);
  if (!quiet) print_summary(s);
  write_compare_video(args.text("--compare"), input, output, options, quiet);
  if (report) report->finish();
  if (args.flag("--metrics"))
    std::fputs(report::format_summary(report::planned_summary(analysis.motions, path,
                                                              run.info.width, run.info.height,
                                                              options.motion.analysis_width))
                   .c_str(),
               stdout);
  if (args.given("--report")) {
    report::RunData data =
        report::run_data(input, run.info.width, run.info.height, options.motion.analysis_width,
                         options.path.lof_threshold, analysis.motions, path);
    data.full_frame = options.path.crop == path::Crop::fill;
    warn_all(input, report::write_report(args.text("--report"), data, {output}));
  }
  return s;
}

// --shard K/N: an analysis shard, as `analyze --shard` (the render needs the path, which needs
// every shard's motions); the same command without --shard then finishes everything.
StabilizeSummary stabilize_shard(const Args& args, const exec::RunOptions& options,
                                 const std::string& input, const std::string& output,
                                 const RunHooks& hooks) {
  for (const char* whole : {"--report", "--path-csv", "--compare", "--metrics"}) {
    if (args.given(whole))
      throw Error(whole, "not with --shard: give it to the run that finishes (docs/cluster.md)",
                  ExitCode::usage);
  }
  exec::Prepared run = exec::prepare(input, options);
  const auto analysis = analyze_pass(run, options, hooks);
  StabilizeSummary s;
  s.output = output;
  s.store = options.store;
  s.frames = static_cast<std::int64_t>(run.index.size());
  s.segments = static_cast<std::int64_t>(run.plan.segments.size());
  s.analysis_seconds = analysis.seconds;
  s.shard = ShardWork{*options.shard, analysis.done, analysis.skipped};
  if (!args.flag("--quiet")) print_summary(s);
  return s;
}

// Several inputs, or a directory (cli/batch.hpp): each file as stabilize_file, one store each.
int stabilize_batch(const Args& args, const std::string& output) {
  for (const char* single : {"--report", "--path-csv", "--compare"}) {
    if (args.given(single))
      throw Error(single, "writes one file per run: not with several inputs or a directory",
                  ExitCode::usage);
  }
  if (args.given("--shard"))
    throw Error("--shard", "shards one file's segments: not with several inputs or a directory",
                ExitCode::usage);
  configure_s3(args);
  if (const auto served = start_mpi(args)) return *served;
  apply_verbose(args);
  const exec::RunOptions options = run_options_from(args, kGroups);
  const auto items =
      plan_batch(args.positional, output, args.text("--store"), options.encode.encoder);
  std::vector<std::string> inputs;
  for (const auto& item : items) inputs.push_back(item.input);
  check_output_paths(inputs, {args.text("--trace")}, args.flag("--overwrite"));

  RunReport report(args);
  const auto results = run_batch(items, [&](const BatchItem& item, const std::string& bar_prefix) {
    std::vector<std::string> file_inputs = inputs;
    file_inputs.push_back(item.store);
    check_output_paths(file_inputs, {item.output}, args.flag("--overwrite"));
    exec::RunOptions file_options = options;
    file_options.store = item.store;
    const StabilizeSummary s = stabilize_file(args, file_options, item.input, item.output,
                                              console_hooks(args, bar_prefix), nullptr);
    return FileSummary{s.frames, s.path.jitter_before_px, s.path.jitter_after_px};
  });
  report.finish();
  if (!args.flag("--quiet")) print_batch_summary(results);
  return batch_exit_code(results);
}

}  // namespace

std::vector<Option> stabilize_options() {
  std::vector<Option> t = {
      text_option("--output", "FILE",
                  "the stabilized video to write (container from the extension); with several "
                  "inputs or a DIR, the directory to write them into",
                  "", 'o'),
      flag_option("--overwrite", "overwrite FILE if it exists (never the input)", 'y'),
  };
  append_options(t, kGroups);
  t.push_back(text_option("--path-csv", "FILE",
                          "also write the per-frame numbers (motion, path, LOF, correction) as CSV",
                          ""));
  t.push_back(
      text_option("--report", "FILE", "also write an HTML report (see `report --help`)", ""));
  t.push_back(
      flag_option("--metrics", "print stability, cropping and border planned from the path"));
  append_console_options(t, "no progress bars and no summary");
  return t;
}

StabilizeFiles check_stabilize(const Args& args) {
  if (is_batch(args.positional) || args.positional.empty())
    throw Error("stabilize", "expected one input file (see --help)", ExitCode::usage);
  const std::string output = args.text("--output");
  if (output.empty()) throw Error("stabilize", "missing -o OUT (see --help)", ExitCode::usage);
  configure_s3(args);
  return {args.positional[0], output};
}

StabilizeSummary run_stabilize(const Args& args, const StabilizeFiles& files, const RunHooks& hooks,
                               RunReport* report) {
  // An analysis shard writes no OUT.
  check_output_paths({files.input, args.text("--store")},
                     {args.given("--shard") ? std::string() : files.output, args.text("--report"),
                      args.text("--path-csv"), args.text("--trace"), args.text("--compare")},
                     args.flag("--overwrite"));
  compare_target(args, files.input, files.output);
  apply_verbose(args);
  exec::RunOptions options = run_options_from(args, kGroups);
  options.stop = hooks.stop;
  if (options.shard) return stabilize_shard(args, options, files.input, files.output, hooks);
  return stabilize_file(args, options, files.input, files.output, hooks, report);
}

void print_summary(const StabilizeSummary& s) {
  if (s.shard)
    return print_shard_summary(s.store, s.segments, "analysed", *s.shard, s.analysis_seconds);
  std::printf(
      "%s: %lld frames in %lld segments; analysis %.1f s (%.0f fps), render %.1f s (%.0f fps); "
      "jitter %.2f px -> %.2f px (planned); %lld outliers, %lld invalid pairs%s\n",
      s.output.c_str(), static_cast<long long>(s.frames), static_cast<long long>(s.segments),
      s.analysis_seconds, s.frames / std::max(1e-9, s.analysis_seconds), s.render_seconds,
      s.frames / std::max(1e-9, s.render_seconds), s.path.jitter_before_px, s.path.jitter_after_px,
      static_cast<long long>(s.path.outliers), static_cast<long long>(s.path.invalid_pairs),
      s.path.not_held.c_str());
  print_fill_summary(s.output, s.fill);
}

int cmd_stabilize(std::span<char* const> argv) {
  const auto table = stabilize_options();
  const Args args = parse_args(argv, table);
  if (args.flag("--help")) {
    std::fputs(format_help("stillwater stabilize IN -o OUT [OPTIONS]\n"
                           "       stillwater stabilize IN... -o DIR/ [OPTIONS]\n"
                           "       stillwater stabilize DIR -o OUTDIR/ [OPTIONS]",
                           kDescription + ("\n" + video_extensions_text()), table)
                   .c_str(),
               stdout);
    return 0;
  }
  const std::string output = args.text("--output");
  if (is_batch(args.positional)) {
    if (output.empty()) throw Error("stabilize", "missing -o DIR/ (see --help)", ExitCode::usage);
    return stabilize_batch(args, output);
  }
  if (args.positional.empty())
    throw Error("stabilize", "expected an input file, several, or a directory (see --help)",
                ExitCode::usage);
  const StabilizeFiles files = check_stabilize(args);
  if (const auto served = start_mpi(args)) return *served;
  RunReport report(args);
  run_stabilize(args, files, console_hooks(args), &report);
  return 0;
}

}  // namespace sw::cli
