// HDR10 static metadata (io/stream_params.hpp HdrMetadata) between libav's side data and the
// encoders: read from a stream's side data or a decoded frame's, written back as stream side
// data (MP4 mdcv/clli boxes, Matroska MasteringMetadata) and as x264/x265 SEI parameters.
#pragma once

#include <string>

#include "io/av_ptr.hpp"
#include "io/stream_params.hpp"

namespace sw::io {

// The stream's HDR side data; where it has none, the frame's (decoders attach the SEI there).
HdrMetadata hdr_metadata_of(const AVStream& stream, const AVFrame* frame);

// Adds `hdr` to `out` as stream side data, for the kinds `out` does not have yet.
void add_hdr_side_data(AVStream* out, const HdrMetadata& hdr, const std::string& path);

// The x265-params (x265: "master-display=...:max-cll=N,M") or x264-params (x264:
// "mastering-display=...:cll=N,M") that put `hdr` into the bitstream's SEI; empty without HDR.
std::string hdr_encoder_params(const HdrMetadata& hdr, bool x265);

}  // namespace sw::io
