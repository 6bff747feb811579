// Messages to the user: warnings on stderr as "stillwater: warning: ...", one line each.
#pragma once

#include <string>
#include <vector>

namespace sw::cli {

void warn(const std::string& subject, const std::string& message);
void warn_all(const std::string& subject, const std::vector<std::string>& messages);

}  // namespace sw::cli
