// Fuzzes the parsing of what an S3 server sends (src/s3/s3_response.hpp): ListObjectsV2 and
// error XML, Content-Range values and the check of a 206 reply against them, and the
// sanitizing of server text. The first input byte picks the parser, the rest is the reply.
// None of these may throw: a hostile reply is data, judged by the client afterwards.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "s3/s3_response.hpp"

namespace {

void require(bool ok) {
  if (!ok) std::abort();
}

bool printable(std::string_view text) {
  for (unsigned char c : text)
    if (c < 0x20 || c == 0x7F) return false;
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  using namespace sw::s3;
  switch (data[0] % 4) {
    case 0: {
      const ListPage page = parse_list_page(text);
      std::size_t total = 0;
      for (const std::string& key : page.keys) total += key.size();
      require(total <= text.size());  // decoding never grows the text
      require(page.next_token.size() <= text.size());
      break;
    }
    case 1: {
      const std::string code = s3_error_code(text);
      require(printable(code) && code.size() <= 64 + 3);
      xml_values(text, "Message");
      break;
    }
    case 2: {
      const auto range = parse_content_range(text);
      if (range) require(range->first >= 0 && range->first <= range->last);
      if (range && range->total >= 0) require(range->last < range->total);
      // The reply judged against a request taken from the same bytes: offsets below 2^40 and
      // lengths below 2^24, as the client asks.
      const std::int64_t offset = static_cast<std::int64_t>(text.size() % 4096) << 20;
      const std::size_t length = 1 + text.size() % (1u << 16);
      const std::string problem = partial_reply_problem(range, offset, length, text.size());
      require(printable(problem));
      break;
    }
    default: {
      const std::string clean = sanitize_server_text(text);
      require(printable(clean) && clean.size() <= 120 + 3);
      break;
    }
  }
  return 0;
}
