// `stillwater metrics IN [OUT]`: residual jitter of a video, and of its stabilized version.
//
// Both files are analysed with the same motion estimator as `stabilize`; the measured camera
// path's residual jitter is reported (see report/jitter.hpp for the definition).
#include <cstdio>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli/commands.hpp"
#include "cli/console.hpp"
#include "cli/options.hpp"
#include "cli/passes.hpp"
#include "cli/progress.hpp"
#include "core/error.hpp"
#include "exec/pipeline.hpp"
#include "io/library_log.hpp"
#include "report/jitter.hpp"

namespace sw::cli {

namespace {

std::vector<Option> metrics_options() {
  const std::string cores = std::to_string(std::max(1u, std::thread::hardware_concurrency()));
  return {
      number_option("--analysis-width", "PX",
                    "width of the luma used for motion analysis; 0 = full size", "640", 0, 16384),
      number_option("--threads", "N", "worker threads", cores, 1, 1024),
      flag_option("--json", "print JSON instead of a table"),
      flag_option("--quiet", "no progress bars", 'q'),
      flag_option("--verbose", "also show FFmpeg's own log messages on stderr"),
      flag_option("--help", "show this help", 'h'),
  };
}

struct Measured {
  std::string file;
  std::int64_t frames = 0;
  std::int64_t invalid_pairs = 0;
  report::Jitter jitter;
};

Measured measure(const std::string& file, const exec::RunOptions& options, bool bars) {
  exec::Prepared run = exec::prepare(file, options);
  const auto analysis = analyze_pass(run, options, bars);
  Measured m;
  m.file = file;
  m.frames = static_cast<std::int64_t>(analysis.motions.size());
  for (std::size_t i = 1; i < analysis.motions.size(); ++i) {
    m.invalid_pairs += analysis.motions[i].valid() ? 0 : 1;
  }
  m.jitter = report::residual_jitter(exec::measured_path(analysis.motions), run.info.width,
                                     run.info.height);
  return m;
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
                           "what a viewer sees at the edges.",
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
  if (args.flag("--verbose")) io::set_library_log(true);
  const bool bars = !args.flag("--quiet") && ProgressBar::stderr_is_terminal();

  std::vector<Measured> results;
  for (const auto& file : args.positional) results.push_back(measure(file, options, bars));

  if (args.flag("--json")) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& m : results) {
      out.push_back({{"file", m.file},
                     {"frames", m.frames},
                     {"invalid_pairs", m.invalid_pairs},
                     {"jitter",
                      {{"translation_px", m.jitter.translation_px},
                       {"rotation_deg", m.jitter.rotation_deg},
                       {"corner_px", m.jitter.corner_px}}}});
    }
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
  }
  std::printf("%-40s %8s %8s %14s %13s %10s\n", "file", "frames", "invalid", "translation_px",
              "rotation_deg", "corner_px");
  for (const auto& m : results) {
    std::printf("%-40s %8lld %8lld %14.3f %13.4f %10.3f\n", m.file.c_str(),
                static_cast<long long>(m.frames), static_cast<long long>(m.invalid_pairs),
                m.jitter.translation_px, m.jitter.rotation_deg, m.jitter.corner_px);
  }
  return 0;
}

}  // namespace sw::cli
