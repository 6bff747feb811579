// A pass described for another process: everything a rank needs to compute the same segments
// as rank 0 would, taken from rank 0's run rather than re-derived (the input path, the frame
// index, the segment plan, the parameters and, for render, the corrections). The bytes are a
// JobMessage (exec/rank_messages.hpp). Both sides must run the same build (core/build_id.hpp,
// checked).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "exec/analysis_runner.hpp"
#include "exec/render_runner.hpp"
#include "exec/segment_queue.hpp"

namespace sw::exec {

std::string encode_job(const AnalysisRun& run, const SegmentPlan& plan);
std::string encode_job(const RenderRun& run, const SegmentPlan& plan);

// Decodes `job` and works on it (serve_analysis / serve_render) until `queue` has no segment
// left; returns the warnings of this process's readers. Render pieces are written to a private
// scratch directory under the system's temporary directory, sent as bytes, and removed.
// Throws sw::Error.
std::vector<std::string> serve_job(std::string_view job, SegmentQueue& queue);

}  // namespace sw::exec
