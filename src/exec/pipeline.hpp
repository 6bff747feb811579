// The pipeline of one run: analysis pass -> path stage -> render pass.
//
//   analyze(): decode (luma only, native depth) -> MotionEstimator per consecutive pair.
//              Holds one decoded frame and two downscaled luma frames at a time.
//   plan_path() (path/): per-frame numbers only.
//   render():  decode again -> warp each frame by its correction -> encode -> mux with every
//              other stream copied. Holds one input and one output frame at a time (plus the
//              codec's own bounded delay).
// Memory therefore does not depend on the video's length, apart from the per-frame numbers
// (a Motion and a Transform2D per frame, under 100 bytes).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "core/types.hpp"
#include "io/video_transcoder.hpp"
#include "motion/estimator.hpp"
#include "path/path.hpp"
#include "render/warp.hpp"

namespace sw::exec {

// Called with the number of frames done so far (and once more at the end).
using ProgressFn = std::function<void(std::int64_t frames_done)>;

// Set from a signal handler; the passes check it between frames and throw sw::Error
// (ExitCode::interrupted), so every temporary file is cleaned up by its owner.
extern std::atomic<bool> g_cancel;

struct AnalysisResult {
  VideoInfo info;
  motion::AnalysisGeometry geometry;
  std::vector<Motion> motions;    // one per frame; motions[0] is frame 0 (first_frame)
  std::vector<std::int64_t> pts;  // per frame, on info.time_base
  std::vector<std::string> warnings;
  double seconds = 0;
};

struct AnalyzeOptions {
  motion::MotionParams motion;
  int decoder_threads = 1;
};

AnalysisResult analyze(const std::string& input, const AnalyzeOptions& options,
                       const ProgressFn& progress = {});

struct RenderOptions {
  render::WarpParams warp;
  io::EncodeOptions encode;
  int decoder_threads = 1;
};

struct RenderResult {
  std::int64_t frames = 0;
  std::vector<std::string> warnings;
  double seconds = 0;
};

// corrections[i] is applied to frame i; frames beyond the end (which only a stream that decodes
// differently the second time could produce) are an error.
RenderResult render(const std::string& input, const std::string& output,
                    std::span<const Transform2D> corrections, const RenderOptions& options,
                    const ProgressFn& progress = {});

// The camera path measured from motions (composed, invalid pairs as no motion).
std::vector<path::Vec3> measured_path(std::span<const Motion> motions);

}  // namespace sw::exec
