// SIGINT/SIGTERM: the first one stops every long loop (not only the passes' per-frame loops:
// here the lockstep decode of `metrics IN OUT`, the loop `report --measure` shares), which
// exits with 130 and leaves nothing behind; a second one ends the program at once, even while
// it waits in a blocking call. A batch stops at the first signal.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <optional>
#include <thread>

#include "e2e/cli.hpp"
#include "support/temp_dir.hpp"

namespace sw::test {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

std::vector<std::string> listing(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// The stillwater binary as a child process (stdin, stdout and stderr on /dev/null), killed with
// SIGKILL if a test ends while it still runs.
class Child {
 public:
  explicit Child(const std::vector<std::string>& args) {
    pid_ = ::fork();
    if (pid_ == 0) {
      const int null = ::open("/dev/null", O_RDWR);
      ::dup2(null, 0);
      ::dup2(null, 1);
      ::dup2(null, 2);
      std::vector<char*> argv;
      std::string binary = SW_BINARY;
      argv.push_back(binary.data());
      std::vector<std::string> copy = args;
      for (auto& a : copy) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(SW_BINARY, argv.data());
      ::_exit(127);
    }
  }
  ~Child() {
    if (pid_ > 0 && !status_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
  }
  void signal(int sig) const { ::kill(pid_, sig); }
  // The exit status once the child has ended within `limit`, else nullopt (it still runs).
  std::optional<int> wait_for(std::chrono::milliseconds limit) {
    const auto end = Clock::now() + limit;
    while (!status_) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
        break;
      }
      if (Clock::now() >= end) break;
      std::this_thread::sleep_for(10ms);
    }
    return status_;
  }

 private:
  pid_t pid_ = -1;
  std::optional<int> status_;
};

TEST(Signals, FirstSigintStopsMetricsWith130AndNothingLeft) {
  TempDir dir;
  // About ten seconds of lockstep decoding and measuring: far longer than the wait below.
  shell(
      "ffmpeg -v error -f lavfi -i testsrc2=size=640x360:rate=30 -frames:v 300 -c:v libx264 "
      "-preset ultrafast '" +
      dir.file("in.mp4") + "' </dev/null");
  const auto before = listing(dir.path());
  for (int sig : {SIGINT, SIGTERM}) {
    Child child({"metrics", dir.file("in.mp4"), dir.file("in.mp4"), "-q"});
    std::this_thread::sleep_for(1s);
    ASSERT_FALSE(child.wait_for(0ms)) << "metrics ended before the signal; make the clip longer";
    child.signal(sig);
    const auto status = child.wait_for(4s);
    ASSERT_TRUE(status) << "still running 4 s after signal " << sig;
    EXPECT_EQ(*status, 130) << "signal " << sig;
  }
  EXPECT_EQ(listing(dir.path()), before);
}

// A batch (cli/batch.hpp) goes on after a file that fails, but not after an interrupt: the
// first SIGINT ends it with 130, the file in progress leaves nothing and the next never starts.
TEST(Signals, SigintEndsABatchWith130AndNoFurtherFile) {
  TempDir dir;
  shell(
      "ffmpeg -v error -f lavfi -i testsrc2=size=640x360:rate=30 -frames:v 300 -c:v libx264 "
      "-preset ultrafast '" +
      dir.file("a.mp4") + "' </dev/null");
  fs::copy_file(dir.file("a.mp4"), dir.file("b.mp4"));
  Child child({"stabilize", dir.file("a.mp4"), dir.file("b.mp4"), "-o", dir.file("out/"),
               "--threads", "1", "-q"});
  std::this_thread::sleep_for(1s);
  ASSERT_FALSE(child.wait_for(0ms)) << "the batch ended before the signal; make the clip longer";
  child.signal(SIGINT);
  const auto status = child.wait_for(10s);
  ASSERT_TRUE(status) << "still running 10 s after SIGINT";
  EXPECT_EQ(*status, 130);
  EXPECT_EQ(listing(dir.file("out")), std::vector<std::string>{});
}

// A run blocked reading its input (a FIFO that never delivers a byte) cannot reach a check of
// the stop request: the second signal ends it at once.
TEST(Signals, SecondSigintEndsABlockedRunAtOnce) {
  TempDir dir;
  ASSERT_EQ(::mkfifo(dir.file("in.mp4").c_str(), 0600), 0);
  Child child({"stabilize", dir.file("in.mp4"), "-o", dir.file("out.mp4"), "-q"});
  // Opening the write end succeeds once the child has opened the read end (its signal handler
  // is installed by then); the child then blocks reading, as no byte ever comes.
  int writer = -1;
  const auto give_up = Clock::now() + 20s;
  while ((writer = ::open(dir.file("in.mp4").c_str(), O_WRONLY | O_NONBLOCK)) < 0 &&
         Clock::now() < give_up)
    std::this_thread::sleep_for(10ms);
  ASSERT_GE(writer, 0) << "the child never opened its input";
  std::this_thread::sleep_for(200ms);
  child.signal(SIGINT);
  EXPECT_FALSE(child.wait_for(300ms)) << "the first signal waits for the run to notice";
  child.signal(SIGINT);
  const auto status = child.wait_for(2s);
  ::close(writer);
  ASSERT_TRUE(status) << "still running 2 s after the second SIGINT";
  EXPECT_EQ(*status, 130);
  EXPECT_FALSE(fs::exists(dir.file("out.mp4")));
}

}  // namespace
}  // namespace sw::test
