#include "exec/worker_pool.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace sw::exec {

void for_each_segment(std::int64_t segments, int threads,
                      const std::function<void(int worker, std::int64_t segment)>& job) {
  const int workers =
      static_cast<int>(std::clamp<std::int64_t>(threads, 1, std::max<std::int64_t>(1, segments)));
  std::atomic<std::int64_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr first_error;
  std::mutex error_mutex;

  auto work = [&](int worker) {
    for (std::int64_t s; !failed.load() && (s = next.fetch_add(1)) < segments;) {
      try {
        job(worker, s);
      } catch (...) {
        std::lock_guard lock(error_mutex);
        if (!first_error) first_error = std::current_exception();
        failed.store(true);
      }
    }
  };
  if (workers == 1) {
    work(0);
  } else {
    std::vector<std::jthread> pool;
    for (int w = 0; w < workers; ++w) pool.emplace_back(work, w);
  }
  if (first_error) std::rethrow_exception(first_error);
}

}  // namespace sw::exec
