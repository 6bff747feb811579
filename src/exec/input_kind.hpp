// The one place that chooses an Input (exec/input.hpp) for a path, and the one that rebuilds
// it from a kind name on another rank. Each kind's file provides its maker below.
#pragma once

#include <memory>
#include <string>

#include "exec/input.hpp"

namespace sw::exec {

// The input `path` is: frames in this process's memory (a "memory:..." name, see
// exec/caller_frames_input.hpp), a Zarr frames array (a directory holding .zarray), else a
// video file or s3:// object. Opens nothing expensive; Input::scan() does.
std::unique_ptr<Input> input_for(const std::string& path);

// The input of kind `kind` (Input::kind()) at `path`, as a job names it; throws
// sw::Error("job", ...) for a kind this build does not know.
std::unique_ptr<Input> input_of_kind(const std::string& kind, const std::string& path);

// The kinds (video_input.cpp, zarr_frames_input.cpp; caller_frames_input.hpp has its own).
std::unique_ptr<Input> make_video_input(const std::string& path);
bool is_zarr_frames(const std::string& path);  // a directory holding a .zarray file
std::unique_ptr<Input> make_zarr_frames_input(const std::string& path);

}  // namespace sw::exec
