// The messages MPI ranks send each other (exec/rank_messages.hpp), decoded as rank 0 and the
// other ranks decode them. The first byte picks the decoder (byte % 6; for a segment result,
// byte / 6 picks the segment), the rest is the message; a malformed message must end in
// sw::Error, nothing else. Seeds: real encoded messages, written by rank_messages_test with
// SW_FUZZ_SEEDS=fuzz/corpus/mpi_messages.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.hpp"
#include "exec/rank_messages.hpp"

namespace {

// A plan like plan_segments makes for 12 frames in segments of 4, for the segment results.
sw::exec::Segment segment(int k) {
  const std::int64_t begin = 4 * (k % 3);
  return {k % 3, begin, begin + 4, begin, std::min<std::int64_t>(begin + 4, 11)};
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  try {
    switch (data[0] % 6) {
      case 0: {
        const auto job = sw::exec::decode_job_message(bytes);
        // What serve_job reads from a decoded job must be in range.
        for (const auto& s : job.plan.segments) {
          if (s.end > static_cast<std::int64_t>(job.index.size())) __builtin_trap();
        }
        if (job.kind == "render" && job.corrections.size() != job.index.size()) __builtin_trap();
        break;
      }
      case 1: {
        const auto request = sw::exec::decode_request(bytes);
        if (request.type == sw::exec::Request::bye) sw::exec::decode_warnings(request.payload);
        if (request.type == sw::exec::Request::fail) sw::exec::decode_failure(request.payload);
        break;
      }
      case 2:
        sw::exec::decode_int64(bytes);
        break;
      case 3: {
        std::int64_t decoded = 0;
        const auto s = segment(data[0] / 6);
        const auto staged = sw::exec::decode_analysis_result(bytes, s, decoded);
        if (staged.first != s.begin + 1 ||
            static_cast<std::int64_t>(staged.motions.size()) != s.decode_to - s.begin)
          __builtin_trap();
        break;
      }
      case 4:
        sw::exec::decode_trace_message(bytes);
        break;
      default:
        sw::exec::decode_warnings(bytes);
        break;
    }
  } catch (const sw::Error&) {
  }
  return 0;
}
