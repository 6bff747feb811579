// The side-by-side video (--compare): input | stabilized output, for a quick look, as people
// make by hand with ffmpeg's hstack.
//
// Made after the output is finished, by decoding the input and the output together frame by
// frame (frame k of the output is frame k of the input), so it shows exactly what was written.
// Each half has the output's size (the input is cut to it, as the encoder cuts an odd 4:2:0
// size), so the result is twice the output's width; each frame keeps the output frame's pts,
// and the encoder settings are the output's. Labelled "input" and "stabilized" at the top
// left of each half. The file is MP4 (video only, no display matrix), written under a
// temporary name and renamed when complete.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "io/encode_options.hpp"

namespace sw::report {

struct CompareOutcome {
  std::int64_t frames = 0;
  std::vector<std::string> warnings;
};

// Throws sw::Error naming the file at fault (unreadable input or output, cannot write).
CompareOutcome write_compare(const std::string& input, const std::string& output,
                             const std::string& compare, const io::EncodeOptions& encode,
                             int decoder_threads = 1);

}  // namespace sw::report
