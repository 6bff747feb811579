// A progress bar on stderr with frames/s and ETA, redrawn at most 10 times a second.
// Silent when stderr is not a terminal (pipes, CI logs) or with --quiet.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace sw::cli {

class ProgressBar {
 public:
  // total <= 0 means unknown (no percentage, no ETA).
  ProgressBar(std::string label, std::int64_t total, bool enabled);
  ~ProgressBar();

  void update(std::int64_t done);
  // Draws the final state and ends the line.
  void finish();

  // True when stderr is a terminal.
  static bool stderr_is_terminal();

 private:
  void draw(bool final);

  std::string label_;
  std::int64_t total_;
  std::int64_t done_ = 0;
  bool enabled_;
  bool finished_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace sw::cli
