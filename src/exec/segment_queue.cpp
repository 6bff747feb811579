#include "exec/segment_queue.hpp"

#include <exception>
#include <mutex>
#include <thread>

namespace sw::exec {

LocalQueue::LocalQueue(std::vector<std::int64_t> pending, SegmentResult on_result)
    : pending_(std::move(pending)), on_result_(std::move(on_result)) {}

std::optional<std::int64_t> LocalQueue::next(int) {
  if (stopped_.load()) return std::nullopt;
  const std::size_t i = next_.fetch_add(1);
  if (i >= pending_.size()) return std::nullopt;
  return pending_[i];
}

void LocalQueue::complete(int, std::int64_t segment, std::string&& result) {
  on_result_(segment, std::move(result));
}

void LocalQueue::stop() {
  stopped_.store(true);
}

void drain(SegmentQueue& queue, int threads, const SegmentWork& work) {
  std::atomic<bool> failed{false};
  std::exception_ptr first_error;
  std::mutex error_mutex;

  auto worker = [&](int id) {
    try {
      while (!failed.load()) {
        const auto segment = queue.next(id);
        if (!segment) break;
        queue.complete(id, *segment, work(id, *segment));
      }
    } catch (...) {
      std::lock_guard lock(error_mutex);
      if (!first_error) first_error = std::current_exception();
      failed.store(true);
    }
  };
  if (threads <= 1) {
    worker(0);
  } else {
    std::vector<std::jthread> pool;
    for (int id = 0; id < threads; ++id) pool.emplace_back(worker, id);
  }
  if (first_error) std::rethrow_exception(first_error);
}

std::vector<std::string> run_segments(SegmentDistributor* distributor,
                                      const std::function<std::string()>& job,
                                      std::vector<std::int64_t> pending, int threads,
                                      const SegmentWork& work, const SegmentResult& on_result) {
  if (distributor) return distributor->run(job, std::move(pending), threads, work, on_result);
  LocalQueue queue(std::move(pending), on_result);
  drain(queue, threads, work);
  return {};
}

}  // namespace sw::exec
