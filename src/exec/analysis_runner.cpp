#include "exec/analysis_runner.hpp"

#include <atomic>
#include <mutex>

#include "core/error.hpp"
#include "core/trace.hpp"
#include "exec/pipeline.hpp"
#include "exec/worker_pool.hpp"
#include "store/run_store.hpp"

namespace sw::exec {

namespace {

// Measures segment s: frames [decode_from, decode_to] are decoded; frames before `begin` are
// only decoded (the cost of a cut between keyframes); pairs (begin, begin+1) .. (decode_to-1,
// decode_to) are measured. A frame missing from the decoded stream leaves the pairs that touch
// it as missing_frame.
store::StagedMotions analyse_segment(const AnalysisRun& run, SegmentSource& source,
                                     motion::MotionEstimator& estimator, const Segment& s,
                                     std::int64_t& decoded) {
  store::StagedMotions staged;
  staged.first = s.begin + 1;
  Motion missing;
  missing.status = MotionStatus::missing_frame;
  staged.motions.assign(static_cast<std::size_t>(s.decode_to - s.begin), missing);

  trace::Span span("segment", "analyse " + std::to_string(s.index), s.frames());
  source.seek_to_frame(s.decode_from);
  estimator.reset();
  std::int64_t last = -1;
  FrameView frame;
  while (true) {
    {
      trace::Span decode("decode", {}, 1);
      if (!source.next(frame)) break;
    }
    if (g_cancel.load(std::memory_order_relaxed))
      throw Error("analysis", "interrupted", ExitCode::interrupted);
    ++decoded;
    if (frame.index < s.begin) continue;
    if (frame.index > s.decode_to) break;
    if (last >= 0 && frame.index != last + 1) estimator.reset();
    trace::Span analyse("analyse", {}, 1);
    const Motion m = estimator.push(frame);
    if (run.on_frame && frame.index < s.end) run.on_frame(frame, estimator);
    if (frame.index > s.begin && m.status != MotionStatus::first_frame) {
      staged.motions[static_cast<std::size_t>(frame.index - staged.first)] = m;
    }
    last = frame.index;
    if (frame.index == s.decode_to) break;
  }
  return staged;
}

}  // namespace

std::vector<Motion> run_analysis(const AnalysisRun& run, const SegmentPlan& plan,
                                 AnalysisStats* stats) {
  std::vector<Motion> motions(static_cast<std::size_t>(plan.frame_count));
  if (!motions.empty()) motions[0].status = MotionStatus::first_frame;

  const int workers = std::max(1, run.threads);
  std::vector<std::unique_ptr<SegmentSource>> sources(static_cast<std::size_t>(workers));
  std::vector<std::unique_ptr<motion::MotionEstimator>> estimators(
      static_cast<std::size_t>(workers));
  std::atomic<std::int64_t> done{0}, decoded{0}, owned_decoded{0}, resumed{0};
  std::mutex progress_mutex;  // the callback draws a bar: one caller at a time

  for_each_segment(static_cast<std::int64_t>(plan.segments.size()), workers,
                   [&](int worker, std::int64_t index) {
                     const Segment& s = plan.segments[static_cast<std::size_t>(index)];
                     store::StagedMotions staged;
                     if (run.store && run.store->analysis_staged(s.index)) {
                       staged = run.store->load_staged(s.index);
                       ++resumed;
                     } else {
                       auto& source = sources[static_cast<std::size_t>(worker)];
                       auto& estimator = estimators[static_cast<std::size_t>(worker)];
                       if (!source) source = run.make_source();
                       if (!estimator)
                         estimator = std::make_unique<motion::MotionEstimator>(
                             run.width, run.height, run.motion);
                       std::int64_t segment_decoded = 0;
                       staged = analyse_segment(run, *source, *estimator, s, segment_decoded);
                       decoded += segment_decoded;
                       owned_decoded += s.frames();
                       if (run.store) {
                         trace::Span io("store", "stage " + std::to_string(s.index));
                         run.store->stage_analysis(s.index, staged);
                       }
                     }
                     for (std::size_t i = 0; i < staged.motions.size(); ++i) {
                       motions[static_cast<std::size_t>(staged.first) + i] = staged.motions[i];
                     }
                     const std::int64_t frames_done = done += s.frames();
                     if (run.progress) {
                       std::lock_guard lock(progress_mutex);
                       run.progress(frames_done);
                     }
                   });

  if (stats) {
    stats->decoded_frames = decoded.load();
    stats->resumed_segments = resumed.load();
    stats->overhead_frames = decoded.load() - owned_decoded.load();
  }
  return motions;
}

}  // namespace sw::exec
