// The messages between MPI ranks (exec/rank_messages.hpp): what is encoded decodes to the
// same values, and a malformed message (truncated, a count that does not fit, a count whose
// byte size wraps, a plan outside the index, deep nesting) is one sw::Error, never a crash.
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <limits>

#include "core/build_id.hpp"
#include "core/error.hpp"
#include "exec/job_server.hpp"
#include "exec/rank_messages.hpp"
#include "exec/segment_plan.hpp"

namespace sw::exec {
namespace {

JobMessage render_job() {
  JobMessage m;
  m.kind = "render";
  m.build = std::string(build_id());
  m.input = "in.mp4";
  m.threads = 2;
  for (int i = 0; i < 12; ++i) {
    m.index.pts.push_back(i * 512);
    m.index.keyframe.push_back(i % 4 == 0);
  }
  m.index.time_base = {1, 12800};
  m.plan = plan_segments(m.index.keyframe, 4);
  m.corrections.resize(12);
  m.corrections[5].dx = 1.5;
  m.warp.border = render::Border::mirror;
  m.encode.crf = 31;
  m.encode.preset = "slow";
  return m;
}

void expect_malformed(const std::function<void()>& decode, const std::string& words) {
  try {
    decode();
    FAIL() << "decoded a malformed message";
  } catch (const Error& e) {
    EXPECT_EQ(e.subject(), "MPI");
    EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
  }
}

TEST(RankMessages, RenderJobRoundTrips) {
  const JobMessage m = render_job();
  const JobMessage d = decode_job_message(encode_job_message(m));
  EXPECT_EQ(d.kind, "render");
  EXPECT_EQ(d.build, m.build);
  EXPECT_EQ(d.index.pts, m.index.pts);
  EXPECT_EQ(d.plan.segments.size(), m.plan.segments.size());
  EXPECT_EQ(d.corrections[5].dx, 1.5);
  EXPECT_EQ(d.warp.border, render::Border::mirror);
  EXPECT_EQ(d.encode.crf, 31);
  EXPECT_EQ(d.encode.preset, "slow");
}

// The analysis job carries every reader and motion parameter (their codecs), never the
// reader's pointer to rank 0's frame index.
TEST(RankMessages, AnalysisJobCarriesTheWholeParameterStructs) {
  JobMessage m = render_job();
  m.kind = "analysis";
  m.input_kind = "zarr frames";
  m.width = 64;
  m.height = 48;
  m.motion.max_corners = 77;
  m.motion.ransac_threshold_px = 2.25;
  m.motion.ignore = {{0, 80, 100, 20, true}, {1.5, 2, 30, 40, false}};
  m.motion.ignore_mask = "dash.png";
  m.motion.ignore_mask_sha256 = std::string(64, 'a');
  m.reader.decoder_threads = 3;
  m.reader.skip_loop_filter = true;
  m.reader.convert_to_8bit_yuv = true;
  m.reader.index = &m.index;
  const JobMessage d = decode_job_message(encode_job_message(m));
  EXPECT_EQ(d.input_kind, "zarr frames");
  EXPECT_EQ(d.motion.max_corners, 77);
  EXPECT_EQ(d.motion.ransac_threshold_px, 2.25);
  ASSERT_EQ(d.motion.ignore.size(), 2u);
  EXPECT_EQ(motion::format_ignore_region(d.motion.ignore[0]), "0%,80%,100%,20%");
  EXPECT_EQ(motion::format_ignore_region(d.motion.ignore[1]), "1.5,2,30,40");
  EXPECT_EQ(d.motion.ignore_mask, "dash.png");
  EXPECT_EQ(d.motion.ignore_mask_sha256, std::string(64, 'a'));
  EXPECT_EQ(d.reader.decoder_threads, 3);
  EXPECT_TRUE(d.reader.skip_loop_filter);
  EXPECT_TRUE(d.reader.convert_to_8bit_yuv);
  EXPECT_EQ(d.reader.index, nullptr);
}

// The MPI handshake: a rank refuses the job of another build (same version number or not),
// before it decodes a frame.
TEST(RankMessages, JobOfAnotherBuildIsRefused) {
  JobMessage m = render_job();
  m.build += "-other";
  LocalQueue queue({0, 1, 2}, [](std::int64_t, std::string&&) { FAIL() << "no segment expected"; });
  try {
    serve_job(encode_job_message(m), queue);
    FAIL() << "served a job of another build";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("same build"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(m.build), std::string::npos) << e.what();
  }
}

TEST(RankMessages, PlanOutsideTheIndexIsRefused) {
  JobMessage m = render_job();
  m.plan.segments.back().end += 5;  // past the last frame
  expect_malformed([&] { decode_job_message(encode_job_message(m)); }, "out of place");
  m = render_job();
  m.corrections.pop_back();
  expect_malformed([&] { decode_job_message(encode_job_message(m)); }, "11 corrections");
}

TEST(RankMessages, TruncatedJobIsOneError) {
  const std::string bytes = encode_job_message(render_job());
  for (std::size_t n = 0; n < bytes.size(); n += 7) {
    EXPECT_THROW(decode_job_message(std::string_view(bytes).substr(0, n)), Error) << n;
  }
}

TEST(RankMessages, DeepNestingIsRefusedNotRecursed) {
  std::string deep(200000, '\x81');  // CBOR: an array of one array of one ...
  deep += '\x00';
  expect_malformed([&] { decode_job_message(deep); }, "nested deeper");
}

// Found by fuzz/mpi_messages.cpp: nlohmann's DOM builder threw its own exception (not
// sw::Error) for an array whose declared size exceeds what a vector can hold.
TEST(RankMessages, ArrayDeclaringMoreElementsThanAVectorHoldsIsOneError) {
  const std::string huge = "\x9b\x99\x99\x99\x99\x99\x99\x99\x99";  // array of ~1.1e19
  expect_malformed([&] { decode_job_message(huge); }, "excessive array size");
  expect_malformed([&] { decode_trace_message(huge); }, "excessive array size");
}

TEST(RankMessages, AnalysisResultCountMustMatchItsBytes) {
  const Segment s{1, 4, 8, 4, 8};
  store::StagedMotions staged;
  staged.first = 5;
  staged.motions.resize(4);
  std::int64_t decoded = 0;
  const std::string bytes = encode_analysis_result(9, staged);
  EXPECT_EQ(decode_analysis_result(bytes, s, decoded).motions.size(), 4u);
  EXPECT_EQ(decoded, 9);

  // A count whose byte size wraps around 2^64 to exactly the bytes that are there.
  std::string wrapped = bytes;
  // count * sizeof(Motion) == 4 * sizeof(Motion) modulo 2^64 for count = 4 + 2^64 / (the
  // lowest set bit of sizeof(Motion)).
  const std::uint64_t low_bit = sizeof(Motion) & (~sizeof(Motion) + 1);
  const auto count =
      static_cast<std::int64_t>(4 + (std::numeric_limits<std::uint64_t>::max() / low_bit + 1));
  ASSERT_GT(count, 0);
  ASSERT_EQ(static_cast<std::uint64_t>(count) * sizeof(Motion), 4 * sizeof(Motion));
  std::memcpy(wrapped.data() + 16, &count, sizeof count);
  expect_malformed([&] { decode_analysis_result(wrapped, s, decoded); }, "segment result");
  // A negative count.
  const std::int64_t negative = -1;
  std::memcpy(wrapped.data() + 16, &negative, sizeof negative);
  expect_malformed([&] { decode_analysis_result(wrapped, s, decoded); }, "segment result");
  // The right size for another segment.
  expect_malformed(
      [&] {
        decode_analysis_result(bytes, Segment{0, 0, 4, 0, 4}, decoded);
      },
      "for segment 0");
}

TEST(RankMessages, RequestsAndTheirPayloads) {
  const std::string bye_bytes = encode_request(Request::bye, 0, encode_warnings({"a", "b"}));
  const auto bye = decode_request(bye_bytes);  // its payload points into bye_bytes
  EXPECT_EQ(bye.type, Request::bye);
  EXPECT_EQ(decode_warnings(bye.payload), (std::vector<std::string>{"a", "b"}));
  const std::string fail_bytes = encode_request(Request::fail, 3, encode_failure({"s", "p"}));
  const auto fail = decode_request(fail_bytes);
  EXPECT_EQ(fail.value, 3);
  EXPECT_EQ(decode_failure(fail.payload).problem, "p");
  expect_malformed([] { decode_request("short"); }, "request");
  expect_malformed([] { decode_request(encode_request(static_cast<Request>(9), 0, {})); },
                   "unknown type");
  expect_malformed([] { decode_failure("{\"subject\":1}"); }, "failure");
  expect_malformed([] { decode_int64("1234567"); }, "reply");
}

TEST(RankMessages, TraceRoundTripsAndRejectsWrongShapes) {
  TraceMessage t;
  t.sync_us = 7;
  t.wall_s = 1.5;
  t.host = "h";
  t.events.push_back({"decode", "x", 1, 2, 3, 4, 5, 6});
  t.totals.push_back({"decode", 1, 2, 3, 4});
  const TraceMessage d = decode_trace_message(encode_trace_message(t));
  EXPECT_EQ(d.host, "h");
  ASSERT_EQ(d.events.size(), 1u);
  EXPECT_EQ(d.events[0].frames, 6);
  const auto cbor = nlohmann::json::to_cbor({{"sync_us", 1},
                                             {"wall_s", 1},
                                             {"host", "h"},
                                             {"events", {{"a"}}},
                                             {"totals", nlohmann::json::array()}});
  expect_malformed([&] { decode_trace_message(std::string(cbor.begin(), cbor.end())); },
                   "8 fields");
}

// With SW_FUZZ_SEEDS=DIR: real encoded messages as seeds for fuzz/mpi_messages.cpp, each
// prefixed by the byte that selects its decoder there.
TEST(RankMessages, FuzzSeeds) {
  const char* dir = std::getenv("SW_FUZZ_SEEDS");
  if (!dir) GTEST_SKIP() << "SW_FUZZ_SEEDS not set";
  auto write = [&](const std::string& name, char selector, const std::string& bytes) {
    std::ofstream(std::string(dir) + "/" + name, std::ios::binary) << selector << bytes;
  };
  JobMessage render = render_job();
  render.corrections.assign(render.corrections.size(), Transform2D{});
  write("job_render", 0, encode_job_message(render));
  JobMessage analysis = render_job();
  analysis.kind = "analysis";
  analysis.input_kind = "video";
  analysis.width = 320;
  analysis.height = 240;
  write("job_analysis", 0, encode_job_message(analysis));
  store::StagedMotions staged;
  staged.first = 5;
  staged.motions.resize(4);
  staged.motions[1].status = MotionStatus::ok;
  staged.motions[1].dx = 2.5;
  write("request_segment", 1,
        encode_request(Request::segment, 1, encode_analysis_result(5, staged)));
  write("request_bye", 1,
        encode_request(Request::bye, 0, encode_warnings({"[rank 1 on host h] stream ends early"})));
  write("request_fail", 1, encode_request(Request::fail, 1, encode_failure({"rank 1", "failed"})));
  write("reply", 2, encode_int64(3));
  write("analysis_result_segment1", 3 + 6, encode_analysis_result(5, staged));
  staged.first = 9;
  staged.motions.resize(3);
  write("analysis_result_segment2", 3 + 12, encode_analysis_result(4, staged));
  TraceMessage t;
  t.host = "h";
  t.events.push_back({"decode", "segment 1", 1, 0, 10, 20, 15, 4});
  t.totals.push_back({"decode", 20, 15, 4, 1});
  write("trace", 4, encode_trace_message(t));
  write("warnings", 5, encode_warnings({"a", "b"}));
}

}  // namespace
}  // namespace sw::exec
