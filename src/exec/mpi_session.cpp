#include "exec/mpi_session.hpp"

#include <mpi.h>

#include <algorithm>
#include <chrono>
#include <climits>
#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

#include "core/error.hpp"
#include "core/trace.hpp"
#include "exec/job_server.hpp"
#include "exec/rank_messages.hpp"

namespace sw::exec::mpi {

namespace {

// Point-to-point tags on the session's own communicator (a duplicate of MPI_COMM_WORLD).
constexpr int kTagRequest = 1;  // rank k -> 0: a Request header, then its payload
constexpr int kTagReply = 2;    // 0 -> rank k: the next segment, or -1 for none
constexpr int kTagTrace = 3;    // rank k -> 0 at the end: its trace (CBOR)

// Broadcast from rank 0: a command byte, a trace flag byte, then the job.
constexpr char kPass = 'P';
constexpr char kFinish = 'F';
constexpr char kStop = 'S';

class Distributor;

struct State {
  bool active = false;
  bool finalized = false;
  bool broken = false;        // an MPI call failed: only MPI_Abort is safe
  bool pass_running = false;  // other ranks are inside a pass, not waiting for a command
  int rank = 0;
  int size = 1;
  MPI_Comm comm = MPI_COMM_NULL;
  std::int64_t sync_us = 0;  // trace clock right after the start barrier
  std::chrono::steady_clock::time_point start;
  std::string host;
  std::unique_ptr<Distributor> distributor;
};

State& state() {
  static State s;
  return s;
}

std::string error_text(int code) {
  char text[MPI_MAX_ERROR_STRING];
  int length = 0;
  MPI_Error_string(code, text, &length);
  return std::string(text, static_cast<std::size_t>(length));
}

void check(int code, const char* call) {
  if (code != MPI_SUCCESS) {
    state().broken = true;
    throw Error("MPI", std::string(call) + " failed: " + error_text(code));
  }
}

// Blocking MPI calls spin on a core while they wait. With more ranks than cores that takes
// CPU from the workers, so waits poll with a sleep that grows to 2 ms (far below a segment).
class Backoff {
 public:
  void pause() {
    std::this_thread::sleep_for(pause_);
    pause_ = std::min(pause_ * 2, std::chrono::microseconds(2000));
  }

 private:
  std::chrono::microseconds pause_{20};
};

void wait(MPI_Request& request, const char* call) {
  Backoff backoff;
  for (;;) {
    int done = 0;
    check(MPI_Test(&request, &done, MPI_STATUS_IGNORE), call);
    if (done) return;
    backoff.pause();
  }
}

int count_of(std::size_t bytes) {
  if (bytes > static_cast<std::size_t>(INT_MAX)) {
    throw Error("MPI", "expected a message under 2 GiB, got " + std::to_string(bytes) +
                           " bytes (use a smaller --segment-frames)");
  }
  return static_cast<int>(bytes);
}

void send(const std::string& bytes, int destination, int tag) {
  MPI_Request request;
  check(MPI_Isend(bytes.data(), count_of(bytes.size()), MPI_BYTE, destination, tag, state().comm,
                  &request),
        "MPI_Isend");
  wait(request, "MPI_Isend");
}

// The next message with `tag` from `source` (or MPI_ANY_SOURCE); *from gets the sender.
std::string receive(int source, int tag, int* from) {
  State& st = state();
  MPI_Status status;
  Backoff backoff;
  for (;;) {
    int arrived = 0;
    check(MPI_Iprobe(source, tag, st.comm, &arrived, &status), "MPI_Iprobe");
    if (arrived) break;
    backoff.pause();
  }
  int count = 0;
  check(MPI_Get_count(&status, MPI_BYTE, &count), "MPI_Get_count");
  std::string bytes(static_cast<std::size_t>(count), '\0');
  MPI_Request request;
  check(MPI_Irecv(bytes.data(), count, MPI_BYTE, status.MPI_SOURCE, tag, st.comm, &request),
        "MPI_Irecv");
  wait(request, "MPI_Irecv");
  if (from) *from = status.MPI_SOURCE;
  return bytes;
}

// Rank 0's `bytes` on every rank.
std::string broadcast(std::string bytes) {
  State& st = state();
  std::int64_t length = static_cast<std::int64_t>(bytes.size());
  MPI_Request request;
  check(MPI_Ibcast(&length, 1, MPI_INT64_T, 0, st.comm, &request), "MPI_Ibcast");
  wait(request, "MPI_Ibcast");
  // MPI cannot send more than INT_MAX bytes at once (count_of), so a longer length is garbage.
  if (length < 0 || length > INT_MAX) {
    throw Error("MPI", "malformed broadcast from rank 0: length " + std::to_string(length));
  }
  bytes.resize(static_cast<std::size_t>(length));
  check(MPI_Ibcast(bytes.data(), count_of(bytes.size()), MPI_BYTE, 0, st.comm, &request),
        "MPI_Ibcast");
  wait(request, "MPI_Ibcast");
  return bytes;
}

std::string who(int rank, const std::string& host) {
  return "rank " + std::to_string(rank) + " on " + host;
}

// The first failure of a pass, as rank 0 reports it.
struct Failure {
  bool failed = false;
  std::string subject;
  std::string problem;
  int code = 1;
  void set(std::string s, std::string p, int c) {
    if (failed) return;
    failed = true;
    subject = std::move(s);
    problem = std::move(p);
    code = c;
  }
};

// Rank 0's side of a pass: its own workers and a dispatcher thread share one queue; the
// dispatcher answers the other ranks' requests and hands their results to on_result.
class Distributor final : public SegmentDistributor {
 public:
  bool has_remote_workers() const override { return state().size > 1; }

