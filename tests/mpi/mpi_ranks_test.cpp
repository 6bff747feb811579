// `mpirun -np N stillwater ...` gives the bytes of the single-process run with the same segment
// plan (output video and every store array) for N = 1, 2, 3 (3 ranks on 2 cores, over-
// subscribed), also with rank 1 on a second "host" (a network namespace reached over TCP); a
// rank killed mid-run ends the job with an error in bounded time, and the same command then
// resumes from the store to the same bytes.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "core/temporary.hpp"
#include "e2e/cli.hpp"
#include "e2e/store_util.hpp"
#include "support/synthetic_clip.hpp"
#include "support/temp_dir.hpp"

namespace sw::test {
namespace {

namespace fs = std::filesystem;

// One clip and one single-process reference for the whole suite: a GOP shorter than the
// segments and B-frames, so cuts fall inside GOPs and pieces start with reordered frames.
class MpiRanks : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (::geteuid() == 0) {
      ::setenv("OMPI_ALLOW_RUN_AS_ROOT", "1", 1);
      ::setenv("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", 1);
    }
    dir = new TempDir("sw-mpi");
    ClipSpec spec;
    spec.width = 320;
    spec.height = 240;
    spec.frames = 96;
    spec.gop = 12;
    spec.bframes = 3;
    spec.audio = true;
    spec.seed = 23;
    make_shaky_clip(dir->file("in.mp4"), spec);
  }
  static void TearDownTestSuite() {
    delete dir;
    dir = nullptr;
  }

  // The same command for every way of running it; only the names differ.
  static std::vector<std::string> args(const std::string& name, int threads) {
    return {"stabilize",
            dir->file("in.mp4"),
            "-o",
            dir->file(name + ".mp4"),
            "--store",
            dir->file(name + ".zarr"),
            "--segment-frames",
            "8",
            "--threads",
            std::to_string(threads),
            "-q"};
  }

  // mpirun -np N ... under `timeout`, so a hang fails the test instead of blocking it.
  static RunResult mpirun(int ranks, std::vector<std::string> rest,
                          const std::vector<std::string>& mpi_options = {}) {
    std::vector<std::string> all = {"120", "mpirun", "--oversubscribe", "-np",
                                    std::to_string(ranks)};
    all.insert(all.end(), mpi_options.begin(), mpi_options.end());
    all.push_back(SW_BINARY);
    all.insert(all.end(), rest.begin(), rest.end());
    return run("timeout", all);
  }

  // The single-process run (2 threads), made once by the first test that needs it.
  static void make_reference() {
    if (fs::exists(dir->file("ref.mp4"))) return;
    const auto ref = run_stillwater(args("ref", 2));
    ASSERT_EQ(ref.exit_code, 0) << ref.err;
  }

  static void expect_same_as_reference(const std::string& name) {
    make_reference();
    EXPECT_TRUE(file_bytes(dir->file(name + ".mp4")) == file_bytes(dir->file("ref.mp4")))
        << name << ".mp4 differs from the single-process output";
    const auto reference = array_bytes(dir->path() / "ref.zarr");
    const auto arrays = array_bytes(dir->path() / (name + ".zarr"));
    for (const auto& [array, bytes] : reference) {
      EXPECT_EQ(arrays.at(array), bytes) << array << " differs in " << name << ".zarr";
    }
  }

  static TempDir* dir;
};

TempDir* MpiRanks::dir = nullptr;

TEST_F(MpiRanks, OutputAndStoreAreByteIdenticalForOneTwoAndThreeRanks) {
  for (int ranks : {1, 2, 3}) {
    const std::string name = "np" + std::to_string(ranks);
    const auto result = mpirun(ranks, args(name, 1));
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_EQ(result.out, "") << "only rank 0 prints, and -q silences it";
    expect_same_as_reference(name);
  }
}

TEST_F(MpiRanks, FullFrameIsByteIdenticalForOneTwoAndThreeRanks) {
  auto fill = [](const std::string& name, int threads) {
    auto a = args(name, threads);
    a.insert(a.end() - 1, {"--crop", "fill"});
    return a;
  };
  const auto ref = run_stillwater(fill("fill-ref", 2));
  ASSERT_EQ(ref.exit_code, 0) << ref.err;
  for (int ranks : {1, 2, 3}) {
    const std::string name = "fill-np" + std::to_string(ranks);
    const auto result = mpirun(ranks, fill(name, 1));
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_TRUE(file_bytes(dir->file(name + ".mp4")) == file_bytes(dir->file("fill-ref.mp4")))
        << name << ".mp4 differs from the single-process output";
  }
}

