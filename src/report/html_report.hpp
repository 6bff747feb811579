// The HTML report: one self-contained file that opens offline, with the run's camera paths
// (raw and smoothed, outliers, invalid pairs and scene cuts marked), the LOF score and the
// crop/zoom per frame as interactive uPlot charts, the metrics table (report/summary.hpp), and
// input/output frames side by side at a few moments.
//
// Everything is inside the file: uPlot's minified JS and CSS (pinned in src/report/web/
// package.json, embedded at build time by src/report/CMakeLists.txt), the page's own
// report.js and report.css, the run's per-frame numbers as JSON, and the frames as base64
// JPEG. The page builds itself from the JSON; when every chart has drawn, <body> gets
// data-ok="1" (tests check that in headless Chromium).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/types.hpp"
#include "path/path.hpp"
#include "report/summary.hpp"

namespace sw::report {

// What a run knows, from memory (stabilize) or from a store (report).
struct RunData {
  std::string input;     // the input video, for frames; may be empty
  nlohmann::json attrs;  // the store's description (input, parameters), shown on the page
  int width = 0, height = 0;
  int analysis_width = 640;
  double lof_threshold = 1.5;
  // The run was rendered with `--crop fill`: the snapshots also show the filled area.
  bool full_frame = false;
  std::vector<Motion> motions;
  path::PathResult path;
};

// What `stabilize` has in memory at the end of a run.
RunData run_data(const std::string& input, int width, int height, int analysis_width,
                 double lof_threshold, std::span<const Motion> motions,
                 const path::PathResult& path);

// Reads a run store written by `stabilize --store` or `analyze` (a directory or an s3://
// prefix) through store::RunStore. Throws sw::Error naming the store when it has no analysis
// or no path yet.
RunData load_run(const std::string& location);

struct ReportOptions {
  std::string output_video;  // the stabilized video; without it no frames are shown
  bool measure = false;      // also measure input vs output from the pictures (decodes both)
  int snapshots = 4;         // moments shown side by side
  int snapshot_width = 560;  // pixels, each frame
  int analysis_width = 640;  // for the measured metrics
};

// A JPEG frame pair at one moment.
struct Snapshot {
  std::int64_t frame = 0;
  bool outlier = false;
  std::string before_b64, after_b64;
  // Full frame only: the output with the area filled from other frames tinted, and its share.
  std::string filled_b64;
  double filled_share = 0;
};

// Frames shown: evenly spread moments plus the frame with the largest LOF when it is an
// outlier, sorted.
std::vector<std::int64_t> snapshot_frames(const RunData& run, int count);

// Decodes input and output in lockstep up to the last wanted frame (one frame of each in
// memory) and encodes the wanted ones, scaled to `width`, as JPEG; for a full-frame run also
// the output with its filled area tinted (report/filled_area.hpp).
std::vector<Snapshot> take_snapshots(const RunData& run, const std::string& output,
                                     const std::vector<std::int64_t>& frames, int width);

// The page as a string; `measured` adds the measured column and per-frame curves.
std::string render_html(const RunData& run, const Summary& planned,
                        const std::optional<Summary>& measured,
                        const std::vector<Snapshot>& snapshots, const std::string& snapshot_note);

// Everything above: writes `html_file` through a temporary name. Warnings (frames that could
// not be shown, ...) are returned for the caller to print.
std::vector<std::string> write_report(const std::string& html_file, const RunData& run,
                                      const ReportOptions& options);

}  // namespace sw::report
