// escape_markup: the five characters XML and HTML give a meaning to become entities, and
// nothing else changes (UTF-8 bytes included).
#include <gtest/gtest.h>

#include "core/markup.hpp"

namespace sw {
namespace {

TEST(EscapeMarkup, EscapesTheFiveAndKeepsTheRest) {
  EXPECT_EQ(escape_markup(R"(a<b>&"c"'d')"), "a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;");
  EXPECT_EQ(escape_markup("\"etag-1\""), "&quot;etag-1&quot;");
  EXPECT_EQ(escape_markup("plongée 04.mp4"), "plongée 04.mp4");
  EXPECT_EQ(escape_markup(""), "");
}

}  // namespace
}  // namespace sw
