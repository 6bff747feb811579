// stillwater._core's frames in and out (issue 16), for python/stillwater/frames.py:
//  * RegisteredFrames: frames held by Python (a callable k -> (H, W, 3) uint8 array) made the
//    input of a run under a name (exec/caller_frames_input.hpp), so `analyze` takes that name;
//  * FramesArrayWriter: frames of unknown number written one by one into a Zarr frames array
//    (store/frame_array.hpp), sized when the last one is in;
//  * warp: one frame warped by a correction row as the render warps it (render/warp_rgb.hpp).
// Bad frames, sizes and values are stillwater.UsageError (a ValueError) naming the problem.
#pragma once

#include <pybind11/pybind11.h>

namespace sw::python {

void register_frames(pybind11::module_& m);

}  // namespace sw::python
