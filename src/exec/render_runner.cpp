#include "exec/render_runner.hpp"

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <fstream>
#include <memory>
#include <mutex>
#include <sstream>

#include "core/error.hpp"
#include "core/heap.hpp"
#include "core/temporary.hpp"
#include "core/trace.hpp"
#include "io/segment_encoder.hpp"
#include "io/video_reader.hpp"
#include "render/frame_ring.hpp"
#include "render/similarity.hpp"

namespace sw::exec {

namespace {

// Decodes from the keyframe at or before frame `from` and hands each frame of [first, last) to
// on_frame, in order; the decoder's frames before `first` are skipped. Stops on Ctrl-C.
template <typename OnFrame>
void decode_range(const RenderRun& run, io::VideoReader& reader, std::int64_t from,
                  std::int64_t first, std::int64_t last, OnFrame&& on_frame) {
  reader.seek_to_frame(from);
  FrameView frame;
  while (true) {
    {
      trace::Span decode("decode", {}, 1);
      if (!reader.next(frame)) break;
    }
    run.stop.throw_if_stopped(run.input);
    if (frame.index < first) continue;
    if (frame.index >= last) break;
    on_frame(frame);
  }
}

// Renders segment s into its piece: decode from its keyframe, skip frames before `begin`,
// warp and encode [begin, end). A frame's duration comes from the index (the next frame's
// pts), so a piece's last frame lasts the same whatever the split.
std::int64_t render_segment(const RenderRun& run, io::VideoReader& reader, const Segment& s) {
  trace::Span span("segment", "render " + std::to_string(s.index), s.frames());
  const auto& pts = run.index->pts;
  io::SegmentEncoder encoder(run.piece_path(s.index), run.encode, reader.stream_params());
  decode_range(run, reader, s.decode_from, s.begin, s.end, [&](const FrameView& frame) {
    const auto i = static_cast<std::size_t>(frame.index);
    {
      trace::Span warp("warp", {}, 1);
      render::warp_frame(frame, run.corrections[i], run.warp, encoder.begin_frame());
    }
    const std::int64_t duration = i + 1 < pts.size() ? pts[i + 1] - pts[i] : 0;
    trace::Span encode("encode", {}, 1);
    encoder.encode(frame.pts, duration);
  });
  trace::Span flush("encode", "flush");
  encoder.finish();
  return encoder.frames();
}

// What a worker keeps between full-frame segments.
struct FillWorker {
  explicit FillWorker(int radius) : ring(2 * radius + 1) {}
  render::FrameRing ring;
  render::Filler filler;
  std::vector<render::FillSource> sources;
};

// Frame i's sources: itself, then i-1, i+1, i-2, i+2, ... within the radius and i's shot, as
// far as they were decoded; each warped into output i by C_i o T_i o T_j^-1 (render/fill.hpp).
void fill_sources(const RenderRun& run, std::span<const std::int64_t> shot, std::int64_t i,
                  FillWorker& w) {
  const auto n = static_cast<std::int64_t>(shot.size());
  const auto at = [](std::int64_t k) { return static_cast<std::size_t>(k); };
  w.sources.clear();
  w.sources.push_back({w.ring.find(i), run.corrections[at(i)]});
  const Transform2D to_output = render::compose(run.corrections[at(i)], run.camera[at(i)]);
  for (std::int64_t d = 1; d <= run.warp.fill_radius; ++d) {
    for (const std::int64_t j : {i - d, i + d}) {
      if (j < 0 || j >= n || shot[at(j)] != shot[at(i)]) continue;
      const FrameView* f = w.ring.find(j);
      if (f)
        w.sources.push_back({f, render::compose(to_output, render::inverse(run.camera[at(j)]))});
    }
  }
}

// Full frame: renders segment s with a ring of decoded frames around the one being encoded.
// Frame i is encoded once frame i+K has been decoded (or the decoding range ends); frames the
// decoder skipped are not encoded, as in render_segment.
std::int64_t render_segment_fill(const RenderRun& run, io::VideoReader& reader, const Segment& s,
                                 std::span<const std::int64_t> shot, FillWorker& w,
                                 std::vector<render::FillCounts>& counts) {
  trace::Span span("segment", "render " + std::to_string(s.index), s.frames());
  const auto& pts = run.index->pts;
  const auto n = static_cast<std::int64_t>(pts.size());
  const int radius = run.warp.fill_radius;
  const std::int64_t first = std::max<std::int64_t>(0, s.begin - radius);
  const std::int64_t last = std::min<std::int64_t>(n, s.end + radius);
  // The fill works at the input's depth (its ring keeps the decoded frames as they are).
  io::SegmentEncoder encoder(run.piece_path(s.index), run.encode, reader.stream_params());
  w.ring.clear();  // nothing from another segment's decoding
  std::int64_t next = s.begin;
  const auto emit_until = [&](std::int64_t limit) {
    for (; next < s.end && next < limit; ++next) {
      const FrameView* current = w.ring.find(next);
      if (!current) continue;
      const auto i = static_cast<std::size_t>(next);
      {
        trace::Span fill("fill", {}, 1);
        fill_sources(run, shot, next, w);
        MutableFrameView out = encoder.begin_frame();
        counts[i] = w.filler.fill(w.sources, out);
      }
      const std::int64_t duration = i + 1 < pts.size() ? pts[i + 1] - pts[i] : 0;
      trace::Span encode("encode", {}, 1);
      encoder.encode(current->pts, duration);
    }
  };
  decode_range(run, reader, first, first, last, [&](const FrameView& frame) {
    emit_until(frame.index - radius);  // before the ring drops the oldest frame
    w.ring.put(frame);
    emit_until(frame.index - radius + 1);
  });
  emit_until(s.end);
  trace::Span flush("encode", "flush");
  encoder.finish();
  return encoder.frames();
}

// The encoder's threads count against the cores: one worker per `encoder_threads` cores. Each
// worker holds a whole encoder (about 100 MB at 1080p, lookahead and reference frames), so
// more workers than that would add memory without adding speed. The pieces, and so the output
// bytes, do not depend on the count.
int render_workers(int threads, int encoder_threads, const SegmentPlan& plan) {
  return plan.workers(threads / std::max(1, encoder_threads));
}

// Per-worker readers, created on first use; renders one segment's piece per call.
class SegmentRenderer {
 public:
  SegmentRenderer(const RenderRun& run, const SegmentPlan& plan)
      : run_(run),
        plan_(plan),
        workers_(render_workers(run.threads, run.encode.encoder_threads, plan)),
        readers_(static_cast<std::size_t>(workers_)) {
    // Frame-threaded decoding gives identical pixels, so spare threads go to the decoder.
    // Frames keep their depth: the warp works on 10/12-bit samples as they are.
    options_.convert_to_8bit_yuv = false;
    options_.index = run.index;
    options_.stop = run.stop;
    options_.decoder_threads = std::max(1, run.threads / workers_);
    if (run.warp.fill_radius > 0) {
      const std::size_t n = run.index->size();
      if (run.camera.size() != n || run.cut.size() != n) {
        throw Error(run.input, "full frame: expected a camera path and cuts for " +
                                   std::to_string(n) + " frames, got " +
                                   std::to_string(run.camera.size()) + " and " +
                                   std::to_string(run.cut.size()));
      }
      std::int64_t id = 0;
      for (std::size_t i = 0; i < n; ++i) shot_.push_back(id += i > 0 && run.cut[i] ? 1 : 0);
      fill_workers_.resize(static_cast<std::size_t>(workers_));
      counts_.resize(n);
    }
  }
  const std::vector<render::FillCounts>& fill_counts() const { return counts_; }
  int workers() const { return workers_; }

