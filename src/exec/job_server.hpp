// The serving side of a distributed pass (a rank other than 0, exec/mpi_session.hpp): decodes
// the job (exec/job_codec.hpp) and works on its segments until the queue has none left.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/cancel.hpp"
#include "exec/segment_queue.hpp"

namespace sw::exec {

// Works on `job` (serve_analysis / serve_render) until `queue` has no segment left; returns
// the warnings of this process's readers. Render pieces are written to a private scratch
// directory under the system's temporary directory, sent as bytes, and removed.
// Throws sw::Error.
std::vector<std::string> serve_job(std::string_view job, SegmentQueue& queue, StopToken stop = {});

}  // namespace sw::exec
