// Checks made before any work starts, so a run fails in its first second, not after the
// analysis: the output is not the input, does not exist (unless -y), and its directory exists.
// An s3://BUCKET/KEY output is checked with a HEAD (configure_s3 must have run).
#pragma once

#include <string>

namespace sw::cli {

void check_output_path(const std::string& input, const std::string& output, bool overwrite);

}  // namespace sw::cli
