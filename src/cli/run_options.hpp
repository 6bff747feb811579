// The option groups shared by stabilize, analyze and render, and how they become
// exec::RunOptions. One table row per option (cli/options.hpp), so --help and validation agree.
#pragma once

#include <vector>

#include "cli/options.hpp"
#include "exec/pipeline.hpp"

namespace sw::cli {

enum OptionGroup : unsigned {
  kExecGroup = 1,      // --threads, --segment-frames, --store
  kAnalysisGroup = 2,  // --analysis-width, --store-frames
  kPathGroup = 4,      // --radius, --outliers, --zoom
  kRenderGroup = 8,    // --border, --encoder, --crf, --preset, --encoder-threads
};

void append_options(std::vector<Option>& table, unsigned groups);

// Reads the groups' values (given or default) into RunOptions.
exec::RunOptions run_options_from(const Args& args, unsigned groups);

}  // namespace sw::cli
