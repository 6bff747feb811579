// The metrics summary of a stabilization: what `stillwater metrics IN OUT` measures from the two
// videos, and what `stabilize` and `report` can say from the plan alone.
//
//   stability   Liu et al. 2013's stability score of the input's and the output's own
//               frame-to-frame motion (report/stability.hpp);
//   jitter      residual jitter of both camera paths (report/jitter.hpp);
//   cropping    mean and worst (minimum) over frames of the output -> input scale
//   distortion  mean and worst (minimum) anisotropy of the output -> input affine part
//               (report/frame_metrics.hpp; 1 = none);
//   border      mean and maximum fraction of output pixels that are border fill (and the
//               input's own, for reference); and what the stabilizer added: per frame, the
//               output's border minus the input frame's own (black bars, a black frame), its
//               maximum over frames and the number of frames where it is visible.
//
// measure_videos() decodes both videos in lockstep (two io::VideoReaders, one frame of each in
// memory) and measures everything from the pictures: the output's motion with the same
// estimator the analysis uses, cropping/distortion from a fitted homography per frame, border
// from the pixels.
// planned_summary() uses what a run already knows instead of decoding: the output's path is the
// smoothed path, cropping/distortion come from the corrections' matrices (exactly 1/zoom and 1
// for stillwater's similarity warps), and the border is the share of output pixels whose
// source falls outside the input frame (filled whatever --border is), sampled on a grid.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "core/types.hpp"
#include "path/path.hpp"
#include "report/jitter.hpp"
#include "report/stability.hpp"

namespace sw::report {

struct Spread {
  double mean = 1;
  double worst = 1;  // the minimum over frames, as the paper reports it
};

struct VideoSide {
  std::string file;
  int width = 0, height = 0;
  std::int64_t frames = 0;
  std::int64_t invalid_pairs = 0;
  StabilityScore stability;
  Jitter jitter;
  double border_mean = 0;
  double border_max = 0;
};

// A frame shows added border when more than this share of its pixels is border fill that its
// input frame did not have: 0.1 %, a 1-pixel line along the long side of a 1080p frame is
// 0.05 %, a wedge of 45 x 45 pixels at a corner 0.1 %.
constexpr double kVisibleBorder = 0.001;

struct AddedBorder {
  double max = 0;           // the largest per-frame share of added border pixels
  std::int64_t frames = 0;  // frames with more than kVisibleBorder of it
};

struct Summary {
  bool planned = false;  // true: from the plan (no output decoded); false: measured
  VideoSide input, output;
  AddedBorder border_added;
  std::int64_t fitted_frames = 0;  // frames where input -> output could be fitted
  Spread cropping, distortion;
  // Per output frame (NaN where a frame could not be fitted), for the report's plots.
  std::vector<double> cropping_per_frame, distortion_per_frame, border_per_frame;
  std::vector<std::string> warnings;
};

struct MeasureOptions {
  int analysis_width = 640;
  int decoder_threads = 1;
};

using FrameProgress = std::function<void(std::int64_t frames_done)>;

// Throws sw::Error on unreadable input. Stops at the shorter video (with a warning when the
// frame counts differ).
Summary measure_videos(const std::string& input, const std::string& output,
                       const MeasureOptions& options, const FrameProgress& progress = {});

// `motions` and `path` as the analysis and path stages produced them, `width` x `height` the
// input's coded size.
Summary planned_summary(std::span<const Motion> motions, const path::PathResult& path, int width,
                        int height, int analysis_width);

// A few lines for a terminal.
std::string format_summary(const Summary& s);
// {input: {...}, output: {...}, cropping, distortion, ...}.
nlohmann::json to_json(const Summary& s);
nlohmann::json to_json(const VideoSide& v);

}  // namespace sw::report
