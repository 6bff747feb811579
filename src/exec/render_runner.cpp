#include "exec/render_runner.hpp"

#include <atomic>
#include <memory>
#include <mutex>

#include "core/error.hpp"
#include "core/trace.hpp"
#include "exec/pipeline.hpp"
#include "exec/worker_pool.hpp"
#include "io/segment_encoder.hpp"
#include "io/video_reader.hpp"

namespace sw::exec {

namespace {

// Renders segment s into its piece: decode from its keyframe, skip frames before `begin`,
// warp and encode [begin, end). A frame's duration comes from the index (the next frame's
// pts), so a piece's last frame lasts the same whatever the split.
std::int64_t render_segment(const RenderRun& run, io::VideoReader& reader, const Segment& s) {
  trace::Span span("segment", "render " + std::to_string(s.index), s.frames());
  const auto& pts = run.index->pts;
  io::SegmentEncoder encoder(run.piece_path(s.index), run.encode, reader.stream_params());
  reader.seek_to_frame(s.decode_from);
  FrameView frame;
  while (true) {
    {
      trace::Span decode("decode", {}, 1);
      if (!reader.next(frame)) break;
    }
    if (g_cancel.load(std::memory_order_relaxed)) {
      throw Error(run.input, "interrupted", ExitCode::interrupted);
    }
    if (frame.index < s.begin) continue;
    if (frame.index >= s.end) break;
    const auto i = static_cast<std::size_t>(frame.index);
    {
      trace::Span warp("warp", {}, 1);
      render::warp_frame(frame, run.corrections[i], run.warp, encoder.begin_frame());
    }
    const std::int64_t duration = i + 1 < pts.size() ? pts[i + 1] - pts[i] : 0;
    trace::Span encode("encode", {}, 1);
    encoder.encode(frame.pts, duration);
  }
  trace::Span flush("encode", "flush");
  encoder.finish();
  return encoder.frames();
}

}  // namespace

RenderStats run_render(const RenderRun& run, const SegmentPlan& plan, const std::string& output) {
  const auto segments = static_cast<std::int64_t>(plan.segments.size());
  const int workers = static_cast<int>(
      std::clamp<std::int64_t>(run.threads, 1, std::max<std::int64_t>(1, segments)));
  // Frame-threaded decoding gives identical pixels, so spare threads go to the decoder.
  io::ReaderOptions reader_options;
  reader_options.convert_to_8bit_yuv = true;
  reader_options.index = run.index;
  reader_options.decoder_threads = std::max(1, run.threads / workers);

  std::vector<std::unique_ptr<io::VideoReader>> readers(static_cast<std::size_t>(workers));
  std::atomic<std::int64_t> done{0}, resumed{0};
  std::mutex progress_mutex;
  for_each_segment(segments, workers, [&](int worker, std::int64_t k) {
    const Segment& s = plan.segments[static_cast<std::size_t>(k)];
    if (run.piece_done && run.piece_done(s.index)) {
      ++resumed;
    } else {
      auto& reader = readers[static_cast<std::size_t>(worker)];
      if (!reader) reader = std::make_unique<io::VideoReader>(run.input, reader_options);
      render_segment(run, *reader, s);
    }
    const std::int64_t frames_done = done += s.frames();
    if (run.progress) {
      std::lock_guard lock(progress_mutex);
      run.progress(frames_done);
    }
  });

  RenderStats stats;
  stats.resumed_segments = resumed.load();
  for (const auto& reader : readers) {
    if (!reader) continue;
    for (const auto& w : reader->warnings()) stats.warnings.push_back(w);
  }
  std::vector<std::string> pieces;
  for (const auto& s : plan.segments) pieces.push_back(run.piece_path(s.index));
  {
    trace::Span mux("mux", "assemble " + std::to_string(pieces.size()) + " pieces", done.load());
    io::assemble_pieces(run.input, pieces, output, stats.warnings);
  }
  stats.frames = done.load();
  return stats;
}

}  // namespace sw::exec
