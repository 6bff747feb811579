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

// Tried in order; the first whose `reads` accepts the path wins. Frames in a caller's memory
// (exec/caller_frames_input.hpp) go first: their names are looked up, never opened.
const std::array<Kind, 3> kKinds = {{
    {kCallerFramesKind, is_caller_frames_name, registered_frames_input},
    {"zarr frames", is_zarr_frames, make_zarr_frames_input},
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
