// Messages to the user: warnings on stderr as "stillwater: warning: ...", one line each, and
// each distinct warning once per process (the analysis and the render pass of a run often
// meet the same damage in the input).
#pragma once

#include <string>
#include <vector>

namespace sw::cli {

void warn(const std::string& subject, const std::string& message);
void warn_all(const std::string& subject, const std::vector<std::string>& messages);

}  // namespace sw::cli
