#include "exec/stale_files.hpp"

#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <regex>
#include <vector>

namespace sw::exec {

namespace {

namespace fs = std::filesystem;

// The pid in a temporary name, or 0 for any other name.
long temporary_owner(const std::string& name) {
  static const std::regex patterns[] = {
      std::regex(R"(^\..+\.stillwater-(\d+)\.tmp$)"),
      std::regex(R"(^\..+\.stillwater-pieces-(\d+)$)"),
      std::regex(R"(^.+\.tmp-(\d+)-\d+$)"),
  };
  std::smatch match;
  for (const auto& pattern : patterns) {
    if (std::regex_match(name, match, pattern)) return std::stol(match[1].str());
  }
  return 0;
}

bool process_gone(long pid) {
  return pid != ::getpid() && ::kill(static_cast<pid_t>(pid), 0) == -1 && errno == ESRCH;
}

}  // namespace

int remove_stale_temporaries(const fs::path& dir, bool recursive) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return 0;
  std::vector<fs::path> stale;
  auto consider = [&](const fs::directory_entry& entry) {
    const long pid = temporary_owner(entry.path().filename().string());
    if (pid > 0 && process_gone(pid)) stale.push_back(entry.path());
  };
  if (recursive) {
    for (auto it = fs::recursive_directory_iterator(dir, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      consider(*it);
    }
  } else {
    for (const auto& entry : fs::directory_iterator(dir, ec)) consider(entry);
  }
  int removed = 0;
  for (const auto& path : stale) removed += fs::remove_all(path, ec) > 0 ? 1 : 0;
  return removed;
}

}  // namespace sw::exec