  std::vector<std::string> run(const std::function<std::string()>& job,
                               std::vector<std::int64_t> pending, int threads,
                               const SegmentWork& work, const SegmentResult& on_result) override {
    State& st = state();
    // Nothing pending (a resumed pass): the other ranks need not even hear of it.
    if (pending.empty()) return {};
    LocalQueue queue(std::move(pending), on_result);
    if (st.size == 1) {
      drain(queue, threads, work);
      return {};
    }
    {
      trace::Span wait("mpi-wait", "send job");
      std::string command = {kPass, trace::events_enabled() ? '1' : '0'};
      broadcast(command + job());
    }
    st.pass_running = true;
    Failure failure;
    std::vector<std::string> warnings;
    std::exception_ptr dispatch_error, local_error;
    std::thread dispatcher([&] {
      try {
        dispatch(queue, on_result, failure, warnings);
      } catch (...) {
        dispatch_error = std::current_exception();
        queue.stop();
      }
    });
    try {
      drain(queue, threads, work);
    } catch (...) {
      local_error = std::current_exception();
      queue.stop();
    }
    {
      trace::Span wait("mpi-wait", "other ranks' last segments");
      dispatcher.join();
    }
    if (dispatch_error) std::rethrow_exception(dispatch_error);
    st.pass_running = false;
    if (local_error) std::rethrow_exception(local_error);
    if (failure.failed) {
      throw Error(failure.subject, failure.problem, static_cast<ExitCode>(failure.code));
    }
    return warnings;
  }