// 10-bit input is warped (and with --crop fill, filled) at 16 bits and encoded 10-bit: ranks
// must still give the same bytes.
TEST_F(MpiRanks, TenBitOutputIsByteIdenticalForOneTwoAndThreeRanks) {
  ClipSpec spec;
  spec.width = 320;
  spec.height = 240;
  spec.frames = 40;
  spec.gop = 12;
  spec.bit_depth = 10;
  spec.seed = 29;
  make_shaky_clip(dir->file("in10.mp4"), spec);
  auto ten_bit = [](const std::string& name, int threads) {
    auto a = args(name, threads);
    a[1] = dir->file("in10.mp4");
    return a;
  };
  const auto ref = run_stillwater(ten_bit("ten-ref", 2));
  ASSERT_EQ(ref.exit_code, 0) << ref.err;
  for (int ranks : {1, 2, 3}) {
    const std::string name = "ten-np" + std::to_string(ranks);
    const auto result = mpirun(ranks, ten_bit(name, 1));
    ASSERT_EQ(result.exit_code, 0) << result.err;
    EXPECT_TRUE(file_bytes(dir->file(name + ".mp4")) == file_bytes(dir->file("ten-ref.mp4")))
        << name << ".mp4 differs from the single-process output";
  }
  // The full-frame fill at 16 bits too (its ring and neighbours at the input's depth).
  auto ten_bit_fill = [&](const std::string& name, int threads) {
    auto a = ten_bit(name, threads);
    a.insert(a.end() - 1, {"--crop", "fill"});
    return a;
  };
  const auto fill_ref = run_stillwater(ten_bit_fill("ten-fill-ref", 2));
  ASSERT_EQ(fill_ref.exit_code, 0) << fill_ref.err;
  const auto fill = mpirun(2, ten_bit_fill("ten-fill-np2", 1));
  ASSERT_EQ(fill.exit_code, 0) << fill.err;
  EXPECT_TRUE(file_bytes(dir->file("ten-fill-np2.mp4")) ==
              file_bytes(dir->file("ten-fill-ref.mp4")))
      << "10-bit full frame on 2 ranks differs from the single-process output";
}

// Ignore regions travel in the job (the mask by path and hash): every rank leaves out the same
// corner, so the motions are those of the single-process run.
TEST_F(MpiRanks, IgnoreRegionsAndMaskReachEveryRank) {
  auto ignoring = [](const std::string& name, int threads) {
    auto a = args(name, threads);
    a.insert(a.end() - 1, {"--ignore", "0,0,50%,50%", "--ignore-mask", dir->file("mask.pgm")});
    return a;
  };
  {
    std::ofstream mask(dir->file("mask.pgm"), std::ios::binary);
    mask << "P5 320 240 255\n";
    for (int y = 0; y < 240; ++y)
      for (int x = 0; x < 320; ++x) mask.put(static_cast<char>(x >= 240 && y >= 160 ? 0 : 255));
  }
  const auto ref = run_stillwater(ignoring("ignore-ref", 2));
  ASSERT_EQ(ref.exit_code, 0) << ref.err;
  const auto reference = array_bytes(dir->path() / "ignore-ref.zarr");
  make_reference();
  EXPECT_NE(reference.at("motion"), array_bytes(dir->path() / "ref.zarr").at("motion"))
      << "the ignored regions changed nothing";
  const auto result = mpirun(2, ignoring("ignore-np2", 1));
  ASSERT_EQ(result.exit_code, 0) << result.err;
  const auto arrays = array_bytes(dir->path() / "ignore-np2.zarr");
  for (const auto& [array, bytes] : reference)
    EXPECT_EQ(arrays.at(array), bytes) << array << " differs on 2 ranks";
  EXPECT_TRUE(file_bytes(dir->file("ignore-np2.mp4")) == file_bytes(dir->file("ignore-ref.mp4")));
}

