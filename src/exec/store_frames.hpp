// --store-frames: the analysis pass also writes frames into the store, luma at analysis size
// or RGB at full size (one frame per chunk, store/frame_array.hpp).
#pragma once

#include <memory>

#include "exec/analysis_runner.hpp"
#include "exec/run.hpp"
#include "store/frame_array.hpp"

namespace sw::exec {

// Sets job.on_frame to write the frames options.store_frames asks for into run's store; the
// returned writer must outlive the pass. Null (and job untouched) for none or without a store.
std::unique_ptr<store::FrameArrayWriter> keep_frames(Prepared& run, const RunOptions& options,
                                                     AnalysisRun& job);

}  // namespace sw::exec
