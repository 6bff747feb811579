// The option groups shared by stabilize, analyze and render, and how they become
// exec::RunOptions. One table row per option (cli/options.hpp), so --help and validation agree.
#pragma once

#include <vector>

#include "cli/options.hpp"
#include "exec/pipeline.hpp"

namespace sw::cli {

enum OptionGroup : unsigned {
  kExecGroup = 1,      // --threads, --segment-frames, --store, --s3-endpoint, --trace
  kAnalysisGroup = 2,  // --analysis-width, --ignore, --store-frames
  kPathGroup = 4,      // --radius, --outliers, --zoom
  kRenderGroup = 8,    // --border, --encoder, --crf, --preset, --encoder-threads
};

void append_options(std::vector<Option>& table, unsigned groups);

// --s3-endpoint: in the exec group, and alone in commands that read a store but run nothing
// (report).
Option s3_endpoint_option();

// Sets the process's S3 settings from the environment and --s3-endpoint (exec group); call it
// before anything touches an s3:// name (the output check, the input, the store).
void configure_s3(const Args& args);

// --quiet (in the command's own words), --verbose and --help: every command has them.
void append_console_options(std::vector<Option>& table, const std::string& quiet_help);

// --verbose: libav's own log on stderr (main() silences it).
void apply_verbose(const Args& args);

// Reads the groups' values (given or default) into RunOptions.
exec::RunOptions run_options_from(const Args& args, unsigned groups);

}  // namespace sw::cli
