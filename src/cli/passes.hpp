// The passes as the commands run them: with a progress bar, warnings on stderr, and the
// checks that turn "nothing could be measured" into one clear error.
#pragma once

#include <string>

#include "exec/pipeline.hpp"

namespace sw::cli {

exec::AnalysisOutcome analyze_pass(exec::Prepared& run, const exec::RunOptions& options, bool bars);

// Runs the path stage and checks the measurements: an error when no pair at all could be
// measured, a warning with the count when some could not.
path::PathResult path_pass(exec::Prepared& run, const exec::RunOptions& options,
                           const std::vector<Motion>& motions);

exec::RenderOutcome render_pass(exec::Prepared& run, const exec::RunOptions& options,
                                std::span<const Transform2D> corrections, const std::string& output,
                                bool bars);

// --path-csv: every per-frame number, written through a temporary name.
void write_path_csv(const std::string& file, const exec::Prepared& run,
                    const std::vector<Motion>& motions, const path::PathResult& path);

}  // namespace sw::cli
