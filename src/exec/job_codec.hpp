// A pass described for another process, and back: everything a rank needs to compute the same
// segments as rank 0 would, taken from rank 0's run rather than re-derived (the input path, the
// frame index, the segment plan, the parameters and, for render, the corrections). The bytes
// are a JobMessage (exec/rank_messages.hpp); the parameters travel as their structs' canonical
// JSON (core/param_codec.hpp), whole. Both sides must run the same build (checked).
#pragma once

#include <string>
#include <string_view>

#include "exec/analysis_runner.hpp"
#include "exec/rank_messages.hpp"
#include "exec/render_runner.hpp"

namespace sw::exec {

std::string encode_job(const AnalysisRun& run, const SegmentPlan& plan);
std::string encode_job(const RenderRun& run, const SegmentPlan& plan);

// Decodes a job and checks that it comes from this build; throws sw::Error("MPI", ...).
JobMessage decode_job(std::string_view bytes);

// The runs a decoded job describes, stopped by `stop`; they point into `job`, which must
// outlive them. Neither has a store, a progress callback, a distributor or piece paths: the
// serving side sets what it needs.
AnalysisRun analysis_run_of(const JobMessage& job, StopToken stop);
RenderRun render_run_of(const JobMessage& job, StopToken stop);

}  // namespace sw::exec
