// An Input (exec/input.hpp) whose frames come from the caller rather than a file: RGB frames
// (H, W, 3) uint8 handed over by index through a callback, N and the frame rate known up front.
// This is what the Python module's analyze(numpy array / dask array) stands on.
//
// The frames become luma exactly as a Zarr frames array's do (store::rgb_to_luma, see
// store/frame_array.hpp), with the same frame index (pts = k on 1/fps), so the same frames give
// the same motions whether they come from memory, a Zarr frames array or `--store-frames rgb`.
//
// Analysis only: render needs a video to take the other streams and the timing from, and
// --store-frames rgb would copy frames the caller already has (both refused with why).
// The kind cannot be rebuilt in another process (the frames live in this one), so an MPI or
// shard job naming it is refused (exec::input_of_kind finds no registered frames there).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/types.hpp"
#include "exec/input.hpp"

namespace sw::exec {

// Input::kind() of caller frames.
inline constexpr const char* kCallerFramesKind = "caller frames";

// Fills `rgb` with frame k (0 <= k < frames): height rows of 3 * width bytes, R G B, C order.
// Throws (anything) when the frame cannot be had; the run then fails with that exception.
using ReadRgbFrame = std::function<void(std::int64_t k, std::uint8_t* rgb)>;

struct CallerFrames {
  std::int64_t frames = 0;  // N; at least 2 to be analysed (exec::prepare checks)
  int width = 0;
  int height = 0;
  // Frames per second: the frame index's time base is its fraction (store::frames_fps, the
  // one a Zarr frames array's "fps" attribute gets).
  double fps = 30;
  // How errors and the store's description name the frames, e.g. "numpy array".
  std::string name = "frames";
  // Called from the analysis workers, ONE AT A TIME (the input serialises the calls, so a
  // callback that takes Python's GIL needs no lock of its own), in no particular order of k:
  // each worker reads its segment in order, the segments run side by side.
  ReadRgbFrame read;
};

// Caller frames made known under a name for as long as this object lives, so that code which
// opens its input by name (exec::prepare(path), hence the CLI's commands the Python module
// runs) finds them: input_for(name()) is their input. The name is
// "memory:<number>:<frames.name>", unique in the process; a name of that form that is not (or
// no longer) registered is refused with why, never read as a file.
class RegisteredFrames {
 public:
  explicit RegisteredFrames(CallerFrames frames);  // checks them as make_caller_frames_input
  ~RegisteredFrames();
  RegisteredFrames(const RegisteredFrames&) = delete;
  RegisteredFrames& operator=(const RegisteredFrames&) = delete;

  const std::string& name() const { return name_; }

 private:
  std::string name_;
};

// For exec/input_kind.cpp: whether `path` has a registered name's form, and its input (throws
// sw::Error(path, ...) when it is not registered in this process).
bool is_caller_frames_name(const std::string& path);
std::unique_ptr<Input> registered_frames_input(const std::string& path);

// Checks the frames' description (sizes within store/frame_array.hpp's limits, a usable fps, a
// callback) and makes the input; throws sw::Error(frames.name, "expected ..., got ...").
//
// Its fingerprint (the store's "this is the same input" check) is SHA-256 over N, H, W and the
// full bytes of 5 frames spread evenly over the clip (first and last included): reading every
// frame would cost a second pass over the video. Other frames changed in place are not seen,
// as a video's middle is not (io/fingerprint.hpp). Computed on first use, with a store only.
std::shared_ptr<Input> make_caller_frames_input(CallerFrames frames);

}  // namespace sw::exec
