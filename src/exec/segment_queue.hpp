// Where a pass's segments come from and where their results go.
//
// A pass (analysis or render) is a list of pending segments, a function that computes one
// (`SegmentWork`, run by a worker thread, returning the result as bytes) and a function that
// takes a finished segment's result (`SegmentResult`, run in the process that owns the results:
// it stages motions in the store, places a piece, draws progress).
//
// Workers pull from a SegmentQueue: next() gives the next segment, complete() hands its result
// on. Alone, a process uses LocalQueue (results go straight to SegmentResult in the worker's
// thread). Under MPI (exec/mpi_session.hpp), rank 0's workers and a dispatcher share one queue
// and the other ranks' workers pull through a client queue that carries each result to rank 0
// with the next request. The runners never know which one they run on: the work and the
// result functions are the same code, so the bytes are the same.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace sw::exec {

// Computes segment `segment` on worker `worker` (in [0, threads)) and returns its result.
using SegmentWork = std::function<std::string(int worker, std::int64_t segment)>;
// Takes a finished segment's result; called from any thread, concurrently for different
// segments, each segment once.
using SegmentResult = std::function<void(std::int64_t segment, std::string&& result)>;

class SegmentQueue {
 public:
  virtual ~SegmentQueue() = default;
  // The next segment for `worker`, or nothing when none is left (or the run failed).
  virtual std::optional<std::int64_t> next(int worker) = 0;
  // `segment` (last returned by next(worker)) is done.
  virtual void complete(int worker, std::int64_t segment, std::string&& result) = 0;
};

// A process working alone: pending segments in the given order, results to `on_result`.
class LocalQueue final : public SegmentQueue {
 public:
  LocalQueue(std::vector<std::int64_t> pending, SegmentResult on_result);
  std::optional<std::int64_t> next(int worker) override;
  void complete(int worker, std::int64_t segment, std::string&& result) override;
  // Stops handing out segments (another part of the run failed).
  void stop();

 private:
  std::vector<std::int64_t> pending_;
  SegmentResult on_result_;
  std::atomic<std::size_t> next_{0};
  std::atomic<bool> stopped_{false};
};

// Runs `threads` workers (at least 1; the calling thread when 1), each taking segments from
// `queue` until it has none left. The first exception thrown by `work` or the queue stops every
// worker from taking more and is rethrown once all have stopped.
void drain(SegmentQueue& queue, int threads, const SegmentWork& work);

// How a pass is spread over processes. Called in the process that owns the results; the
// pending segments may be computed here or elsewhere, but every result reaches `on_result`
// here. `job` describes the pass for other processes (exec/job_codec.hpp); it is only called
// when there are other processes. Returns the other processes' warnings, each naming where it
// arose (this process's own are its workers' to report).
class SegmentDistributor {
 public:
  virtual ~SegmentDistributor() = default;
  // True when segments may be computed by other processes (whose results come as bytes).
  virtual bool has_remote_workers() const = 0;
  virtual std::vector<std::string> run(const std::function<std::string()>& job,
                                       std::vector<std::int64_t> pending, int threads,
                                       const SegmentWork& work, const SegmentResult& on_result) = 0;
};

// distributor->run(...) or, without one, this process's threads over a LocalQueue; returns
// the other processes' warnings.
std::vector<std::string> run_segments(SegmentDistributor* distributor,
                                      const std::function<std::string()>& job,
                                      std::vector<std::int64_t> pending, int threads,
                                      const SegmentWork& work, const SegmentResult& on_result);

}  // namespace sw::exec
