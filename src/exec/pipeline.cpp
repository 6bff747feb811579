#include "exec/pipeline.hpp"

#include <chrono>

#include "core/error.hpp"
#include "io/video_reader.hpp"

namespace sw::exec {

std::atomic<bool> g_cancel{false};

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void throw_if_cancelled(const std::string& path) {
  if (g_cancel.load(std::memory_order_relaxed)) {
    throw Error(path, "interrupted", ExitCode::interrupted);
  }
}

}  // namespace

AnalysisResult analyze(const std::string& input, const AnalyzeOptions& options,
                       const ProgressFn& progress) {
  const auto start = std::chrono::steady_clock::now();
  io::ReaderOptions reader_options;
  reader_options.decoder_threads = options.decoder_threads;
  io::VideoReader reader(input, reader_options);

  AnalysisResult result;
  result.info = reader.info();
  motion::MotionEstimator estimator(result.info.width, result.info.height, options.motion);
  result.geometry = estimator.geometry();
  if (result.info.frame_count > 0) {
    result.motions.reserve(static_cast<std::size_t>(result.info.frame_count));
    result.pts.reserve(static_cast<std::size_t>(result.info.frame_count));
  }

  FrameView frame;
  while (reader.next(frame)) {
    throw_if_cancelled(input);
    result.motions.push_back(estimator.push(frame));
    result.pts.push_back(frame.pts);
    if (progress) progress(static_cast<std::int64_t>(result.motions.size()));
  }
  result.warnings = reader.warnings();
  result.seconds = seconds_since(start);
  return result;
}

RenderResult render(const std::string& input, const std::string& output,
                    std::span<const Transform2D> corrections, const RenderOptions& options,
                    const ProgressFn& progress) {
  const auto start = std::chrono::steady_clock::now();
  io::VideoTranscoder transcoder(input, output, options.encode, options.decoder_threads);
  std::int64_t done = 0;
  RenderResult result;
  result.frames = transcoder.run([&](const FrameView& in, MutableFrameView& out) {
    throw_if_cancelled(input);
    const auto index = static_cast<std::size_t>(in.index);
    if (index >= corrections.size()) {
      throw Error(input, "decoded more frames the second time (" + std::to_string(in.index + 1) +
                             ") than the analysis saw (" + std::to_string(corrections.size()) +
                             ")");
    }
    render::warp_frame(in, corrections[index], options.warp, out);
    if (progress) progress(++done);
  });
  transcoder.finish();
  result.warnings = transcoder.warnings();
  result.seconds = seconds_since(start);
  return result;
}

std::vector<path::Vec3> measured_path(std::span<const Motion> motions) {
  std::vector<path::Vec3> rows;
  rows.reserve(motions.size());
  for (const Motion& m : motions) {
    rows.push_back(m.valid() ? path::Vec3{m.dx, m.dy, m.da} : path::Vec3{});
  }
  return path::compose(rows);
}

}  // namespace sw::exec