 private:
  // Until every other rank said bye. Replies before handing a result on, so the rank starts
  // its next segment while rank 0 stores the last one.
  // Every request is checked (exec/rank_messages.hpp) before anything in it is used.
  static void dispatch(LocalQueue& queue, const SegmentResult& on_result, Failure& failure,
                       std::vector<std::string>& warnings) {
    int remaining = state().size - 1;
    std::vector<bool> handed_out;
    while (remaining > 0) {
      int from = 0;
      const std::string message = receive(MPI_ANY_SOURCE, kTagRequest, &from);
      const RequestMessage request = decode_request(message);
      if (request.type == Request::segment) {
        const auto next = queue.next(0);
        if (next) {
          if (handed_out.size() <= static_cast<std::size_t>(*next))
            handed_out.resize(static_cast<std::size_t>(*next) + 1);
          handed_out[static_cast<std::size_t>(*next)] = true;
        }
        send(encode_int64(next.value_or(-1)), from, kTagReply);
        if (request.value < 0) continue;
        // Only a segment this dispatcher handed out, once: its result slot is then valid.
        const auto k = static_cast<std::size_t>(request.value);
        if (k >= handed_out.size() || !handed_out[k]) {
          throw Error("MPI", "rank " + std::to_string(from) + " returned segment " +
                                 std::to_string(request.value) + ", which it was not given");
        }
        handed_out[k] = false;
        try {
          on_result(request.value, std::string(request.payload));
        } catch (const Error& e) {
          failure.set(e.subject(), e.problem(), static_cast<int>(e.code()));
          queue.stop();
        } catch (const std::exception& e) {
          failure.set("rank 0", e.what(), 1);
          queue.stop();
        }
      } else if (request.type == Request::bye) {
        --remaining;
        for (auto& w : decode_warnings(request.payload)) {
          if (std::find(warnings.begin(), warnings.end(), w) == warnings.end())
            warnings.push_back(std::move(w));
        }
      } else {
        --remaining;
        const FailureMessage error = decode_failure(request.payload);
        const auto code = request.value > 0 && request.value < 256 ? request.value : 1;
        failure.set(error.subject, error.problem, static_cast<int>(code));
        queue.stop();
      }
    }
  }
};

// A rank's side of a pass: every request is a round trip to rank 0 carrying the result of the
// worker's previous segment. One round trip at a time (MPI_THREAD_SERIALIZED), so each reply
// reaches the thread that asked.
class ClientQueue final : public SegmentQueue {
 public:
  std::optional<std::int64_t> next(int worker) override {
    std::lock_guard lock(mutex_);
    std::int64_t finished = -1;
    std::string payload;
    if (auto it = finished_.find(worker); it != finished_.end()) {
      finished = it->second.first;
      payload = std::move(it->second.second);
      finished_.erase(it);
    }
    trace::Span wait("mpi-wait", "next segment");
    send(encode_request(Request::segment, finished, payload), 0, kTagRequest);
    const std::int64_t next = decode_int64(receive(0, kTagReply, nullptr));
    if (next < 0) return std::nullopt;
    return next;
  }

  void complete(int worker, std::int64_t segment, std::string&& result) override {
    std::lock_guard lock(mutex_);
    finished_[worker] = {segment, std::move(result)};
  }

  // The pass is over for this rank: its warnings, each saying where it arose.
  void bye(const std::vector<std::string>& warnings) {
    std::vector<std::string> placed;
    for (const auto& w : warnings) placed.push_back(warning_origin() + w);
    send(encode_request(Request::bye, 0, encode_warnings(placed)), 0, kTagRequest);
  }

  void fail(const std::string& subject, const std::string& problem, int code) {
    const State& st = state();
    const FailureMessage error{who(st.rank, st.host) + (subject.empty() ? "" : ": " + subject),
                               problem};
    send(encode_request(Request::fail, code, encode_failure(error)), 0, kTagRequest);
  }

 private:
  std::mutex mutex_;
  std::map<int, std::pair<std::int64_t, std::string>> finished_;
};

void finalize() {
  State& st = state();
  if (!st.active || st.finalized) return;
  MPI_Comm_free(&st.comm);
  MPI_Finalize();
  st.finalized = true;
  st.active = false;
}

double seconds_since_start() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - state().start).count();
}

std::string encode_trace() {
  const State& st = state();
  TraceMessage t;
  t.sync_us = st.sync_us;
  t.wall_s = seconds_since_start();
  t.host = st.host;
  t.events = trace::events();
  t.totals = trace::totals();
  return encode_trace_message(t);
}

}  // namespace

bool launched() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK"}) {
    if (std::getenv(name)) return true;
  }
  return false;
}

