// `stillwater report RUN.zarr -o REPORT.html`: the HTML report of a stored run (charts of the
// camera path, LOF and crop, the metrics table, frames before and after), one self-contained
// file that opens offline (see report/html_report.hpp).
#include <cstdio>

#include "cli/commands.hpp"
#include "cli/console.hpp"
#include "cli/options.hpp"
#include "cli/output_path.hpp"
#include "cli/run_options.hpp"
#include "core/error.hpp"
#include "report/html_report.hpp"

namespace sw::cli {

namespace {

std::vector<Option> report_options() {
  std::vector<Option> t = {
      text_option("--output", "FILE", "the HTML file to write", "", 'o'),
      flag_option("--overwrite", "overwrite FILE if it exists (never an input)", 'y'),
      text_option("--input", "FILE",
                  "the input video, for frames (default: the path recorded in the store)", ""),
      text_option("--video", "FILE",
                  "the stabilized video, for frames before/after (none: no frames shown)", ""),
      flag_option("--measure",
                  "also measure input vs stabilized video from the pictures (decodes both; "
                  "needs --video)"),
      number_option("--frames", "N", "moments shown before/after", "4", 0, 64),
      s3_endpoint_option(),
  };
  append_console_options(t, "no summary line");
  return t;
}

}  // namespace

int cmd_report(std::span<char* const> argv) {
  const auto table = report_options();
  const Args args = parse_args(argv, table);
  if (args.flag("--help")) {
    std::fputs(format_help("stillwater report RUN.zarr|s3://BUCKET/PREFIX -o REPORT.html [OPTIONS]",
                           "Writes an HTML report of a run store: interactive charts of the raw "
                           "and smoothed camera\npath with outliers, invalid pairs and scene cuts, "
                           "the LOF score and the crop per frame, the\nmetrics table (planned from "
                           "the corrections; measured too with --measure) and frames\nof the input "
                           "and the stabilized video side by side. One file, opens offline.",
                           table)
                   .c_str(),
               stdout);
    return 0;
  }
  const std::string store = single_positional(args, "report", "store");
  const std::string html = args.text("--output");
  if (html.empty()) throw Error("report", "missing -o REPORT.html (see --help)", ExitCode::usage);
  if (args.flag("--measure") && args.text("--video").empty())
    throw Error("report", "--measure needs --video OUT (see --help)", ExitCode::usage);
  apply_verbose(args);
  configure_s3(args);

  report::RunData run = report::load_run(store);
  if (args.given("--input")) run.input = args.text("--input");
  // After load_run: the input video recorded in the store is an input too.
  check_output_paths({store, run.input, args.text("--video")}, {html}, args.flag("--overwrite"));
  report::ReportOptions options;
  options.output_video = args.text("--video");
  options.measure = args.flag("--measure");
  options.snapshots = static_cast<int>(args.integer("--frames"));
  options.analysis_width = run.analysis_width;
  const auto warnings = report::write_report(html, run, options);
  warn_all(store, warnings);
  if (!args.flag("--quiet")) {
    std::printf("%s: report of %zu frames\n", html.c_str(), run.motions.size());
  }
  return 0;
}

}  // namespace sw::cli