  void render(int worker, std::int64_t k) {
    auto& reader = readers_[static_cast<std::size_t>(worker)];
    if (!reader) reader = std::make_unique<io::VideoReader>(run_.input, options_);
    const Segment& s = plan_.segments[static_cast<std::size_t>(k)];
    if (run_.warp.fill_radius > 0) {
      auto& fill = fill_workers_[static_cast<std::size_t>(worker)];
      if (!fill) fill = std::make_unique<FillWorker>(run_.warp.fill_radius);
      render_segment_fill(run_, *reader, s, shot_, *fill, counts_);
    } else {
      render_segment(run_, *reader, s);
    }
    // The segment's encoder is gone: its freed blocks go back to the system before the next
    // segment's encoder allocates its own.
    heap::return_free_memory();
  }

  // Every distinct warning of the readers (a reader's warnings cover all its segments).
  std::vector<std::string> warnings() const {
    std::vector<std::string> all;
    for (const auto& reader : readers_) {
      if (!reader) continue;
      for (auto& w : reader->warnings()) {
        if (std::find(all.begin(), all.end(), w) == all.end()) all.push_back(std::move(w));
      }
    }
    return all;
  }

 private:
  const RenderRun& run_;
  const SegmentPlan& plan_;
  int workers_;
  io::ReaderOptions options_;
  std::vector<std::unique_ptr<io::VideoReader>> readers_;
  // Full frame only: the shot of every frame, each worker's ring, the counts per frame (each
  // frame is written by the one worker that renders it).
  std::vector<std::int64_t> shot_;
  std::vector<std::unique_ptr<FillWorker>> fill_workers_;
  std::vector<render::FillCounts> counts_;
};

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(path, "cannot read the rendered piece");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace

RenderStats run_render(const RenderRun& run, const SegmentPlan& plan, const std::string& output) {
  SegmentRenderer renderer(run, plan);
  std::atomic<std::int64_t> done{0}, resumed{0};
  std::mutex progress_mutex;
  auto count = [&](const Segment& s) {
    const std::int64_t frames_done = done += s.frames();
    if (run.progress) {
      std::lock_guard lock(progress_mutex);
      run.progress(frames_done);
    }
  };
  std::vector<std::int64_t> pending, published;
  for (const Segment& s : plan.segments) {
    if (run.shard && !run.shard->owns(s.index)) continue;
    if (run.piece_done && run.piece_done(s.index)) {
      ++resumed;
      published.push_back(s.index);
      count(s);
    } else {
      pending.push_back(s.index);
    }
  }
  const std::vector<std::int64_t> rendered = pending;
  // A segment rendered here is already at its piece path (empty result); one rendered by
  // another process arrives as the piece's bytes.
  std::vector<std::string> remote_warnings = run_segments(
      run.distributor, run.job, std::move(pending), renderer.workers(),
      [&](int worker, std::int64_t k) {
        renderer.render(worker, k);
        return std::string();
      },
      [&](std::int64_t k, std::string&& piece) {
        if (!piece.empty()) {
          trace::Span io("store", "piece " + std::to_string(k));
          write_file_atomically(run.piece_path(k), piece);
        }
        if (run.piece_finished) run.piece_finished(k);
        count(plan.segments[static_cast<std::size_t>(k)]);
      });

  RenderStats stats;
  stats.resumed_segments = resumed.load();
  stats.fill = renderer.fill_counts();
  stats.warnings = renderer.warnings();
  for (auto& w : remote_warnings) stats.warnings.push_back(std::move(w));
  stats.rendered = rendered;
  stats.published = std::move(published);
  if (run.shard) {
    stats.frames = done.load();
    return stats;
  }
  std::vector<std::string> pieces;
  for (const auto& s : plan.segments)
    pieces.push_back(run.piece_input ? run.piece_input(s.index) : run.piece_path(s.index));
  {
    trace::Span mux("mux", "assemble " + std::to_string(pieces.size()) + " pieces", done.load());
    io::assemble_pieces(run.input, pieces, output, stats.warnings, run.stop);
  }
  stats.frames = done.load();
  return stats;
}

std::vector<std::string> serve_render(const RenderRun& run, const SegmentPlan& plan,
                                      SegmentQueue& queue) {
  SegmentRenderer renderer(run, plan);
  drain(queue, renderer.workers(), [&](int worker, std::int64_t k) {
    renderer.render(worker, k);
    const std::string path = run.piece_path(k);
    std::string piece = read_file(path);
    std::filesystem::remove(path);
    return piece;
  });
  return renderer.warnings();
}

}  // namespace sw::exec
