#include "cli/console.hpp"

#include <cstdio>
#include <set>

namespace sw::cli {

void warn(const std::string& subject, const std::string& message) {
  static std::set<std::string> printed;
  // A warning from another MPI rank starts with "[rank K on host H] ": that goes first.
  std::string origin;
  std::string text = message;
  if (text.starts_with("[rank ")) {
    if (const auto close = text.find("] "); close != std::string::npos) {
      origin = text.substr(0, close + 2);
      text = text.substr(close + 2);
    }
  }
  const std::string line = "stillwater: warning: " + origin + subject + ": " + text + "\n";
  if (!printed.insert(line).second) return;
  std::fputs(line.c_str(), stderr);
}

void warn_all(const std::string& subject, const std::vector<std::string>& messages) {
  for (const auto& message : messages) warn(subject, message);
}

}  // namespace sw::cli
