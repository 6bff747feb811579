// The passes as the commands run them: with a progress bar, warnings on stderr, and the
// checks that turn "nothing could be measured" into one clear error.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "cli/options.hpp"
#include "exec/pipeline.hpp"

namespace sw::cli {

struct RunHooks;
struct FillSummary;

// The bars and the observer as `hooks` asks (cli/command_runs.hpp).
exec::AnalysisOutcome analyze_pass(exec::Prepared& run, const exec::RunOptions& options,
                                   const RunHooks& hooks);

// Runs the path stage and checks the measurements: an error when no pair at all could be
// measured, a warning with the count when some could not.
path::PathResult path_pass(exec::Prepared& run, const exec::RunOptions& options,
                           const std::vector<Motion>& motions);

// With --tripod or --horizon-lock, the end of the summary line that says how many frames the
// crop bound kept from being held ("; 46 of 315 frames not held still (limited by
// --max-zoom)"); empty when every frame was held or neither was asked for.
std::string not_held_summary(const exec::RunOptions& options, const path::PathResult& path);

// What the path stage planned, as the summaries of analyze and stabilize report it.
struct PlannedPath {
  double jitter_before_px = 0;  // report::residual_jitter of the measured and planned paths
  double jitter_after_px = 0;
  std::int64_t outliers = 0;
  std::int64_t invalid_pairs = 0;
  std::string not_held;  // not_held_summary()'s text, or empty
};
PlannedPath planned_path(const exec::Prepared& run, const exec::RunOptions& options,
                         const std::vector<Motion>& motions, const path::PathResult& path);

// Full frame (--crop fill) also needs `fill` (exec/pipeline.hpp); its counts are summed up
// on stdout unless quiet.
exec::RenderOutcome render_pass(exec::Prepared& run, const exec::RunOptions& options,
                                std::span<const Transform2D> corrections,
                                const exec::FillPath& fill, const std::string& output,
                                const RunHooks& hooks);

// Full frame: the shares of the pixels filled from neighbours and by the fallback.
FillSummary fill_summary(const exec::RenderOutcome& rendered);
// Its one line (nothing without fill counts).
void print_fill_summary(const std::string& output, const FillSummary& fill);

// What a shard (--shard K/N) did in a pass: the segments it computed, and those it found
// already in the store.
struct ShardWork {
  exec::Shard shard;
  std::vector<std::int64_t> done, skipped;
};

// A shard's summary line on stdout: which of its segments it did in `pass` ("analysed",
// "rendered") and which it skipped as already in the store.
void print_shard_summary(const std::string& store, std::int64_t segments, const char* pass,
                         const ShardWork& work, double seconds);

// --compare FILE: checks it before any work (a local .mp4/.m4v/.mov name, local input and
// output, since both are decoded again) and returns it; empty when not given.
std::string compare_target(const Args& args, const std::string& input, const std::string& output);

// Writes the side-by-side video (report/compare.hpp) once `output` is complete; nothing when
// `compare` is empty.
void write_compare_video(const std::string& compare, const std::string& input,
                         const std::string& output, const exec::RunOptions& options, bool quiet);

// MPI (--mpi, or started by mpirun/srun; see exec/mpi_session.hpp). On rank 0 and without MPI
// returns nothing and the command runs (run_options_from then gives it the distributor). On
// the other ranks it serves rank 0's passes and returns this process's exit code.
std::optional<int> start_mpi(const Args& args);

// Starts tracing when --trace was given, and at the end of the run writes the trace file and
// prints the per-stage table on stderr (unless quiet). Under MPI it first gathers every rank's
// spans (one table over all ranks; with `verbose`, one per rank too).
class RunReport {
 public:
  // --trace, --quiet and --verbose (per-rank tables) from the command line.
  explicit RunReport(const Args& args);
  void finish();

 private:
  std::string trace_;
  bool quiet_;
  bool verbose_;
  std::chrono::steady_clock::time_point start_;
};

// --path-csv: every per-frame number, written through a temporary name.
void write_path_csv(const std::string& file, const exec::Prepared& run,
                    const std::vector<Motion>& motions, const path::PathResult& path);

}  // namespace sw::cli
