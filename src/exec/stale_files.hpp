// A run killed with SIGKILL cannot clean up after itself: its temporary files (an output being
// muxed, a chunk being written, a pieces directory) stay behind, each named with the pid that
// wrote it. The next run removes those whose process no longer exists; files of a run still
// going on (e.g. another rank writing into the same store) are left alone.
#pragma once

#include <filesystem>

namespace sw::exec {

// Returns the number of entries removed. Names recognised:
//   .<file>.stillwater-<pid>.tmp          (io's muxer: outputs and render pieces)
//   .<file>.stillwater-pieces-<pid>/      (render pieces of a run without a store)
//   <key>.tmp-<pid>-<n>                   (the store's atomic writes)
int remove_stale_temporaries(const std::filesystem::path& dir, bool recursive);

}  // namespace sw::exec
