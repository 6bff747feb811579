#include "cli/passes.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <sstream>

#include "cli/command_runs.hpp"
#include "cli/console.hpp"
#include "cli/progress.hpp"
#include "core/error.hpp"
#include "core/temporary.hpp"
#include "core/trace.hpp"
#include "exec/mpi_session.hpp"
#include "report/compare.hpp"
#include "report/jitter.hpp"

namespace sw::cli {

namespace {

// Under MPI, this rank's own warnings say where they arose too (the others' already do).
void warn_run(const std::string& input, const std::vector<std::string>& warnings) {
  const std::string origin = exec::mpi::warning_origin();
  for (const auto& w : warnings) warn(input, w.starts_with("[rank ") ? w : origin + w);
}

}  // namespace

std::string compare_target(const Args& args, const std::string& input, const std::string& output) {
  const std::string compare = args.text("--compare");
  if (compare.empty()) return compare;
  std::string ext = std::filesystem::path(compare).extension().string();
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (ext != ".mp4" && ext != ".m4v" && ext != ".mov")
    throw Error("--compare",
                "expected a .mp4, .m4v or .mov name (it is written as MP4), got " + compare,
                ExitCode::usage);
  for (const std::string& name : {compare, input, output}) {
    if (name.find("://") != std::string::npos)
      throw Error("--compare",
                  "expected local files (the input and the output are decoded again), got " + name,
                  ExitCode::usage);
  }
  return compare;
}

void write_compare_video(const std::string& compare, const std::string& input,
                         const std::string& output, const exec::RunOptions& options, bool quiet) {
  if (compare.empty()) return;
  const auto start = std::chrono::steady_clock::now();
  const auto outcome =
      report::write_compare(input, output, compare, options.encode, std::max(1, options.threads));
  warn_all(compare, outcome.warnings);
  if (!quiet) {
    std::printf("%s: %lld frames side by side; %.1f s\n", compare.c_str(),
                static_cast<long long>(outcome.frames),
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
}

RunHooks console_hooks(const Args& args, const std::string& bar_prefix) {
  RunHooks hooks;
  hooks.bars = !args.flag("--quiet") && ProgressBar::stderr_is_terminal();
  hooks.bar_prefix = bar_prefix;
  return hooks;
}

exec::AnalysisOutcome analyze_pass(exec::Prepared& run, const exec::RunOptions& options,
                                   const RunHooks& hooks) {
  const auto total = static_cast<std::int64_t>(run.index.size());
  ProgressBar bar(hooks.bar_prefix + "analyse", total, hooks.bars);
  auto out = exec::analyze(run, options, [&](std::int64_t n) {
    bar.update(n);
    if (hooks.observer) hooks.observer("analyse", n, total);
  });
  bar.finish();
  warn_run(run.input, run.warnings);
  warn_run(run.input, out.warnings);
  return out;
}

path::PathResult path_pass(exec::Prepared& run, const exec::RunOptions& options,
                           const std::vector<Motion>& motions) {
  const auto frames = static_cast<std::int64_t>(motions.size());
  path::PathResult path = exec::plan(run, options, motions);
  if (path.invalid_pairs == frames - 1) {
    throw Error(run.input, "no motion could be measured in any of its " +
                               std::to_string(frames - 1) +
                               " frame pairs (black or featureless video?)");
  }
  if (path.invalid_pairs > 0) {
    warn(run.input, std::to_string(path.invalid_pairs) + " of " + std::to_string(frames - 1) +
                        " frame pairs had no usable features; their motion is interpolated "
                        "from the measured pairs around them");
  }
  // Asked for a still view or a level horizon, the user should hear where the crop bound
  // gave way (any other path gives way there too, but then it only smooths less).
  const std::int64_t limited = path::count_flags(path.limited);
  if (limited > 0 && (options.path.tripod || options.path.horizon_lock)) {
    warn(run.input, std::to_string(limited) + " of " + std::to_string(frames) + " frames could " +
                        "not be held " + (options.path.tripod ? "still" : "level") +
                        " within --max-zoom " + default_text(options.path.max_zoom) +
                        "; the path follows the camera there as little as it can");
  }
  return path;
}

std::string not_held_summary(const exec::RunOptions& options, const path::PathResult& path) {
  if (!options.path.tripod && !options.path.horizon_lock) return {};
  const std::int64_t limited = path::count_flags(path.limited);
  if (limited == 0) return {};
  return "; " + std::to_string(limited) + " of " + std::to_string(path.limited.size()) +
         " frames not held " + (options.path.tripod ? "still" : "level") +
         " (limited by --max-zoom)";
}

PlannedPath planned_path(const exec::Prepared& run, const exec::RunOptions& options,
                         const std::vector<Motion>& motions, const path::PathResult& path) {
  PlannedPath p;
  p.jitter_before_px =
      report::residual_jitter(path::measured_path(motions), run.info.width, run.info.height)
          .corner_px;
  p.jitter_after_px =
      report::residual_jitter(path.smoothed, run.info.width, run.info.height).corner_px;
  p.outliers = path::count_flags(path.outlier);
  p.invalid_pairs = path.invalid_pairs;
  p.not_held = not_held_summary(options, path);
  return p;
}

exec::RenderOutcome render_pass(exec::Prepared& run, const exec::RunOptions& options,
                                std::span<const Transform2D> corrections,
                                const exec::FillPath& fill, const std::string& output,
                                const RunHooks& hooks) {
  const auto total = static_cast<std::int64_t>(run.index.size());
  ProgressBar bar(hooks.bar_prefix + "render ", total, hooks.bars);
  auto out = exec::render(run, options, corrections, fill, output, [&](std::int64_t n) {
    bar.update(n);
    if (hooks.observer) hooks.observer("render", n, total);
  });
  bar.finish();
  warn_run(run.input, run.warnings);
  warn_run(run.input, out.warnings);
  return out;
}

namespace {

// "0, 3, 6" (or "none").
std::string segment_list(const std::vector<std::int64_t>& segments) {
  std::string text;
  for (const std::int64_t s : segments) text += (text.empty() ? "" : ", ") + std::to_string(s);
  return text.empty() ? "none" : text;
}

}  // namespace

void print_shard_summary(const std::string& store, std::int64_t segments, const char* pass,
                         const ShardWork& work, double seconds) {
  std::printf(
      "%s: shard %d/%d of %lld segments: %s %s; skipped (already in the store) %s; "
      "%.1f s\n",
      store.c_str(), work.shard.index, work.shard.count, static_cast<long long>(segments), pass,
      segment_list(work.done).c_str(), segment_list(work.skipped).c_str(), seconds);
}

FillSummary fill_summary(const exec::RenderOutcome& rendered) {
  render::FillCounts sum;
  FillSummary out;
  for (const auto& c : rendered.fill) {
    if (c.current + c.neighbour + c.fallback == 0) continue;  // rendered elsewhere or resumed
    ++out.frames;
    out.frames_with_fallback += c.fallback > 0 ? 1 : 0;
    sum.current += c.current;
    sum.neighbour += c.neighbour;
    sum.fallback += c.fallback;
    sum.ghost += c.ghost;
  }
  if (out.frames == 0) return out;
  const double all = static_cast<double>(sum.current + sum.neighbour + sum.fallback);
  out.neighbour_share = sum.neighbour / all;
  out.fallback_share = sum.fallback / all;
  out.ghost_share = sum.ghost / all;
  return out;
}

void print_fill_summary(const std::string& output, const FillSummary& fill) {
  if (fill.frames == 0) return;
  std::printf(
      "%s: full frame over %lld frames: %.2f %% of the pixels from neighbouring frames, %.3f %% "
      "edge fallback (%.3f %% for ghosting), %lld frames with fallback\n",
      output.c_str(), static_cast<long long>(fill.frames), 100 * fill.neighbour_share,
      100 * fill.fallback_share, 100 * fill.ghost_share,
      static_cast<long long>(fill.frames_with_fallback));
}

std::optional<int> start_mpi(const Args& args) {
  if (!exec::mpi::start(args.flag("--mpi")) || exec::mpi::rank() == 0) return std::nullopt;
  return exec::mpi::serve(process_stop_token());
}

RunReport::RunReport(const Args& args)
    : trace_(args.text("--trace")),
      quiet_(args.flag("--quiet")),
      verbose_(args.flag("--verbose")),
      start_(std::chrono::steady_clock::now()) {
  if (!trace_.empty()) trace::enable_events(0);
}

void RunReport::finish() {
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const std::string per_rank = exec::mpi::active() ? exec::mpi::finish(wall) : std::string();
  if (!trace_.empty()) trace::write_chrome_trace(trace_);
  if (!quiet_) {
    std::fputs(trace::format_table(wall).c_str(), stderr);
    if (verbose_) std::fputs(per_rank.c_str(), stderr);
  }
}

void write_path_csv(const std::string& file, const exec::Prepared& run,
                    const std::vector<Motion>& motions, const path::PathResult& path) {
  std::ostringstream out;
  {
    out.precision(17);
    out << "frame,pts,status,corners,tracked,inliers,dx,dy,da,x,y,a,smooth_x,smooth_y,smooth_a,"
           "lof,outlier,radius,corr_dx,corr_dy,corr_da,zoom,scene_score,cut,picture_diff,repeat,"
           "limited\n";
    for (std::size_t i = 0; i < motions.size(); ++i) {
      const Motion& m = motions[i];
      const auto& t = path.trajectory[i];
      const auto& s = path.smoothed[i];
      const auto& c = path.correction[i];
      out << i << ',' << run.index.pts[i] << ',' << to_string(m.status) << ',' << m.corners << ','
          << m.tracked << ',' << m.inliers << ',' << m.dx << ',' << m.dy << ',' << m.da << ','
          << t.x << ',' << t.y << ',' << t.a << ',' << s.x << ',' << s.y << ',' << s.a << ','
          << path.lof[i] << ',' << int(path.outlier[i]) << ',' << path.radius[i] << ',' << c.dx
          << ',' << c.dy << ',' << c.da << ',' << c.zoom << ',' << m.scene_score << ','
          << int(path.cut[i]) << ',' << m.picture_diff << ','
          << int(i < path.repeat.size() && path.repeat[i]) << ','
          << int(i < path.limited.size() && path.limited[i]) << '\n';
    }
  }
  write_file_atomically(file, out.str());
}

}  // namespace sw::cli