TEST_F(MpiRanks, AnalyzeThenRenderOnRanksEqualsStabilize) {
  auto analyze = args("split", 1);
  analyze.erase(analyze.begin() + 2, analyze.begin() + 4);  // no -o
  analyze[0] = "analyze";
  const auto analysed = mpirun(2, analyze);
  ASSERT_EQ(analysed.exit_code, 0) << analysed.err;
  auto render = args("split", 1);
  render[0] = "render";
  const auto rendered = mpirun(3, render);
  ASSERT_EQ(rendered.exit_code, 0) << rendered.err;
  expect_same_as_reference("split");
}

TEST_F(MpiRanks, TraceHasATrackPerRankAndTheTableCoversAllRanks) {
  auto a = args("traced", 1);
  a.back() = "--verbose";
  a.push_back("--trace");
  a.push_back(dir->file("trace.json"));
  const auto result = mpirun(2, a);
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("mpi-wait"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("rank 0 on"), std::string::npos) << result.err;
  EXPECT_NE(result.err.find("rank 1 on"), std::string::npos) << result.err;

  std::ifstream in(dir->file("trace.json"));
  const auto doc = nlohmann::json::parse(in);
  std::set<int> ranks_with_segments, ranks_waiting;
  for (const auto& e : doc.at("traceEvents")) {
    if (e.at("ph") != "X") continue;
    if (e.at("cat") == "segment") ranks_with_segments.insert(e.at("pid").get<int>());
    if (e.at("cat") == "mpi-wait") ranks_waiting.insert(e.at("pid").get<int>());
  }
  EXPECT_EQ(ranks_with_segments, (std::set<int>{0, 1}));
  EXPECT_TRUE(ranks_waiting.count(1)) << "rank 1's waits for rank 0 are traced";
}

