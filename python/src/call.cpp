#include "call.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>

namespace py = pybind11;

namespace sw::python {

namespace {

// What the worker thread and the waiting thread share.
struct Progress {
  std::mutex mutex;
  std::condition_variable changed;
  bool finished = false;
  std::exception_ptr error;
  std::string pass;
  int pass_index = -1;  // which of the call's passes (0, 1, ...) the numbers are for
  std::int64_t done = 0;
  std::int64_t total = 0;
  bool fresh = false;  // numbers not yet handed to the callable
};

}  // namespace

void run_released(const std::function<void(const cli::RunHooks&)>& work, const py::object& progress,
                  int passes) {
  Progress shared;
  std::atomic<bool> stop{false};
  cli::RunHooks hooks;
  hooks.stop = StopToken(stop);
  hooks.observer = [&](const std::string& pass, std::int64_t done, std::int64_t total) {
    std::lock_guard lock(shared.mutex);
    if (pass != shared.pass) {
      shared.pass = pass;
      ++shared.pass_index;
    }
    shared.done = done;
    shared.total = total;
    shared.fresh = true;
  };

  std::thread worker;
  {
    py::gil_scoped_release release;
    worker = std::thread([&] {
      try {
        work(hooks);
      } catch (...) {
        shared.error = std::current_exception();
      }
      std::lock_guard lock(shared.mutex);
      shared.finished = true;
      shared.changed.notify_all();
    });
  }

  // The first Python exception raised while waiting (Ctrl-C, or one from the callable); the
  // passes are stopped and it is raised once they have ended.
  std::optional<py::error_already_set> raised;
  const bool report = !progress.is_none();
  for (;;) {
    bool finished = false;
    bool fresh = false;
    std::int64_t done = 0, total = 0;
    int pass_index = 0;
    {
      py::gil_scoped_release release;
      std::unique_lock lock(shared.mutex);
      shared.changed.wait_for(lock, std::chrono::milliseconds(100),
                              [&] { return shared.finished; });
      finished = shared.finished;
      fresh = shared.fresh;
      shared.fresh = false;
      done = shared.done;
      total = shared.total;
      pass_index = std::max(0, shared.pass_index);
    }
    if (!raised && PyErr_CheckSignals() != 0) {
      raised.emplace();  // takes the pending KeyboardInterrupt (or the handler's exception)
      stop = true;
    }
    if (!raised && report && fresh && total > 0) {
      try {
        progress(pass_index * total + done, passes * total);
      } catch (py::error_already_set& e) {
        raised.emplace(std::move(e));
        stop = true;
      }
    }
    if (finished) break;
  }
  {
    py::gil_scoped_release release;
    worker.join();
  }
  if (raised) throw std::move(*raised);
  if (shared.error) std::rethrow_exception(shared.error);
}

}  // namespace sw::python
