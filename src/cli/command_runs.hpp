// The work of `stabilize` (one file), `analyze` and `render` once their command line is
// parsed, as functions that return what the command prints. The binary (cmd_*.cpp) prints the
// summaries; the Python module (python/) parses its keyword arguments into the same Args with
// the same option tables and returns them, so both run the same code with the same defaults,
// checks and messages.
//
// The order every caller keeps: parse_args with the command's table, check_*() (usage errors
// and the S3 settings), [the binary: start_mpi], RunReport, run_*(), report.finish(). The
// summaries are printed by run_*() themselves unless --quiet, because the side-by-side video's
// line and --metrics' text follow them on stdout; the analysis summary by the command.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cli/options.hpp"
#include "cli/passes.hpp"
#include "core/cancel.hpp"
#include "core/types.hpp"
#include "exec/pipeline.hpp"

namespace sw::cli {

// How a run reports while it works and how it is stopped.
struct RunHooks {
  bool bars = false;       // progress bars on stderr
  std::string bar_prefix;  // starts the bars' labels (batch: "[2/5] ")
  // Called with the pass ("analyse" or "render"), the frames done and the pass's total, from
  // the thread that runs the pass's progress (not necessarily the caller's).
  std::function<void(const std::string& pass, std::int64_t done, std::int64_t total)> observer;
  StopToken stop = process_stop_token();  // the run's options get it (exec::RunOptions::stop)
};

// The binary's: progress bars on a terminal unless --quiet, the process's stop flag.
RunHooks console_hooks(const Args& args, const std::string& bar_prefix = "");

// Full frame (--crop fill): where the pixels of the rendered frames came from.
struct FillSummary {
  std::int64_t frames = 0;  // frames rendered here with fill counts (not resumed)
  std::int64_t frames_with_fallback = 0;
  double neighbour_share = 0;  // of all filled-or-not pixels, from neighbouring frames
  double fallback_share = 0;   // edge fallback
  double ghost_share = 0;      // fallback because of ghosting
};

struct AnalyzeSummary {
  std::string store;
  std::int64_t frames = 0;
  std::int64_t segments = 0;
  std::int64_t resumed_segments = 0;
  std::int64_t overhead_frames = 0;  // decoded beyond the segments' own frames
  double seconds = 0;
  PlannedPath path;  // --shard: left empty (no path stage)
  // --shard: what this shard did.
  std::optional<ShardWork> shard;
};

struct RenderSummary {
  std::string output;
  std::string store;
  std::int64_t frames = 0;
  std::int64_t segments = 0;
  std::int64_t resumed_segments = 0;
  double seconds = 0;
  FillSummary fill;
  std::string not_held;            // --replan with --tripod / --horizon-lock (not_held_summary)
  std::optional<ShardWork> shard;  // --shard: what this shard did; nothing assembled
};

struct StabilizeSummary {
  std::string output;
  std::string store;
  std::int64_t frames = 0;
  std::int64_t segments = 0;
  double analysis_seconds = 0;
  double render_seconds = 0;
  PlannedPath path;
  FillSummary fill;
  std::optional<ShardWork> shard;  // --shard: an analysis shard; nothing else ran
};

// The commands' option tables.
std::vector<Option> stabilize_options();
std::vector<Option> analyze_options();
std::vector<Option> render_options();

// The usage checks (one input, the required options; sw::Error with ExitCode::usage), then the
// S3 settings (configure_s3). Return the input (and stabilize's output).
struct StabilizeFiles {
  std::string input;
  std::string output;
};
StabilizeFiles check_stabilize(const Args& args);  // one input file, not a batch
std::string check_analyze(const Args& args);
std::string check_render(const Args& args);

// `report` is finished after the summary, before --metrics' text (the binary's order).
StabilizeSummary run_stabilize(const Args& args, const StabilizeFiles& files, const RunHooks& hooks,
                               RunReport* report = nullptr);
AnalyzeSummary run_analyze(const Args& args, const std::string& input, const RunHooks& hooks);
// `corrections` non-empty: render these (one per frame, e.g. computed in Python) instead of the
// store's array; the render key hashes them, so no piece of other corrections is reused.
RenderSummary run_render(const Args& args, const std::string& input, const RunHooks& hooks,
                         std::span<const Transform2D> corrections = {});

// The summaries as the binary prints them on stdout.
void print_summary(const StabilizeSummary& s);
void print_summary(const AnalyzeSummary& s);
void print_summary(const RenderSummary& s);

}  // namespace sw::cli
