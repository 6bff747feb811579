// Text placed inside XML or HTML (the S3 multipart request body, the report's title): the five
// characters markup gives a meaning to, as entities. &apos; is XML's and HTML5's alike.
#pragma once

#include <string>
#include <string_view>

namespace sw {

std::string escape_markup(std::string_view text);

}  // namespace sw
