// The one place that tells a run's input kinds apart: a video file (or s3:// object) or a Zarr
// frames array (store/frame_array.hpp). Opening and scanning it, and making its segment
// sources, switch on Prepared::zarr_frames here and nowhere else in the pipeline.
#pragma once

#include <string>

#include "exec/run.hpp"
#include "exec/segment_source.hpp"
#include "io/video_reader.hpp"

namespace sw::exec {

// Fills run.input, zarr_frames, info, index and warnings: a video is probed (the precise error
// for a bad file) and its frame index scanned without decoding (until `stop`).
void open_input(const std::string& input, Prepared& run, StopToken stop);

// The analysis pass's segment sources.
SourceFactory analysis_sources(const Prepared& run, const io::ReaderOptions& reader);

}  // namespace sw::exec
