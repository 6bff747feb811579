// Stopping a run: the SIGINT/SIGTERM handler (cli/main.cpp) sets the process's interrupt flag;
// the command hands a StopToken on that flag down to the passes (exec's RunOptions, the jobs a
// rank serves), and every long loop checks the token it was given between steps. A loop that
// sees a stop throws sw::Error(..., "interrupted", ExitCode::interrupted), so every temporary is
// removed by its owner while the exception unwinds, and the program exits with 130.
//
// Not std::stop_token: a signal handler may only touch lock-free atomics, and
// std::stop_source::request_stop() runs callbacks under a lock. The token only reads the flag.
#pragma once

#include <atomic>
#include <string>

#include "core/error.hpp"

namespace sw {

class StopToken {
 public:
  StopToken() = default;  // never stops
  explicit StopToken(const std::atomic<bool>& flag) : flag_(&flag) {}

  bool stop_requested() const { return flag_ && flag_->load(std::memory_order_relaxed); }
  void throw_if_stopped(const std::string& subject) const {
    if (stop_requested()) throw Error(subject, "interrupted", ExitCode::interrupted);
  }

 private:
  const std::atomic<bool>* flag_ = nullptr;
};

// The process's interrupt flag, set by the signal handler (and nothing else). Exec receives it
// as a StopToken; io and store loops below exec (the frame scan, the pieces' assembly, S3
// uploads) still read it here through throw_if_cancelled.
extern std::atomic<bool> g_cancel;

inline StopToken process_stop_token() {
  return StopToken(g_cancel);
}

inline void throw_if_cancelled(const std::string& subject) {
  process_stop_token().throw_if_stopped(subject);
}

}  // namespace sw
