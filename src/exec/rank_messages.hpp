// The bytes that travel between MPI ranks, encoded and decoded without MPI (so that the
// decoders can be tested and fuzzed alone: fuzz/mpi_messages.cpp):
//   - a pass's job, rank 0 -> every rank (CBOR): input, frame index, segment plan, parameters
//     (their codecs: core/param_codec.hpp) and, for render, the corrections;
//   - a request, rank k -> 0: a type and a value (two int64), then a payload: a finished
//     segment's result, a failure (CBOR) or, at the end of a pass, the rank's warnings (CBOR);
//   - an analysis segment's result: frames decoded, then the staged motions;
//   - a rank's trace at the end (CBOR).
// A message comes from another process and is checked as such: every count and size against
// the bytes that are there (overflow-safe), every index against the plan. A malformed message
// is one sw::Error("MPI", ...), never a crash or an allocation the message did not pay for.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "core/trace.hpp"
#include "core/types.hpp"
#include "exec/segment_plan.hpp"
#include "io/encode_options.hpp"
#include "io/video_reader.hpp"
#include "motion/estimator.hpp"
#include "render/warp.hpp"
#include "store/run_store.hpp"

namespace sw::exec {

// CBOR to JSON, nesting bounded (a hostile message cannot exhaust the stack).
nlohmann::json parse_cbor(std::string_view bytes, const char* what);

// --- the job of a pass ---
struct JobMessage {
  std::string kind;   // "analysis" or "render"
  std::string build;  // core/build_id.hpp of the sender: every rank must run the same build
  std::string input;
  int threads = 1;
  FrameIndex index;
  SegmentPlan plan;
  // analysis
  std::string input_kind;  // Input::kind() (exec/input.hpp)
  int width = 0;
  int height = 0;
  motion::MotionParams motion;
  io::ReaderOptions reader;  // `index` is always null after decoding
  // render
  std::vector<Transform2D> corrections;  // one per frame of the plan
  std::vector<Transform2D> camera;       // full frame (warp.fill_radius > 0), else empty
  std::vector<std::uint8_t> cut;         // the same
  render::WarpParams warp;
  io::EncodeOptions encode;
};

std::string encode_job_message(const JobMessage& job);
// Checks the plan against the index and the corrections against the plan; the build is left
// for the caller to compare (serve_job).
JobMessage decode_job_message(std::string_view bytes);

// --- requests, rank k -> rank 0 ---
enum class Request : std::int64_t {
  segment = 1,  // value: the segment finished (-1: none yet); payload: its result
  bye = 2,      // this rank has no worker left in the pass; payload: its warnings
  fail = 3,     // value: exit code; payload: the error; counts as bye
};

struct RequestMessage {
  Request type = Request::segment;
  std::int64_t value = 0;
  std::string_view payload;  // into the decoded bytes
};

std::string encode_request(Request type, std::int64_t value, std::string_view payload);
RequestMessage decode_request(std::string_view bytes);

std::string encode_int64(std::int64_t value);
std::int64_t decode_int64(std::string_view bytes);

struct FailureMessage {
  std::string subject;
  std::string problem;
};
std::string encode_failure(const FailureMessage& failure);
FailureMessage decode_failure(std::string_view bytes);

std::string encode_warnings(const std::vector<std::string>& warnings);
std::vector<std::string> decode_warnings(std::string_view bytes);

// --- an analysis segment's result ---
std::string encode_analysis_result(std::int64_t decoded, const store::StagedMotions& staged);
// Checks that the result covers exactly segment s's pairs.
store::StagedMotions decode_analysis_result(std::string_view bytes, const Segment& s,
                                            std::int64_t& decoded);

// --- a rank's trace ---
struct TraceMessage {
  std::int64_t sync_us = 0;
  double wall_s = 0;
  std::string host;
  std::vector<trace::Event> events;
  std::vector<trace::StageTotal> totals;
};
std::string encode_trace_message(const TraceMessage& trace);
TraceMessage decode_trace_message(std::string_view bytes);

}  // namespace sw::exec
