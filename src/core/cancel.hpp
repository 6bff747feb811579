// The run's stop request: set by the SIGINT/SIGTERM handler (cli/main.cpp), checked by every
// long loop (decoding, the frame scan, assembly, the passes) between steps. A loop that sees it
// throws sw::Error(..., "interrupted", ExitCode::interrupted), so every temporary is removed by
// its owner while the exception unwinds, and the program exits with 130.
#pragma once

#include <atomic>
#include <string>

#include "core/error.hpp"

namespace sw {

extern std::atomic<bool> g_cancel;

inline void throw_if_cancelled(const std::string& subject) {
  if (g_cancel.load(std::memory_order_relaxed))
    throw Error(subject, "interrupted", ExitCode::interrupted);
}

}  // namespace sw
