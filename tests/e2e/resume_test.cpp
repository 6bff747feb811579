// kill -9 in the middle of analysis or render, then the same command again: it resumes from
// the store, the output is byte-identical to an uninterrupted run, and no partial chunk or
// temporary file is left.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "e2e/cli.hpp"
#include "e2e/store_util.hpp"
#include "support/synthetic_clip.hpp"
#include "support/temp_dir.hpp"

namespace sw::test {
namespace {

namespace fs = std::filesystem;

int count_files(const fs::path& dir, const std::string& suffix) {
  int n = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.size() >= suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
      ++n;
  }
  return n;
}

int count_temporaries(const fs::path& dir) {
  int n = 0;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(dir, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.find(".tmp") != std::string::npos ||
        name.find("stillwater-pieces") != std::string::npos)
      ++n;
  }
  return n;
}

// Starts `stillwater args...`, waits until `ready()` or the process ends, then SIGKILLs it.
// Returns true when it was killed mid-run.
bool kill_when(const std::vector<std::string>& args, const std::function<bool()>& ready) {
  const pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> argv;
    std::string binary = SW_BINARY;
    argv.push_back(binary.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(SW_BINARY, argv.data());
    _exit(127);
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (waitpid(pid, &status, WNOHANG) == pid) return false;  // finished before the kill
    if (ready()) {
      kill(pid, SIGKILL);
      waitpid(pid, &status, 0);
      return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  kill(pid, SIGKILL);
  waitpid(pid, &status, 0);
  return false;
}

// zarr-python reads every array of the store (staged segments included): a partial chunk
// would fail to decode. Returns how many arrays it read.
int read_every_array(const std::string& store) {
  const auto out =
      shell("/usr/bin/python3 -c \"import zarr\nn = 0\ng = zarr.open_group('" + store +
            "', mode='r')\ndef visit(name, obj):\n    global n\n    if isinstance(obj, "
            "zarr.Array):\n        obj[...]\n        n += 1\ng.visititems(visit)\nprint(n)\"");
  return std::stoi(out);
}

class Resume : public ::testing::Test {
 protected:
  void SetUp() override {
    ClipSpec spec;
    spec.width = 640;
    spec.height = 360;
    spec.frames = 240;
    spec.gop = 24;
    spec.bframes = 2;
    spec.audio = true;
    spec.seed = 5;
    make_shaky_clip(dir.file("in.mp4"), spec);
    const auto ref = run_stillwater(args("ref"));
    ASSERT_EQ(ref.exit_code, 0) << ref.err;
    reference = file_bytes(dir.file("ref.mp4"));
  }
  std::vector<std::string> args(const std::string& name) {
    return {"stabilize",
            dir.file("in.mp4"),
            "-o",
            dir.file(name + ".mp4"),
            "--store",
            dir.file(name + ".zarr"),
            "--segment-frames",
            "24",
            "--threads",
            "1",
            "-q"};
  }
  TempDir dir;
  std::string reference;
};

TEST_F(Resume, KilledDuringAnalysisResumesToIdenticalOutput) {
  const fs::path staged = dir.path() / "a.zarr" / "_progress" / "analysis";
  ASSERT_TRUE(kill_when(args("a"), [&] { return count_files(staged, "0.0") >= 3; }))
      << "the run finished before it could be killed";
  EXPECT_FALSE(fs::exists(dir.file("a.mp4")));
  const int staged_segments = count_files(staged, "0.0");
  EXPECT_LT(staged_segments, 10) << "killed mid-analysis";
  EXPECT_EQ(read_every_array(dir.file("a.zarr")), 3 + staged_segments)
      << "the frame index (3 arrays) and every staged segment, each fully readable";

  const auto resumed = run_stillwater(args("a"));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_TRUE(file_bytes(dir.file("a.mp4")) == reference);
  EXPECT_EQ(array_bytes(dir.path() / "a.zarr"), array_bytes(dir.path() / "ref.zarr"));
  EXPECT_EQ(count_temporaries(dir.path()), 0);
}

TEST_F(Resume, KilledDuringRenderResumesToIdenticalOutput) {
  const fs::path pieces = dir.path() / "r.zarr" / "_progress" / "render";
  ASSERT_TRUE(kill_when(args("r"), [&] { return count_files(pieces, ".mp4") >= 2; }))
      << "the run finished before it could be killed";
  EXPECT_FALSE(fs::exists(dir.file("r.mp4")));
  EXPECT_GE(read_every_array(dir.file("r.zarr")), 14 + 10) << "result arrays and staged segments";

  const auto resumed = run_stillwater(args("r"));
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  EXPECT_TRUE(file_bytes(dir.file("r.mp4")) == reference);
  EXPECT_EQ(count_temporaries(dir.path()), 0);
}

}  // namespace
}  // namespace sw::test
