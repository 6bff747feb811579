#include "cli/progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace sw::cli {

namespace {

std::string format_duration(double seconds) {
  const long s = static_cast<long>(seconds + 0.5);
  char text[32];
  std::snprintf(text, sizeof text, "%ld:%02ld", s / 60, s % 60);
  return text;
}

}  // namespace

ProgressBar::ProgressBar(std::string label, std::int64_t total, bool enabled)
    : label_(std::move(label)),
      total_(total),
      enabled_(enabled),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

ProgressBar::~ProgressBar() {
  // An exception unwound past us: end the bar's line so the error starts on its own line.
  if (enabled_ && !finished_ && done_ > 0) std::fputc('\n', stderr);
}

bool ProgressBar::stderr_is_terminal() {
  return isatty(STDERR_FILENO) == 1;
}

void ProgressBar::update(std::int64_t done) {
  done_ = done;
  if (!enabled_) return;
  const auto now = std::chrono::steady_clock::now();
  if (now - last_draw_ < std::chrono::milliseconds(100)) return;
  last_draw_ = now;
  draw(false);
}

void ProgressBar::finish() {
  if (!enabled_ || finished_) return;
  finished_ = true;
  draw(true);
  std::fputc('\n', stderr);
}

void ProgressBar::draw(bool final) {
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double fps = elapsed > 0 ? static_cast<double>(done_) / elapsed : 0;
  constexpr int kWidth = 30;
  std::string line = "\r" + label_ + " ";
  if (total_ > 0) {
    const double fraction = std::min(1.0, static_cast<double>(done_) / static_cast<double>(total_));
    const int filled = static_cast<int>(fraction * kWidth);
    line += "[" + std::string(filled, '#') + std::string(kWidth - filled, '.') + "] ";
    char text[96];
    std::snprintf(text, sizeof text, "%3d%% %lld/%lld frames %6.1f fps",
                  static_cast<int>(fraction * 100), static_cast<long long>(done_),
                  static_cast<long long>(total_), fps);
    line += text;
    if (!final && fps > 0 && done_ < total_) {
      line += "  ETA " + format_duration(static_cast<double>(total_ - done_) / fps);
    } else {
      line += "  " + format_duration(elapsed) + "      ";
    }
  } else {
    char text[64];
    std::snprintf(text, sizeof text, "%lld frames %6.1f fps", static_cast<long long>(done_), fps);
    line += text;
  }
  std::fputs(line.c_str(), stderr);
  std::fflush(stderr);
}

}  // namespace sw::cli
