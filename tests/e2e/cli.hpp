// Running the stillwater binary (and ffprobe/ffmpeg) from tests, capturing exit code, stdout
// and stderr separately.
#pragma once

#include <string>
#include <vector>

namespace sw::test {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
  // stderr split into lines (no trailing empty line)
  std::vector<std::string> err_lines() const;
};

// Runs `program args...` through the shell with every argument single-quoted.
RunResult run(const std::string& program, const std::vector<std::string>& args);

// Runs the stillwater binary under test.
RunResult run_stillwater(const std::vector<std::string>& args);

// stdout of a shell command that must succeed (used for ffprobe/ffmpeg); throws otherwise.
std::string shell(const std::string& command);

}  // namespace sw::test
