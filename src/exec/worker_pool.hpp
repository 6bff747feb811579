// Runs a job per segment on a pool of threads. Segments are handed out in plan order to
// whichever worker is free (dynamic, so one slow segment does not hold the others back), but
// each job writes only its own results, so the outcome never depends on the number of workers
// or on the order they finish in.
#pragma once

#include <cstdint>
#include <functional>

namespace sw::exec {

// Calls job(worker, segment) for every segment in [0, segments) on `threads` workers
// (worker in [0, threads)); make_worker_state-style setup belongs in the job's closure,
// indexed by worker. The first exception thrown by a job stops the hand-out of new segments
// and is rethrown here once every worker has stopped.
void for_each_segment(std::int64_t segments, int threads,
                      const std::function<void(int worker, std::int64_t segment)>& job);

}  // namespace sw::exec
