// What a store records about a run, and resumes only under: the input (name, size,
// fingerprint, stream facts, build), the analysis parameters and the path parameters, each the
// canonical JSON of its parameter struct (core/param_codec.hpp), and the arrays' compressor.
#pragma once

#include <string>
#include <vector>

#include "exec/run.hpp"
#include "store/run_store.hpp"

namespace sw::exec {

store::RunDescription run_description(const Prepared& run, const RunOptions& options);

// The names --store-compressor takes, in table order (the first is RunOptions' default).
std::vector<std::string> store_compressor_names();

}  // namespace sw::exec
