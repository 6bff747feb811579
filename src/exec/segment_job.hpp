// A pass described for another process: everything a rank needs to compute the same segments
// as rank 0 would, taken from rank 0's run rather than re-derived (the input path, the frame
// index, the segment plan, the parameters and, for render, the corrections). Encoded as CBOR
// (exact integers and doubles); parameter structs of plain data travel byte for byte, so a
// field added to them later travels too. Both sides must run the same stillwater version
// (checked).
#pragma once

#include <string>
#include <string_view>

#include "exec/analysis_runner.hpp"
#include "exec/render_runner.hpp"
#include "exec/segment_queue.hpp"

namespace sw::exec {

std::string encode_job(const AnalysisRun& run, const SegmentPlan& plan);
std::string encode_job(const RenderRun& run, const SegmentPlan& plan);

// Decodes `job` and works on it (serve_analysis / serve_render) until `queue` has no segment
// left. Render pieces are written to a scratch directory under the system's temporary
// directory, sent as bytes, and removed. Throws sw::Error.
void serve_job(std::string_view job, SegmentQueue& queue);

}  // namespace sw::exec
