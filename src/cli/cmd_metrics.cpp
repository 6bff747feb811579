// `stillwater metrics IN [OUT]`: how shaky a video is, and with OUT (its stabilized version)
// how well it was stabilized.
//
// IN alone: analysed with the same motion estimator as `stabilize` (segments on threads); the
// residual jitter (report/jitter.hpp) and the stability score (report/stability.hpp).
// IN OUT: both decoded in lockstep, one frame of each in memory (report/summary.hpp): both
// videos' jitter, stability and border fill, and the cropping ratio and distortion of OUT
// against IN (report/frame_metrics.hpp), after Liu et al., SIGGRAPH 2013.
#include <cstdio>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli/command_runs.hpp"
#include "cli/commands.hpp"
#include "cli/console.hpp"
#include "cli/options.hpp"
#include "cli/passes.hpp"
#include "cli/progress.hpp"
#include "cli/run_options.hpp"
#include "core/error.hpp"
#include "exec/pipeline.hpp"
#include "report/jitter.hpp"
#include "report/summary.hpp"

namespace sw::cli {

namespace {

std::vector<Option> metrics_options() {
  const std::string cores = std::to_string(std::max(1u, std::thread::hardware_concurrency()));
  std::vector<Option> t = {
      number_option("--analysis-width", "PX",
                    "width of the luma used for motion analysis; 0 = full size", "640", 0, 16384),
      number_option("--threads", "N", "worker threads", cores, 1, 1024),
      flag_option("--json", "print JSON instead of a table"),
  };
  append_console_options(t, "no progress bars");
  return t;
}

report::VideoSide measure(const std::string& file, const exec::RunOptions& options,
                          const RunHooks& hooks) {
  exec::Prepared run = exec::prepare(file, options);
  const auto analysis = analyze_pass(run, options, hooks);
  report::VideoSide m;
  m.file = file;
  m.width = run.info.width;
  m.height = run.info.height;
  m.frames = static_cast<std::int64_t>(analysis.motions.size());
  for (std::size_t i = 1; i < analysis.motions.size(); ++i) {
    m.invalid_pairs += analysis.motions[i].valid() ? 0 : 1;
  }
  m.jitter = report::residual_jitter(path::measured_path(analysis.motions), run.info.width,
                                     run.info.height);
  m.stability = report::stability_score(
      analysis.motions,
      report::analysis_noise_floor(run.info.width, run.info.height, options.motion.analysis_width));
  return m;
}

int compare(const std::string& input, const std::string& output, const exec::RunOptions& options,
            bool bars, bool json) {
  ProgressBar bar("compare", -1, bars);
  const report::Summary s =
      report::measure_videos(input, output, {options.motion.analysis_width, options.threads},
                             [&](std::int64_t n) { bar.update(n); });
  bar.finish();
  warn_all(input, s.warnings);
  if (json) {
    std::printf("%s\n", report::to_json(s).dump(2).c_str());
    return 0;
  }
  std::printf("%s vs %s, %lld frames\n%s", input.c_str(), output.c_str(),
              static_cast<long long>(s.input.frames), report::format_summary(s).c_str());
  return 0;
}

}  // namespace

int cmd_metrics(std::span<char* const> argv) {
  const auto table = metrics_options();
  const Args args = parse_args(argv, table);
  if (args.flag("--help")) {
    std::fputs(format_help("stillwater metrics IN [OUT] [OPTIONS]",
                           "Measures the residual jitter of IN (and OUT): the camera path, minus "
                           "its own centred\n31-frame moving average, RMS. translation_px: x/y; "
                           "rotation_deg: angle; corner_px: the\nframe corners' displacement, "
                           "what a viewer sees at the edges. Stability: the share of\nthe "
                           "frame-to-frame motion's spectral energy in its lowest frequencies "
                           "(Liu et al.,\nSIGGRAPH 2013; 1 = smooth). With OUT, both are decoded "
                           "frame by frame together and\nOUT is also compared with IN: cropping "
                           "ratio (output -> input scale, 1/zoom; mean and\nworst), distortion "
                           "(anisotropy of that map, 1 = none) and border fill (share of black\n"
                           "fill pixels touching the frame edge).",
                           table)
                   .c_str(),
               stdout);
    return 0;
  }
  if (args.positional.empty() || args.positional.size() > 2) {
    throw Error(
        "metrics",
        "expected IN [OUT], got " + std::to_string(args.positional.size()) + " files (see --help)",
        ExitCode::usage);
  }
  exec::RunOptions options;
  options.motion.analysis_width = static_cast<int>(args.integer("--analysis-width"));
  options.threads = static_cast<int>(args.integer("--threads"));
  options.stop = process_stop_token();
  apply_verbose(args);
  const bool bars = !args.flag("--quiet") && ProgressBar::stderr_is_terminal();

  if (args.positional.size() == 2) {
    return compare(args.positional[0], args.positional[1], options, bars, args.flag("--json"));
  }
  const report::VideoSide m = measure(args.positional[0], options, console_hooks(args));
  if (args.flag("--json")) {
    nlohmann::json out = nlohmann::json::array();
    auto side = report::to_json(m);
    side.erase("border_fraction");  // only measured when comparing with an output
    out.push_back(side);
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
  }
  std::printf("%-40s %8s %8s %14s %13s %10s %10s\n", "file", "frames", "invalid", "translation_px",
              "rotation_deg", "corner_px", "stability");
  std::printf("%-40s %8lld %8lld %14.3f %13.4f %10.3f %10.3f\n", m.file.c_str(),
              static_cast<long long>(m.frames), static_cast<long long>(m.invalid_pairs),
              m.jitter.translation_px, m.jitter.rotation_deg, m.jitter.corner_px,
              m.stability.overall);
  return 0;
}

}  // namespace sw::cli
