// The one check of every file a command writes (-o, --report, --path-csv, --trace), made before
// any work starts, so a run fails in its first second, not after the analysis. Each output:
//  - is none of the inputs (the input video, the store, --input/--video), even through another
//    name (a hard or symbolic link, "./x"), and with -y too;
//  - is not another output of the same run;
//  - does not exist, unless overwrite (-y); is not a directory; its directory exists and is
//    writable.
// Only the first output (-o) may be s3://BUCKET/KEY; it is checked with a HEAD (configure_s3
// must have run). The files themselves are then written exclusively and renamed into place
// (core/temporary.hpp: write_file_atomically, and io's muxer).
#pragma once

#include <string>
#include <vector>

namespace sw::cli {

// Empty names (options not given) are skipped. Throws sw::Error naming the offending output.
void check_output_paths(const std::vector<std::string>& inputs,
                        const std::vector<std::string>& outputs, bool overwrite);

}  // namespace sw::cli
