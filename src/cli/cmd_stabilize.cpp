// `stillwater stabilize IN -o OUT`: prepare, analysis pass, path stage, render pass.
#include <cstdio>

#include "cli/commands.hpp"
#include "cli/console.hpp"
#include "cli/options.hpp"
#include "cli/output_path.hpp"
#include "cli/passes.hpp"
#include "cli/progress.hpp"
#include "cli/run_options.hpp"
#include "core/error.hpp"
#include "report/html_report.hpp"
#include "report/jitter.hpp"

namespace sw::cli {

namespace {

constexpr unsigned kGroups = kExecGroup | kAnalysisGroup | kPathGroup | kRenderGroup;

std::vector<Option> stabilize_options() {
  std::vector<Option> t = {
      text_option("--output", "FILE",
                  "the stabilized video to write (container from the extension)", "", 'o'),
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

constexpr const char* kDescription =
    "Reads IN, measures the camera motion between consecutive frames (Shi-Tomasi corners, "
    "pyramidal\nLucas-Kanade, RANSAC partial affine on the luma), plans a smooth camera path "
    "per shot (by default\nthe L1-optimal path inside the smallest crop the shot needs, see "
    "--smoother and --crop), and\nwrites OUT with every frame warped onto it, all other "
    "streams (audio, data) copied, timestamps\nand metadata kept. OUT is written under a "
    "temporary name and renamed when complete. With\n--store, a killed run resumes where it "
    "stopped when the same command is run again.";

}  // namespace

int cmd_stabilize(std::span<char* const> argv) {
  const auto table = stabilize_options();
  const Args args = parse_args(argv, table);
  if (args.flag("--help")) {
    std::fputs(format_help("stillwater stabilize IN -o OUT [OPTIONS]", kDescription, table).c_str(),
               stdout);
    return 0;
  }
  const std::string input = single_positional(args, "stabilize", "input file");
  const std::string output = args.text("--output");
  if (output.empty()) throw Error("stabilize", "missing -o OUT (see --help)", ExitCode::usage);
  configure_s3(args);
  if (const auto served = start_mpi(args)) return *served;
  check_output_paths({input, args.text("--store")},
                     {output, args.text("--report"), args.text("--path-csv"), args.text("--trace"),
                      args.text("--compare")},
                     args.flag("--overwrite"));
  const std::string compare = compare_target(args, input, output);
  apply_verbose(args);
  const bool quiet = args.flag("--quiet");
  const bool bars = !quiet && ProgressBar::stderr_is_terminal();
  const exec::RunOptions options = run_options_from(args, kGroups);

  RunReport report(options, quiet, args.flag("--verbose"));
  exec::Prepared run = exec::prepare(input, options);
  const auto analysis = analyze_pass(run, options, bars);
  const path::PathResult path = path_pass(run, options, analysis.motions);
  if (args.given("--path-csv"))
    write_path_csv(args.text("--path-csv"), run, analysis.motions, path);
  const std::vector<Transform2D> camera = exec::camera_transforms(path.trajectory);
  const auto rendered =
      render_pass(run, options, path.correction, {camera, path.cut}, output, bars);

  if (!quiet) {
    const auto frames = static_cast<std::int64_t>(analysis.motions.size());
    const auto before = report::residual_jitter(path::measured_path(analysis.motions),
                                                run.info.width, run.info.height);
    const auto after = report::residual_jitter(path.smoothed, run.info.width, run.info.height);
    std::int64_t outliers = 0;
    for (auto flag : path.outlier) outliers += flag;
    std::printf(
        "%s: %lld frames in %zu segments; analysis %.1f s (%.0f fps), render %.1f s (%.0f fps); "
        "jitter %.2f px -> %.2f px (planned); %lld outliers, %lld invalid pairs\n",
        output.c_str(), static_cast<long long>(frames), run.plan.segments.size(), analysis.seconds,
        frames / std::max(1e-9, analysis.seconds), rendered.seconds,
        frames / std::max(1e-9, rendered.seconds), before.corner_px, after.corner_px,
        static_cast<long long>(outliers), static_cast<long long>(path.invalid_pairs));
    print_fill_summary(output, rendered);
  }
  write_compare_video(compare, input, output, options, quiet);
  report.finish();
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
  return 0;
}

}  // namespace sw::cli
