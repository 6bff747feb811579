// SegmentSource over a video file (io::VideoReader with the run's FrameIndex), and over a Zarr
// array of RGB frames (analysis input as dask.array.to_zarr writes it).
#pragma once

#include <string>

#include "exec/segment_source.hpp"
#include "io/video_reader.hpp"

namespace sw::exec {

// `index` must outlive the sources the factory makes.
SourceFactory video_source_factory(const std::string& path, const FrameIndex& index,
                                   const io::ReaderOptions& options);

// True when `path` is a directory holding a Zarr array (a .zarray file).
bool is_zarr_frames(const std::string& path);

SourceFactory zarr_source_factory(const std::string& path);

}  // namespace sw::exec
