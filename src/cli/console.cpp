#include "cli/console.hpp"

#include <cstdio>

namespace sw::cli {

void warn(const std::string& subject, const std::string& message) {
  std::fprintf(stderr, "stillwater: warning: %s: %s\n", subject.c_str(), message.c_str());
}

void warn_all(const std::string& subject, const std::vector<std::string>& messages) {
  for (const auto& message : messages) warn(subject, message);
}

}  // namespace sw::cli
