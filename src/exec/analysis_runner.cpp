#include "exec/analysis_runner.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>

#include "core/error.hpp"
#include "core/trace.hpp"
#include "exec/rank_messages.hpp"
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
    run.stop.throw_if_stopped("analysis");
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
  // The last segment reads on to the end of the stream, so that the source sees how it ends
  // (a read error there is a warning, as in render).
  if (last == s.decode_to && s.decode_to == s.end - 1) {
    while (source.next(frame)) {
    }
  }
  return staged;
}

// Per-worker decoders and estimators, created on first use; analyses one segment per call.
class SegmentAnalyser {
 public:
  SegmentAnalyser(const AnalysisRun& run, const SegmentPlan& plan, int workers)
      : run_(run),
        plan_(plan),
        // Fewer segments than threads (a short clip): the spare threads decode ahead while the
        // worker measures, so even one segment keeps every core busy.
        decoder_threads_(std::max(1, run.threads / workers)),
        sources_(static_cast<std::size_t>(workers)),
        estimators_(static_cast<std::size_t>(workers)) {}

  std::string operator()(int worker, std::int64_t index) {
    const Segment& s = plan_.segments[static_cast<std::size_t>(index)];
    auto& source = sources_[static_cast<std::size_t>(worker)];
    auto& estimator = estimators_[static_cast<std::size_t>(worker)];
    if (!source) source = run_.make_source(decoder_threads_);
    if (!estimator)
      estimator = std::make_unique<motion::MotionEstimator>(run_.width, run_.height, run_.motion);
    std::int64_t decoded = 0;
    const store::StagedMotions staged = analyse_segment(run_, *source, *estimator, s, decoded);
    return encode_analysis_result(decoded, staged);
  }

  // Every distinct warning of the sources so far (a source's warnings cover all its segments).
  std::vector<std::string> warnings() const {
    std::vector<std::string> all;
    for (const auto& source : sources_) {
      if (!source) continue;
      for (auto& w : source->warnings()) {
        if (std::find(all.begin(), all.end(), w) == all.end()) all.push_back(std::move(w));
      }
    }
    return all;
  }

 private:
  const AnalysisRun& run_;
  const SegmentPlan& plan_;
  int decoder_threads_;
  std::vector<std::unique_ptr<SegmentSource>> sources_;
  std::vector<std::unique_ptr<motion::MotionEstimator>> estimators_;
};

}  // namespace

std::vector<Motion> run_analysis(const AnalysisRun& run, const SegmentPlan& plan,
                                 AnalysisStats* stats) {
  std::vector<Motion> motions(static_cast<std::size_t>(plan.frame_count));
  if (!motions.empty()) motions[0].status = MotionStatus::first_frame;
  if (run.on_frame && run.distributor && run.distributor->has_remote_workers()) {
    throw Error("--store-frames", "needs every frame in this process; run it without MPI ranks");
  }

  const int workers = plan.workers(run.threads);
  std::atomic<std::int64_t> done{0}, decoded{0}, owned_decoded{0}, resumed{0};
  std::mutex progress_mutex;  // the callback draws a bar: one caller at a time
  auto place = [&](const Segment& s, const store::StagedMotions& staged) {
    if (staged.first < 1 || staged.first > plan.frame_count ||
        staged.motions.size() > static_cast<std::size_t>(plan.frame_count - staged.first)) {
      throw Error("analysis", "segment " + std::to_string(s.index) + " result out of range");
    }
    for (std::size_t i = 0; i < staged.motions.size(); ++i) {
      motions[static_cast<std::size_t>(staged.first) + i] = staged.motions[i];
    }
    const std::int64_t frames_done = done += s.frames();
    if (run.progress) {
      std::lock_guard lock(progress_mutex);
      run.progress(frames_done);
    }
  };

  std::vector<std::int64_t> pending, staged;
  std::vector<std::string> store_warnings;  // staged records that did not fit the plan
  for (const Segment& s : plan.segments) {
    if (run.shard && !run.shard->owns(s.index)) continue;
    if (run.store && run.store->analysis_staged(s.index)) {
      try {
        place(s, run.store->load_staged(s.index, s.begin + 1, s.decode_to - s.begin));
        ++resumed;
        staged.push_back(s.index);
        continue;
      } catch (const Error& e) {
        store_warnings.push_back(std::string(e.what()) + "; measuring the segment again");
      }
    }
    pending.push_back(s.index);
  }

  SegmentAnalyser analyser(run, plan, workers);
  const std::vector<std::int64_t> measured = pending;
  std::vector<std::string> remote_warnings = run_segments(
      run.distributor, run.job, std::move(pending), workers, std::ref(analyser),
      [&](std::int64_t index, std::string&& result) {
        const Segment& s = plan.segments[static_cast<std::size_t>(index)];
        std::int64_t segment_decoded = 0;
        const store::StagedMotions staged = decode_analysis_result(result, s, segment_decoded);
        decoded += segment_decoded;
        owned_decoded += s.frames();
        if (run.store) {
          trace::Span io("store", "stage " + std::to_string(s.index));
          run.store->stage_analysis(s.index, staged);
        }
        place(s, staged);
      });

  if (stats) {
    stats->decoded_frames = decoded.load();
    stats->resumed_segments = resumed.load();
    stats->overhead_frames = decoded.load() - owned_decoded.load();
    stats->measured = measured;
    stats->staged = std::move(staged);
    stats->warnings = std::move(store_warnings);
    for (auto& w : analyser.warnings()) stats->warnings.push_back(std::move(w));
    for (auto& w : remote_warnings) stats->warnings.push_back(std::move(w));
  }
  return motions;
}

std::vector<std::string> serve_analysis(const AnalysisRun& run, const SegmentPlan& plan,
                                        SegmentQueue& queue) {
  SegmentAnalyser analyser(run, plan, plan.workers(run.threads));
  drain(queue, plan.workers(run.threads), std::ref(analyser));
  return analyser.warnings();
}

}  // namespace sw::exec
