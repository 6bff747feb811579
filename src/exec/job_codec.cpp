#include "exec/job_codec.hpp"

#include "core/build_id.hpp"
#include "core/error.hpp"
#include "exec/input_kind.hpp"

namespace sw::exec {

namespace {

JobMessage common(const char* kind, const std::string& input, const FrameIndex& index,
                  const SegmentPlan& plan, int threads) {
  JobMessage m;
  m.kind = kind;
  m.build = std::string(build_id());
  m.input = input;
  m.threads = threads;
  m.index = index;
  m.plan = plan;
  return m;
}

}  // namespace

std::string encode_job(const AnalysisRun& run, const SegmentPlan& plan) {
  if (!run.index) throw Error("job", "the analysis run has no frame index");
  JobMessage m = common("analysis", run.input, *run.index, plan, run.threads);
  m.input_kind = run.input_kind;
  m.width = run.width;
  m.height = run.height;
  m.motion = run.motion;
  m.reader = run.reader;
  m.reader.index = nullptr;
  return encode_job_message(m);
}

std::string encode_job(const RenderRun& run, const SegmentPlan& plan) {
  if (!run.index) throw Error("job", "the render run has no frame index");
  JobMessage m = common("render", run.input, *run.index, plan, run.threads);
  m.corrections.assign(run.corrections.begin(), run.corrections.end());
  m.warp = run.warp;
  m.camera.assign(run.camera.begin(), run.camera.end());
  m.cut.assign(run.cut.begin(), run.cut.end());
  m.encode = run.encode;
  return encode_job_message(m);
}

JobMessage decode_job(std::string_view bytes) {
  JobMessage m = decode_job_message(bytes);
  if (m.build != build_id()) {
    throw Error("MPI", "rank 0 runs stillwater build " + m.build + ", this rank build " +
                           std::string(build_id()) + "; every rank must run the same build");
  }
  return m;
}

AnalysisRun analysis_run_of(const JobMessage& m, StopToken stop) {
  AnalysisRun run;
  run.input = m.input;
  run.input_kind = m.input_kind;
  run.index = &m.index;
  run.reader = m.reader;
  run.reader.stop = stop;
  run.stop = stop;
  run.motion = m.motion;
  run.make_source = input_of_kind(m.input_kind, m.input)->segment_sources(m.index, run.reader);
  run.width = m.width;
  run.height = m.height;
  run.threads = m.threads;
  return run;
}

RenderRun render_run_of(const JobMessage& m, StopToken stop) {
  RenderRun run;
  run.stop = stop;
  run.input = m.input;
  run.index = &m.index;
  run.corrections = m.corrections;
  run.warp = m.warp;
  run.camera = m.camera;
  run.cut = m.cut;
  run.encode = m.encode;
  run.threads = m.threads;
  return run;
}

}  // namespace sw::exec
