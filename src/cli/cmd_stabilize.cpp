// `stillwater stabilize IN -o OUT`: analysis pass, path stage, render pass.
#include <cstdio>
#include <fstream>
#include <thread>

#include "cli/commands.hpp"
#include "cli/console.hpp"
#include "cli/options.hpp"
#include "cli/output_path.hpp"
#include "cli/progress.hpp"
#include "core/error.hpp"
#include "exec/pipeline.hpp"
#include "io/library_log.hpp"
#include "report/jitter.hpp"

namespace sw::cli {

namespace {

std::vector<Option> stabilize_options() {
  const std::string cores = std::to_string(std::max(1u, std::thread::hardware_concurrency()));
  return {
      text_option("--output", "FILE",
                  "the stabilized video to write (container from the extension)", "", 'o'),
      flag_option("--overwrite", "overwrite FILE if it exists (never the input)", 'y'),
      number_option("--analysis-width", "PX",
                    "width of the luma used for motion analysis; 0 = full size", "640", 0, 16384),
      number_option("--radius", "N", "moving-average half width in frames (window 2N+1)", "30", 0,
                    100000),
      choice_option("--outliers", "POLICY",
                    "LOF outlier policy: adaptive = wider window for flagged frames, recipe = the "
                    "original script's replacement, none = plain moving average",
                    "adaptive", {"adaptive", "recipe", "none"}),
      number_option("--zoom", "Z", "fixed zoom about the centre that hides most borders", "1.04", 1,
                    4),
      choice_option("--border", "MODE", "fill for pixels that fall outside the frame", "black",
                    {"black", "replicate", "mirror"}),
      text_option("--encoder", "NAME", "video encoder (any libavcodec encoder)", "libx264"),
      number_option("--crf", "N", "encoder quality (libx264/libx265)", "20", 0, 51),
      text_option("--preset", "NAME", "encoder preset (libx264/libx265)", "veryfast"),
      number_option("--encoder-threads", "N",
                    "encoder threads; fixed so the output bytes never depend on the machine", "2",
                    1, 64),
      number_option("--threads", "N", "decoder threads (results do not depend on it)", cores, 1,
                    256),
      text_option("--path-csv", "FILE",
                  "also write the per-frame numbers (motion, path, LOF, correction) as CSV", ""),
      flag_option("--quiet", "no progress bars and no summary", 'q'),
      flag_option("--verbose", "also show FFmpeg's own log messages on stderr"),
      flag_option("--help", "show this help", 'h'),
  };
}

constexpr const char* kDescription =
    "Reads IN, measures the camera motion between consecutive frames (Shi-Tomasi corners, "
    "pyramidal\nLucas-Kanade, RANSAC partial affine on the luma), smooths the camera path with "
    "a moving average\n(frames that Local Outlier Factor flags are treated by --outliers), "
    "and writes OUT with every frame\nwarped by its correction, all other streams (audio, "
    "data) copied, timestamps and metadata kept.\nOUT is written under a temporary name and "
    "renamed when complete.";

path::OutlierPolicy parse_policy(const std::string& name) {
  if (name == "recipe") return path::OutlierPolicy::recipe;
  if (name == "none") return path::OutlierPolicy::none;
  return path::OutlierPolicy::adaptive;
}

render::Border parse_border(const std::string& name) {
  if (name == "replicate") return render::Border::replicate;
  if (name == "mirror") return render::Border::mirror;
  return render::Border::black;
}

void write_path_csv(const std::string& file, const exec::AnalysisResult& analysis,
                    const path::PathResult& path) {
  const std::string tmp = file + ".tmp";
  {
    std::ofstream out(tmp);
    if (!out) throw Error(file, "cannot write");
    out.precision(17);
    out << "frame,pts,status,corners,tracked,inliers,dx,dy,da,x,y,a,smooth_x,smooth_y,smooth_a,"
           "lof,outlier,radius,corr_dx,corr_dy,corr_da,zoom\n";
    for (std::size_t i = 0; i < analysis.motions.size(); ++i) {
      const Motion& m = analysis.motions[i];
      const auto& t = path.trajectory[i];
      const auto& s = path.smoothed[i];
      const auto& c = path.correction[i];
      out << i << ',' << analysis.pts[i] << ',' << to_string(m.status) << ',' << m.corners << ','
          << m.tracked << ',' << m.inliers << ',' << m.dx << ',' << m.dy << ',' << m.da << ','
          << t.x << ',' << t.y << ',' << t.a << ',' << s.x << ',' << s.y << ',' << s.a << ','
          << path.lof[i] << ',' << int(path.outlier[i]) << ',' << path.radius[i] << ',' << c.dx
          << ',' << c.dy << ',' << c.da << ',' << c.zoom << '\n';
    }
    if (!out.flush()) throw Error(file, "write failed");
  }
  std::rename(tmp.c_str(), file.c_str());
}

}  // namespace

int cmd_stabilize(std::span<char* const> argv) {
  const auto table = stabilize_options();
  const Args args = parse_args(argv, table);
  if (args.flag("--help")) {
    std::fputs(format_help("stillwater stabilize IN -o OUT [OPTIONS]", kDescription, table).c_str(),
               stdout);
    return 0;
  }
  if (args.positional.size() != 1) {
    throw Error("stabilize",
                "expected exactly one input file, got " + std::to_string(args.positional.size()) +
                    " (see --help)",
                ExitCode::usage);
  }
  const std::string input = args.positional[0];
  const std::string output = args.text("--output");
  if (output.empty()) throw Error("stabilize", "missing -o OUT (see --help)", ExitCode::usage);
  check_output_path(input, output, args.flag("--overwrite"));

  const bool quiet = args.flag("--quiet");
  if (args.flag("--verbose")) io::set_library_log(true);
  const bool bars = !quiet && ProgressBar::stderr_is_terminal();
  const int threads = static_cast<int>(args.integer("--threads"));

  exec::AnalyzeOptions analyze_options;
  analyze_options.motion.analysis_width = static_cast<int>(args.integer("--analysis-width"));
  analyze_options.decoder_threads = threads;

  path::PathParams path_params;
  path_params.radius = static_cast<int>(args.integer("--radius"));
  path_params.outliers = parse_policy(args.text("--outliers"));
  path_params.zoom = args.real("--zoom");

  exec::RenderOptions render_options;
  render_options.warp.border = parse_border(args.text("--border"));
  render_options.encode.encoder = args.text("--encoder");
  render_options.encode.crf = static_cast<int>(args.integer("--crf"));
  render_options.encode.preset = args.text("--preset");
  render_options.encode.encoder_threads = static_cast<int>(args.integer("--encoder-threads"));
  render_options.decoder_threads = threads;

  exec::AnalysisResult analysis;
  {
    ProgressBar bar("analyse", -1, bars);
    analysis = exec::analyze(input, analyze_options, [&](std::int64_t n) { bar.update(n); });
    bar.finish();
  }
  warn_all(input, analysis.warnings);
  const auto frames = static_cast<std::int64_t>(analysis.motions.size());
  if (frames < 2) {
    throw Error(input, "has only " + std::to_string(frames) +
                           " video frame; stabilization needs at least 2");
  }
  const path::PathResult path = path::plan_path(analysis.motions, path_params);
  if (path.invalid_pairs == frames - 1) {
    throw Error(input, "no motion could be measured in any of its " + std::to_string(frames - 1) +
                           " frame pairs (black or featureless video?)");
  }
  if (path.invalid_pairs > 0) {
    warn(input, std::to_string(path.invalid_pairs) + " of " + std::to_string(frames - 1) +
                    " frame pairs had no usable features; they are treated as no camera motion");
  }
  if (args.given("--path-csv")) write_path_csv(args.text("--path-csv"), analysis, path);

  exec::RenderResult rendered;
  {
    ProgressBar bar("render ", frames, bars);
    rendered = exec::render(input, output, path.correction, render_options,
                            [&](std::int64_t n) { bar.update(n); });
    bar.finish();
  }
  warn_all(input, rendered.warnings);
  if (rendered.frames != frames) {
    warn(input, "rendered " + std::to_string(rendered.frames) + " frames, analysed " +
                    std::to_string(frames));
  }

  if (!quiet) {
    const auto raw = exec::measured_path(analysis.motions);
    const auto before = report::residual_jitter(raw, analysis.info.width, analysis.info.height);
    const auto after =
        report::residual_jitter(path.smoothed, analysis.info.width, analysis.info.height);
    std::int64_t outliers = 0;
    for (auto flag : path.outlier) outliers += flag;
    std::printf(
        "%s: %lld frames; analysis %.1f s (%.0f fps), render %.1f s (%.0f fps); "
        "jitter %.2f px -> %.2f px (planned); %lld outliers, %lld invalid pairs\n",
        output.c_str(), static_cast<long long>(frames), analysis.seconds,
        frames / std::max(1e-9, analysis.seconds), rendered.seconds,
        frames / std::max(1e-9, rendered.seconds), before.corner_px, after.corner_px,
        static_cast<long long>(outliers), static_cast<long long>(path.invalid_pairs));
  }
  return 0;
}

}  // namespace sw::cli