bool start(bool requested) {
  State& st = state();
  if (st.active) return true;
  if (!requested && !launched()) return false;
  int provided = 0;
  if (MPI_Init_thread(nullptr, nullptr, MPI_THREAD_SERIALIZED, &provided) != MPI_SUCCESS) {
    throw Error("MPI", "MPI_Init_thread failed");
  }
  st.active = true;
  st.start = std::chrono::steady_clock::now();
  if (provided < MPI_THREAD_SERIALIZED) {
    st.broken = true;
    throw Error("MPI", "expected MPI_THREAD_SERIALIZED support from the MPI library, got level " +
                           std::to_string(provided));
  }
  check(MPI_Comm_dup(MPI_COMM_WORLD, &st.comm), "MPI_Comm_dup");
  check(MPI_Comm_set_errhandler(st.comm, MPI_ERRORS_RETURN), "MPI_Comm_set_errhandler");
  check(MPI_Comm_rank(st.comm, &st.rank), "MPI_Comm_rank");
  check(MPI_Comm_size(st.comm, &st.size), "MPI_Comm_size");
  char host[MPI_MAX_PROCESSOR_NAME];
  int length = 0;
  check(MPI_Get_processor_name(host, &length), "MPI_Get_processor_name");
  st.host.assign(host, static_cast<std::size_t>(length));
  trace::set_rank(st.rank);
  // One instant seen by every rank, to put their trace events on rank 0's clock.
  MPI_Request request;
  check(MPI_Ibarrier(st.comm, &request), "MPI_Ibarrier");
  wait(request, "MPI_Ibarrier");
  st.sync_us = trace::now_us();
  st.distributor = std::make_unique<Distributor>();
  return true;
}

bool active() {
  return state().active;
}

int rank() {
  return state().rank;
}

int size() {
  return state().size;
}

std::string warning_origin() {
  const State& st = state();
  if (!st.active || st.size < 2) return {};
  return "[" + who(st.rank, "host " + st.host) + "] ";
}

bool ready_for_next_pass() {
  const State& st = state();
  return !st.active || (!st.broken && !st.pass_running);
}

SegmentDistributor* distributor() {
  return state().active ? state().distributor.get() : nullptr;
}

int serve(StopToken stop) {
  State& st = state();
  for (;;) {
    std::string command;
    {
      trace::Span wait("mpi-wait", "rank 0");
      command = broadcast({});
    }
    if (command.empty()) throw Error("MPI", "empty command from rank 0");
    if (command[0] == kFinish) {
      send(encode_trace(), 0, kTagTrace);
      finalize();
      return 0;
    }
    if (command[0] == kStop) {
      finalize();
      return std::atoi(command.c_str() + 1);
    }
    if (command[0] != kPass || command.size() < 2) throw Error("MPI", "unknown command");
    if (command[1] == '1' && !trace::events_enabled()) trace::enable_events(st.rank);
    ClientQueue queue;
    std::vector<std::string> warnings;
    try {
      warnings = serve_job(std::string_view(command).substr(2), queue, stop);
    } catch (const Error& e) {
      if (st.broken) throw;
      queue.fail(e.subject(), e.problem(), static_cast<int>(e.code()));
      continue;
    } catch (const std::exception& e) {
      if (st.broken) throw;
      queue.fail("", std::string("internal error: ") + e.what(), 1);
      continue;
    }
    queue.bye(warnings);
  }
}

std::string finish(double run_wall_seconds) {
  State& st = state();
  std::string tables;
  if (st.active && st.size > 1) {
    tables = who(0, st.host) + ":\n" + trace::format_table(trace::totals(), run_wall_seconds);
    broadcast(std::string(1, kFinish));
    for (int k = 1; k < st.size; ++k) {
      std::string bytes;
      {
        trace::Span wait("mpi-wait", "traces");
        bytes = receive(k, kTagTrace, nullptr);
      }
      TraceMessage t = decode_trace_message(bytes);
      // Wrapping arithmetic: a nonsense clock gives nonsense times, not undefined behaviour.
      const auto shift =
          static_cast<std::uint64_t>(st.sync_us) - static_cast<std::uint64_t>(t.sync_us);
      for (auto& e : t.events)
        e.start_us = static_cast<std::int64_t>(static_cast<std::uint64_t>(e.start_us) + shift);
      tables += who(k, t.host) + ":\n" + trace::format_table(t.totals, t.wall_s);
      trace::merge(t.events, t.totals);
    }
  }
  finalize();
  return tables;
}

void stop_after_error(int exit_code) {
  State& st = state();
  if (!st.active || st.finalized) return;
  if (st.rank == 0 && !st.broken && !st.pass_running) {
    try {
      broadcast(kStop + std::to_string(exit_code));
      finalize();
      return;
    } catch (...) {
      // fall through to the abort: the others cannot be told
    }
  }
  MPI_Abort(MPI_COMM_WORLD, exit_code == 0 ? 1 : exit_code);
}

}  // namespace sw::exec::mpi
