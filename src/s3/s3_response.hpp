// Reading what an S3 server sends back: the values of its XML replies (ListObjectsV2 pages,
// error bodies), the Content-Range of a ranged GET, and server text made safe to print.
// Separate from s3_client.cpp so that tests and the fuzzer (fuzz/s3_responses.cpp) reach it
// without a server. Everything here treats its input as hostile: it never trusts a length, an
// offset or a string it did not check.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sw::s3 {

// The text of every <tag>...</tag> element in xml, entities decoded (&amp; &lt; &gt; &quot;
// &apos; &#N; &#xN;), in document order. Enough for S3's flat responses; no dependency.
std::vector<std::string> xml_values(std::string_view xml, std::string_view tag);

// The raw (undecoded) contents of every <tag>...</tag> (or <tag/>, empty) in document order.
std::vector<std::string_view> xml_elements(std::string_view xml, std::string_view tag);

// One ListObjectsV2 page.
struct ListPage {
  std::vector<std::string> keys;
  bool truncated = false;
  std::string next_token;  // NextContinuationToken; empty when absent
};
ListPage parse_list_page(std::string_view xml);

// The S3 error code of an error body (<Error><Code>...), sanitized; empty when there is none.
std::string s3_error_code(std::string_view body);

// "Content-Range: bytes FIRST-LAST/TOTAL" (TOTAL may be "*": -1). nullopt unless the value is
// exactly that form with FIRST <= LAST (and LAST < TOTAL when TOTAL is known).
struct ContentRange {
  std::int64_t first = 0;
  std::int64_t last = 0;
  std::int64_t total = -1;
};
std::optional<ContentRange> parse_content_range(std::string_view value);

// Why a 206 reply does not answer "bytes=offset-(offset+length-1)" with `body_size` bytes
// (the server may clip the end at the object's size), or empty when it does.
std::string partial_reply_problem(const std::optional<ContentRange>& range, std::int64_t offset,
                                  std::size_t length, std::size_t body_size);

// Server-supplied text as it may appear in a message: control characters (C0, DEL, C1, so no
// terminal escape sequence survives) and invalid UTF-8 become '?', and at most max_chars bytes
// are kept ("..." marks a cut).
std::string sanitize_server_text(std::string_view text, std::size_t max_chars = 120);

}  // namespace sw::s3
