#include "core/trace.hpp"

#include <time.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/temporary.hpp"

namespace sw::trace {

namespace {

struct Recorder {
  std::mutex mutex;
  std::vector<Event> events;
  std::vector<StageTotal> totals;  // in first-seen order
  std::atomic<bool> record{false};
  std::atomic<int> rank{0};
  std::atomic<int> next_thread{0};
  const std::chrono::steady_clock::time_point epoch = std::chrono::steady_clock::now();
};

Recorder& recorder() {
  static Recorder r;
  return r;
}

std::int64_t wall_now_us() {
  return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                               recorder().epoch)
      .count();
}

std::int64_t cpu_now_us() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<std::int64_t>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}

int thread_id() {
  thread_local const int id = recorder().next_thread.fetch_add(1);
  return id;
}

StageTotal& total_for(std::vector<StageTotal>& totals, const std::string& stage) {
  for (auto& t : totals) {
    if (t.stage == stage) return t;
  }
  totals.push_back({stage, 0, 0, 0, 0});
  return totals.back();
}

}  // namespace

void enable_events(int rank) {
  recorder().rank = rank;
  recorder().record = true;
}

bool events_enabled() {
  return recorder().record.load();
}

void set_rank(int rank) {
  recorder().rank = rank;
}

Span::Span(const char* stage, std::string name, std::int64_t frames)
    : stage_(stage),
      name_(std::move(name)),
      frames_(frames),
      start_wall_us_(wall_now_us()),
      start_cpu_us_(cpu_now_us()) {}

Span::~Span() {
  const std::int64_t wall = wall_now_us() - start_wall_us_;
  const std::int64_t cpu = cpu_now_us() - start_cpu_us_;
  Recorder& r = recorder();
  std::lock_guard lock(r.mutex);
  StageTotal& t = total_for(r.totals, stage_);
  t.wall_us += wall;
  t.cpu_us += cpu;
  t.frames += frames_;
  ++t.spans;
  if (r.record) {
    r.events.push_back(
        {stage_, name_, r.rank.load(), thread_id(), start_wall_us_, wall, cpu, frames_});
  }
}

std::int64_t now_us() {
  return wall_now_us();
}

std::vector<Event> events() {
  std::lock_guard lock(recorder().mutex);
  return recorder().events;
}

std::vector<StageTotal> totals() {
  std::lock_guard lock(recorder().mutex);
  return recorder().totals;
}

void merge(const std::vector<Event>& events, const std::vector<StageTotal>& totals) {
  Recorder& r = recorder();
  std::lock_guard lock(r.mutex);
  r.events.insert(r.events.end(), events.begin(), events.end());
  for (const auto& other : totals) {
    StageTotal& t = total_for(r.totals, other.stage);
    t.wall_us += other.wall_us;
    t.cpu_us += other.cpu_us;
    t.frames += other.frames;
    t.spans += other.spans;
  }
}

void write_chrome_trace(const std::string& path) {
  // Trace Event Format: "X" (complete) events with ts/dur in microseconds; pid = rank,
  // tid = thread; "M" metadata events name the tracks.
  nlohmann::json list = nlohmann::json::array();
  std::map<std::pair<int, int>, bool> tracks;
  for (const Event& e : events()) {
    list.push_back({{"name", e.name.empty() ? e.stage : e.stage + " " + e.name},
                    {"cat", e.stage},
                    {"ph", "X"},
                    {"ts", e.start_us},
                    {"dur", e.wall_us},
                    {"pid", e.rank},
                    {"tid", e.thread},
                    {"args", {{"frames", e.frames}, {"cpu_us", e.cpu_us}, {"stage", e.stage}}}});
    tracks[{e.rank, e.thread}] = true;
  }
  for (const auto& [track, unused] : tracks) {
    list.push_back({{"name", "process_name"},
                    {"ph", "M"},
                    {"pid", track.first},
                    {"tid", 0},
                    {"args", {{"name", "rank " + std::to_string(track.first)}}}});
    list.push_back({{"name", "thread_name"},
                    {"ph", "M"},
                    {"pid", track.first},
                    {"tid", track.second},
                    {"args", {{"name", "thread " + std::to_string(track.second)}}}});
  }
  const nlohmann::json doc = {{"traceEvents", list}, {"displayTimeUnit", "ms"}};
  // Span names carry file names, which need not be UTF-8: replace bad bytes, never fail.
  write_file_atomically(path,
                        doc.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + '\n');
}

std::string format_table(double run_wall_seconds) {
  return format_table(totals(), run_wall_seconds);
}

std::string format_table(std::vector<StageTotal> all, double run_wall_seconds) {
  double summed = 0;
  // Segment spans enclose the per-frame stages: they are tracks in the trace, not a stage.
  std::erase_if(all, [](const StageTotal& t) { return t.stage == "segment"; });
  for (const auto& t : all) summed += static_cast<double>(t.wall_us);
  std::string out;
  char line[160];
  std::snprintf(line, sizeof line, "%-10s %10s %10s %10s %7s\n", "stage", "wall s", "cpu s",
                "frames/s", "share");
  out += line;
  for (const auto& t : all) {
    const double wall = static_cast<double>(t.wall_us) / 1e6;
    const double fps = t.frames > 0 && wall > 0 ? static_cast<double>(t.frames) / wall : 0;
    std::snprintf(line, sizeof line, "%-10s %10.2f %10.2f %10.1f %6.1f%%\n", t.stage.c_str(), wall,
                  static_cast<double>(t.cpu_us) / 1e6, fps,
                  summed > 0 ? 100.0 * static_cast<double>(t.wall_us) / summed : 0.0);
    out += line;
  }
  std::snprintf(line, sizeof line, "%-10s %10.2f   (stage times add up over threads and ranks)\n",
                "run", run_wall_seconds);
  out += line;
  return out;
}

}  // namespace sw::trace
