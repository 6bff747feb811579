// Where the time goes: spans per stage, aggregated always (for the table at the end of a run)
// and recorded as events when tracing is on (--trace: a Chrome trace-event file, opened in
// Perfetto or chrome://tracing; one track per rank and thread).
//
// A Span measures wall and thread CPU time from construction to destruction. Stages are short
// fixed names ("decode", "analyse", "warp", "encode", "store", "s3", "mpi-wait", ...); `name`
// says which piece of work (e.g. "segment 3"). Cost: two clock reads per span; with tracing on,
// one event appended under a mutex.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace sw::trace {

struct Event {
  std::string stage;
  std::string name;
  int rank = 0;
  int thread = 0;             // small id per thread, in order of first use
  std::int64_t start_us = 0;  // since the process's trace epoch
  std::int64_t wall_us = 0;
  std::int64_t cpu_us = 0;
  std::int64_t frames = 0;
};

struct StageTotal {
  std::string stage;
  std::int64_t wall_us = 0;
  std::int64_t cpu_us = 0;
  std::int64_t frames = 0;
  std::int64_t spans = 0;
};

// Starts recording events (aggregation is always on). rank labels this process's tracks.
void enable_events(int rank);
bool events_enabled();
void set_rank(int rank);

class Span {
 public:
  explicit Span(const char* stage, std::string name = {}, std::int64_t frames = 0);
  ~Span();
  Span(const Span&) = delete;
  Span& operator=(const Span&) = delete;
  void add_frames(std::int64_t frames) { frames_ += frames; }

 private:
  const char* stage_;
  std::string name_;
  std::int64_t frames_;
  std::int64_t start_wall_us_;
  std::int64_t start_cpu_us_;
};

// Recorded events and per-stage totals of this process so far (in first-seen stage order).
std::vector<Event> events();
std::vector<StageTotal> totals();

// Microseconds since this process's trace epoch (the clock of Event::start_us); ranks compare
// it at a barrier to put every rank's events on rank 0's clock.
std::int64_t now_us();

// Adds totals/events gathered from other ranks (MPI) to this process's view.
void merge(const std::vector<Event>& events, const std::vector<StageTotal>& totals);

// Writes a Chrome trace-event JSON file (through a temporary name). Throws sw::Error.
void write_chrome_trace(const std::string& path);

// The per-stage table: wall, CPU, frames/s, share of the summed wall time. Spans of the stage
// "segment" enclose the others (one per segment, for the trace's tracks) and are left out.
std::string format_table(double run_wall_seconds);
// The same table over given totals (e.g. one rank's).
std::string format_table(std::vector<StageTotal> totals, double run_wall_seconds);

}  // namespace sw::trace
