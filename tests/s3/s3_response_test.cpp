// The parsing of S3 replies (s3/s3_response.hpp) without a server: Content-Range, the check
// of a 206 reply against the range asked for, ListObjectsV2 pages and server text sanitizing.
#include <gtest/gtest.h>

#include "s3/s3_response.hpp"

namespace sw::s3 {
namespace {

TEST(S3Response, ParsesContentRange) {
  const auto r = parse_content_range("bytes 1000-5999/100000");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->first, 1000);
  EXPECT_EQ(r->last, 5999);
  EXPECT_EQ(r->total, 100000);
  EXPECT_EQ(parse_content_range(" bytes 0-0/*")->total, -1);
  for (const char* bad : {"", "bytes", "bytes 5-4/10", "bytes 0-10/10", "bytes -1-3/10",
                          "bytes 1-2", "bytes 1-2/", "items 0-1/2", "bytes 0x1-2/3",
                          "bytes 1-2/3 junk", "bytes 0-9999999999999999999/*", "bytes +1-2/3"}) {
    EXPECT_FALSE(parse_content_range(bad)) << bad;
  }
}

TEST(S3Response, PartialReplyMustMatchTheRangeAskedFor) {
  const auto range = [](const char* text) { return parse_content_range(text); };
  EXPECT_EQ(partial_reply_problem(range("bytes 1000-5999/100000"), 1000, 5000, 5000), "");
  // Clipped at the object's end: fine.
  EXPECT_EQ(partial_reply_problem(range("bytes 99990-99999/100000"), 99990, 100, 10), "");
  EXPECT_EQ(partial_reply_problem(range("bytes 1001-6000/100000"), 1000, 5000, 5000),
            "a 206 reply for bytes 1000-5999: its Content-Range says bytes 1001-6000");
  EXPECT_NE(partial_reply_problem(range("bytes 1000-6004/100000"), 1000, 5000, 5005), "");
  EXPECT_NE(partial_reply_problem(range("bytes 1000-5998/100000"), 1000, 5000, 4999), "");
  EXPECT_NE(partial_reply_problem(range("bytes 1000-5998/*"), 1000, 5000, 4999), "");
  EXPECT_EQ(partial_reply_problem(range("bytes 1000-5999/100000"), 1000, 5000, 4999),
            "a 206 reply of 4999 bytes: its Content-Range says bytes 1000-5999");
  EXPECT_EQ(partial_reply_problem(std::nullopt, 0, 10, 10),
            "a 206 reply without a valid Content-Range");
}

TEST(S3Response, ReadsAListPage) {
  const ListPage page = parse_list_page(
      "<ListBucketResult><KeyCount>2</KeyCount><IsTruncated>true</IsTruncated>"
      "<Contents><Key>a&amp;b</Key></Contents><Contents><Key>&lt;IsTruncated&gt;</Key>"
      "</Contents><NextContinuationToken>t/+=</NextContinuationToken></ListBucketResult>");
  EXPECT_EQ(page.keys, (std::vector<std::string>{"a&b", "<IsTruncated>"}));
  EXPECT_TRUE(page.truncated);
  EXPECT_EQ(page.next_token, "t/+=");
  EXPECT_FALSE(parse_list_page("<ListBucketResult><IsTruncated>false</IsTruncated>").truncated);
  EXPECT_TRUE(parse_list_page("<Contents><Key>unterminated").keys.empty());
}

TEST(S3Response, ServerTextLosesEscapesAndLength) {
  EXPECT_EQ(sanitize_server_text("NoSuchKey"), "NoSuchKey");
  EXPECT_EQ(sanitize_server_text("caf\xc3\xa9 \xe4\xb8\xad"), "caf\xc3\xa9 \xe4\xb8\xad");
  EXPECT_EQ(sanitize_server_text("a\x1b[31mb\x07\r\n\x7f"), "a?[31mb????");
  EXPECT_EQ(sanitize_server_text("\xc2\x9b"
                                 "2J"),
            "?2J");                                                       // C1 CSI
  EXPECT_EQ(sanitize_server_text("\xc0\xaf\xed\xa0\x80\xff"), "??????");  // overlong, surrogate
  EXPECT_EQ(sanitize_server_text(std::string(500, 'x'), 10), "xxxxxxxxxx...");
  // The cap holds when a multi-byte character would cross it (found by fuzz/s3_responses).
  EXPECT_EQ(sanitize_server_text(std::string(9, 'x') + "\xf0\x9f\x98\x80", 10), "xxxxxxxxx...");
  EXPECT_EQ(sanitize_server_text(std::string(6, 'x') + "\xf0\x9f\x98\x80", 10),
            "xxxxxx\xf0\x9f\x98\x80");
  // Entities decode to control characters too; the error code is sanitized after decoding.
  EXPECT_EQ(s3_error_code("<Error><Code>A&#27;[2JB&#x9b;</Code></Error>"), "A?[2JB?");
}

}  // namespace
}  // namespace sw::s3
