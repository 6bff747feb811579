// Running a stillwater pass from Python: the C++ work runs on a thread of its own without the
// GIL, while the calling thread waits in short steps, each time taking the GIL to hand the
// progress to the user's callable and to check for Ctrl-C.
//
// Why a thread: Python runs its signal handlers (KeyboardInterrupt) only on the main thread,
// and only when that thread calls into the interpreter. Waiting there in 100 ms steps lets a
// Ctrl-C reach us while the C++ loops run; it then sets the call's own stop flag (each call has
// one, so a Ctrl-C stops this call's passes and nothing else in the process), waits for the
// passes to unwind (they remove their temporaries, as the binary does on SIGINT), and raises
// KeyboardInterrupt. The progress callable is called on the calling thread with the GIL held,
// at most every 100 ms and once at the end of each pass.
#pragma once

#include <pybind11/pybind11.h>

#include <functional>

#include "cli/command_runs.hpp"

namespace sw::python {

// `passes`: how many passes the call runs (stabilize: analysis and render), so that progress
// counts frames over all of them: (done, total) with total = passes x frames.
void run_released(const std::function<void(const cli::RunHooks&)>& work,
                  const pybind11::object& progress, int passes);

}  // namespace sw::python