TEST_F(MpiRanks, FailureOnRankZeroEndsEveryRankWithItsMessage) {
  const auto result =
      mpirun(2, {"stabilize", dir->file("missing.mp4"), "-o", dir->file("missing-out.mp4"), "-q"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_NE(result.err.find("missing.mp4"), std::string::npos) << result.err;
}

// Batch: the files in turn, each file's passes served by the other rank; a file that fails on
// rank 0 before its passes (not a video) leaves the ranks waiting for the next file's.
TEST_F(MpiRanks, BatchServesOneFileAfterAnotherAndGoesOnAfterABrokenFile) {
  fs::create_directories(dir->file("batch-in"));
  fs::copy_file(dir->file("in.mp4"), dir->file("batch-in/a.mp4"));
  std::ofstream(dir->file("batch-in/b.mp4")) << "not a video\n";
  fs::copy_file(dir->file("in.mp4"), dir->file("batch-in/c.mp4"));
  const auto result =
      mpirun(2, {"stabilize", dir->file("batch-in"), "-o", dir->file("batch-out/"), "--store",
                 dir->file("batch-stores"), "--segment-frames", "8", "--threads", "1", "-q"});
  EXPECT_EQ(result.exit_code, 1) << result.err;
  EXPECT_NE(result.err.find("b.mp4: not a video file"), std::string::npos) << result.err;
  make_reference();
  for (const std::string name : {"a", "c"}) {
    EXPECT_TRUE(file_bytes(dir->file("batch-out/" + name + ".mp4")) ==
                file_bytes(dir->file("ref.mp4")))
        << name << ".mp4 differs from the single-process output";
  }
  EXPECT_TRUE(fs::exists(dir->file("batch-stores/c.zarr")));
}

// --- a second "host": rank 1 in its own network namespace, reached over TCP -----------------

// Runs a shell command; true on success.
bool sh(const std::string& command) {
  return std::system((command + " >/dev/null 2>&1").c_str()) == 0;
}

// A network namespace joined to this one by a veth pair; deleted (with the pair) in every case.
class Namespace {
 public:
  Namespace()
      : name_("swmpi" + std::to_string(::getpid())),
        veth_("swv" + std::to_string(::getpid())),
        subnet_("10.79." + std::to_string(20 + ::getpid() % 200)) {}
  ~Namespace() {
    sh("ip link del " + veth_ + "a");
    sh("ip netns del " + name_);
  }
  bool create() {
    if (!sh("ip netns add " + name_)) return false;
    created_ = true;
    const std::string in_ns = "ip netns exec " + name_ + " ";
    return sh("ip link add " + veth_ + "a type veth peer name " + veth_ + "b") &&
           sh("ip link set " + veth_ + "b netns " + name_) &&
           sh("ip addr add " + subnet_ + ".1/24 dev " + veth_ + "a") &&
           sh("ip link set " + veth_ + "a up") &&
           sh(in_ns + "ip addr add " + subnet_ + ".2/24 dev " + veth_ + "b") &&
           sh(in_ns + "ip link set " + veth_ + "b up") && sh(in_ns + "ip link set lo up");
  }
  const std::string& name() const { return name_; }
  std::string cidr() const { return subnet_ + ".0/24"; }

 private:
  std::string name_, veth_, subnet_;
  bool created_ = false;
};

TEST_F(MpiRanks, SecondRankInAnotherNetworkNamespaceOverTcp) {
  if (::geteuid() != 0) GTEST_SKIP() << "needs root to create a network namespace";
  Namespace ns;
  if (!ns.create()) GTEST_SKIP() << "`ip netns add` / veth set-up is not permitted here";

  // mpirun starts the second host's daemon through this agent instead of ssh.
  const std::string agent = dir->file("netns-rsh");
  {
    std::ofstream out(agent);
    out << "#!/bin/sh\nhost=$1; shift\nexec ip netns exec " << ns.name()
        << " unshare --uts sh -c \"hostname h2; $*\"\n";
  }
  fs::permissions(agent, fs::perms::owner_all);
  const std::string hostfile = dir->file("hostfile");
  std::ofstream(hostfile) << "localhost slots=1\nh2 slots=1\n";

  auto a = args("netns", 1);
  a.back() = "--verbose";
  const auto result = mpirun(
      2, a,
      {"--hostfile", hostfile, "--mca", "plm_rsh_agent", agent, "--mca", "oob_tcp_if_include",
       ns.cidr(), "--mca", "btl_tcp_if_include", ns.cidr(), "--mca", "btl", "self,tcp"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("rank 1 on h2"), std::string::npos) << result.err;
  expect_same_as_reference("netns");
}

// --- a rank killed mid-run --------------------------------------------------------------------

// The pid of the stillwater process with MPI rank `rank` whose command line mentions `marker`.
pid_t find_rank(int rank, const std::string& marker) {
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    if (name.find_first_not_of("0123456789") != std::string::npos) continue;
    const std::string cmdline = file_bytes((entry.path() / "cmdline").string());
    if (cmdline.find(marker) == std::string::npos ||
        cmdline.find("stillwater") == std::string::npos || cmdline.find("mpirun") == 0)
      continue;
    const std::string environ = file_bytes((entry.path() / "environ").string());
    if (environ.find(std::string("OMPI_COMM_WORLD_RANK=") + std::to_string(rank) + '\0') !=
        std::string::npos)
      return static_cast<pid_t>(std::stol(name));
  }
  return -1;
}

int count_staged(const fs::path& dir) {
  std::error_code ec;
  int n = 0;
  for (auto it = fs::directory_iterator(dir, ec); !ec && it != fs::directory_iterator(); ++it) ++n;
  return n;
}

TEST_F(MpiRanks, KilledRankFailsTheJobAndTheSameCommandResumes) {
  const auto command = args("killed", 1);
  const std::string marker = dir->file("killed.zarr");
  const fs::path staged = dir->path() / "killed.zarr" / "_progress" / "analysis";

  const pid_t job = fork();
  if (job == 0) {
    std::vector<std::string> all = {"mpirun", "--oversubscribe", "-np", "2", SW_BINARY};
    all.insert(all.end(), command.begin(), command.end());
    std::vector<char*> argv;
    for (auto& a : all) argv.push_back(a.data());
    argv.push_back(nullptr);
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1);
    ::dup2(null, 2);
    execvp("mpirun", argv.data());
    _exit(127);
  }
  ASSERT_GT(job, 0);
  // Kill rank 1 once a few segments are staged (mid-analysis), then time the job's end.
  bool killed = false;
  int status = 0;
  const auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < std::chrono::seconds(60)) {
    if (waitpid(job, &status, WNOHANG) == job) break;
    if (count_staged(staged) >= 1) {
      const pid_t victim = find_rank(1, marker);
      if (victim > 0 && ::kill(victim, SIGKILL) == 0) {
        killed = true;
        break;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_TRUE(killed) << "the job ended before rank 1 could be killed";
  const auto killed_at = std::chrono::steady_clock::now();
  bool ended = false;
  while (std::chrono::steady_clock::now() - killed_at < std::chrono::seconds(20)) {
    if (waitpid(job, &status, WNOHANG) == job) {
      ended = true;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (!ended) {
    ::kill(job, SIGKILL);
    waitpid(job, &status, 0);
  }
  ASSERT_TRUE(ended) << "mpirun still running 20 s after rank 1 died";
  EXPECT_FALSE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "the job must fail";
  EXPECT_FALSE(fs::exists(dir->file("killed.mp4")));

  const auto resumed = mpirun(2, command);
  ASSERT_EQ(resumed.exit_code, 0) << resumed.err;
  expect_same_as_reference("killed");
}

// Damage spread over the clip: every rank decodes damaged frames in the segments it gets, and
// each rank's warnings reach the user through rank 0, saying which rank and host met them,
// each line once.
TEST_F(MpiRanks, WarningsOfEveryRankReachTheUserWithRankAndHost) {
  std::string bytes = file_bytes(dir->file("in.mp4"));
  const std::size_t step = bytes.size() / 8;
  for (std::size_t start = step; start + 400 < bytes.size(); start += step) {
    for (std::size_t i = start; i < start + 400; i += 5)
      bytes[i] = static_cast<char>(bytes[i] ^ 0x5a);
  }
  std::ofstream(dir->file("damaged.mp4"), std::ios::binary) << bytes;
  const auto result =
      mpirun(2, {"stabilize", dir->file("damaged.mp4"), "-o", dir->file("damaged-out.mp4"),
                 "--segment-frames", "8", "--threads", "1", "-q"});
  ASSERT_EQ(result.exit_code, 0) << result.err;
  EXPECT_NE(result.err.find("stillwater: warning: [rank 1 on host "), std::string::npos)
      << result.err;
  EXPECT_NE(result.err.find("stillwater: warning: [rank 0 on host "), std::string::npos)
      << result.err;
  std::set<std::string> seen;
  for (const auto& line : result.err_lines()) EXPECT_TRUE(seen.insert(line).second) << line;
}

// A rank renders its pieces into a scratch directory under $TMPDIR: one mkdtemp made
// (private to the user, a name nobody can create first), never a predictable name that
// another user could have put in place (a symlink, a directory of theirs).
TEST_F(MpiRanks, RankScratchDirectoryIsPrivateAndUnpredictable) {
  TempDir tmp("sw-mpi-tmp");
  std::atomic<bool> done{false};
  std::map<std::string, fs::perms> seen;
  std::thread watch([&] {
    while (!done.load()) {
      std::error_code ec;
      for (fs::directory_iterator it(tmp.path(), ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.find("stillwater") == std::string::npos) continue;
        const auto status = fs::symlink_status(it->path(), ec);
        if (!ec) seen[name] = status.permissions();
      }
      std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
  });
  ::setenv("TMPDIR", tmp.path().c_str(), 1);
  const auto result = mpirun(2, args("scratch", 1), {"-x", "TMPDIR"});
  ::unsetenv("TMPDIR");
  done.store(true);
  watch.join();
  ASSERT_EQ(result.exit_code, 0) << result.err;
  ASSERT_FALSE(seen.empty()) << "rank 1 rendered no piece through $TMPDIR";
  for (const auto& [name, perms] : seen) {
    // A marked temporary (core/temporary.hpp): a random part in its name, owner-only access.
    EXPECT_TRUE(is_temporary_name(name)) << name;
    EXPECT_EQ(perms & fs::perms::all, fs::perms::owner_all) << name;
  }
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(tmp.path(), ec)) {
    EXPECT_EQ(entry.path().filename().string().find("stillwater"), std::string::npos)
        << entry.path() << " left behind";
  }
}

}  // namespace
}  // namespace sw::test
