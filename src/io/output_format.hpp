// What an output file name's container can hold, asked before a run names its output (batch
// stabilize keeps each input's container when it can take the encoded video).
#pragma once

#include <string>

namespace sw::io {

// Whether the container libavformat guesses from `file_name`'s extension can store the video
// that `encoder` (a libavcodec encoder name) writes. False when no container matches the
// extension or the container refuses that codec; true when libavformat cannot tell (the muxer
// then decides, as for any -o). An unknown encoder name is taken as H.264 (libx264, the default).
bool container_takes_encoder(const std::string& file_name, const std::string& encoder);

}  // namespace sw::io
