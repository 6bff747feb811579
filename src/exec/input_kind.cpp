#include "exec/input_kind.hpp"

#include <array>
#include <string_view>

#include "core/error.hpp"
#include "exec/caller_frames_input.hpp"

namespace sw::exec {

namespace {

struct Kind {
  std::string_view name;                   // Input::kind()
  bool (*reads)(const std::string& path);  // null: the fallback (checked last)
  std::unique_ptr<Input> (*make)(const std::string& path);
};

// Frames in memory (exec/caller_frames_input.hpp) are made by their caller, never from a path,
// and another process cannot read them: a job naming them is refused, not misread as a video.
bool never(const std::string&) {
  return false;
}
std::unique_ptr<Input> refuse_caller_frames(const std::string& path) {
  throw Error("job", "input '" + path + "' is frames in another process's memory (kind '" +
                         kCallerFramesKind + "'); only the process holding them can analyse them");
}

// Tried in order; the first whose `reads` accepts the path wins.
const std::array<Kind, 3> kKinds = {{
    {"zarr frames", is_zarr_frames, make_zarr_frames_input},
    {kCallerFramesKind, never, refuse_caller_frames},
    {"video", nullptr, make_video_input},
}};

}  // namespace

std::unique_ptr<Input> input_for(const std::string& path) {
  for (const Kind& k : kKinds)
    if (!k.reads || k.reads(path)) return k.make(path);
  return make_video_input(path);
}

std::unique_ptr<Input> input_of_kind(const std::string& kind, const std::string& path) {
  for (const Kind& k : kKinds)
    if (k.name == kind) return k.make(path);
  throw Error("job", "unknown input kind '" + kind + "'");
}

}  // namespace sw::exec
