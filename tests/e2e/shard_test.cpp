// --shard K/N on a local directory store: three shards as three concurrent processes, then the
// run without --shard, give the output bytes and store arrays of a single-process run; auto/N
// takes K from each scheduler's variable; bad values are one-line usage errors.
#include <gtest/gtest.h>

#include <filesystem>
#include <future>
#include <string>
#include <vector>

#include "e2e/cli.hpp"
#include "e2e/store_util.hpp"
#include "support/synthetic_clip.hpp"
#include "support/temp_dir.hpp"

namespace sw::test {
namespace {

namespace fs = std::filesystem;

constexpr int kShards = 3;

// 80 frames, a keyframe every 10, --segment-frames 10: 8 segments, so shard 0 owns 0, 3, 6.
struct Clip {
  TempDir dir{"sw-shard"};
  std::string input = dir.file("in.mp4");
  std::string reference = dir.file("reference.mp4");
  std::string reference_store = dir.file("reference.zarr");
};

Clip& clip() {
  static Clip* c = [] {
    auto* made = new Clip;
    ClipSpec spec;
    spec.frames = 80;
    spec.gop = 10;
    spec.seed = 16;
    spec.audio = true;
    make_shaky_clip(made->input, spec);
    for (const char* command : {"analyze", "render"}) {
      std::vector<std::string> args = {
          command,     made->input, "--store", made->reference_store, "--segment-frames", "10",
          "--threads", "2",         "-q"};
      if (std::string(command) == "render") args.insert(args.end(), {"-o", made->reference});
      const RunResult r = run_stillwater(args);
      if (r.exit_code != 0) throw std::runtime_error("reference run failed: " + r.err);
    }
    return made;
  }();
  return *c;
}

std::vector<std::string> with_common(std::vector<std::string> args) {
  args.insert(args.end(), {"--segment-frames", "10", "--threads", "1"});
  return args;
}

// `args` with --shard k/N for every k, as concurrent processes; their results in k's order.
std::vector<RunResult> run_shards(const std::vector<std::string>& args) {
  std::vector<std::future<RunResult>> running;
  for (int k = 0; k < kShards; ++k) {
    std::vector<std::string> shard_args = with_common(args);
    shard_args.insert(shard_args.end(),
                      {"--shard", std::to_string(k) + "/" + std::to_string(kShards)});
    running.push_back(
        std::async(std::launch::async, [shard_args] { return run_stillwater(shard_args); }));
  }
  std::vector<RunResult> results;
  for (auto& r : running) results.push_back(r.get());
  return results;
}

TEST(Shards, ConcurrentShardsThenFinishingRunGiveTheSingleRunsBytes) {
  Clip& c = clip();
  TempDir dir("sw-shard-run");
  const std::string store = dir.file("run.zarr"), output = dir.file("out.mp4");

  const auto analysed = run_shards({"analyze", c.input, "--store", store});
  for (int k = 0; k < kShards; ++k) {
    ASSERT_EQ(analysed[k].exit_code, 0) << analysed[k].err;
    EXPECT_NE(analysed[k].out.find("shard " + std::to_string(k) + "/3 of 8 segments"),
              std::string::npos)
        << analysed[k].out;
  }
  EXPECT_NE(analysed[0].out.find("analysed 0, 3, 6; skipped (already in the store) none"),
            std::string::npos)
      << analysed[0].out;
  // A shard writes no motions and no path: only the run without --shard does.
  EXPECT_FALSE(fs::exists(fs::path(store) / "motion"));
  EXPECT_FALSE(fs::exists(fs::path(store) / "correction"));

  // A render shard before the analysis is finished says what to do.
  const RunResult early = run_stillwater(
      with_common({"render", c.input, "--store", store, "-o", output, "--shard", "0/3"}));
  EXPECT_EQ(early.exit_code, 1);
  ASSERT_EQ(early.err_lines().size(), 1u) << early.err;
  EXPECT_NE(early.err.find("without --shard once every analysis shard is done"), std::string::npos)
      << early.err;

  // The same shard again finds its segments staged.
  const RunResult again =
      run_stillwater(with_common({"analyze", c.input, "--store", store, "--shard", "1/3"}));
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("analysed none; skipped (already in the store) 1, 4, 7"),
            std::string::npos)
      << again.out;

  const RunResult finished = run_stillwater(with_common({"analyze", c.input, "--store", store}));
  ASSERT_EQ(finished.exit_code, 0) << finished.err;
  EXPECT_NE(finished.out.find("8 segments (8 resumed)"), std::string::npos) << finished.out;

  const auto rendered = run_shards({"render", c.input, "--store", store, "-o", output});
  for (int k = 0; k < kShards; ++k) ASSERT_EQ(rendered[k].exit_code, 0) << rendered[k].err;
  EXPECT_NE(rendered[2].out.find("rendered 2, 5; skipped (already in the store) none"),
            std::string::npos)
      << rendered[2].out;
  EXPECT_FALSE(fs::exists(output));  // no shard assembles

  const RunResult assembled =
      run_stillwater(with_common({"render", c.input, "--store", store, "-o", output}));
  ASSERT_EQ(assembled.exit_code, 0) << assembled.err;
  EXPECT_NE(assembled.out.find("(8 resumed)"), std::string::npos) << assembled.out;

  EXPECT_EQ(file_bytes(output), file_bytes(c.reference));
  EXPECT_EQ(array_bytes(store), array_bytes(c.reference_store));
}

// A plain run holds the store alone: a shard is refused while it works, and the other way
// round (shards share the lock among themselves only).
TEST(Shards, ShardsAndAPlainRunDoNotShareALocalStore) {
  Clip& c = clip();
  TempDir dir("sw-shard-lock");
  const std::string store = dir.file("run.zarr");
  ASSERT_EQ(run_stillwater(with_common({"analyze", c.input, "--store", store, "--shard", "0/2"}))
                .exit_code,
            0);
  // Hold the lock shared as a shard does, with flock(1), while a plain run tries.
  const RunResult plain =
      run("/usr/bin/flock", {"--shared", (fs::path(store) / ".stillwater.lock").string(), SW_BINARY,
                             "analyze", c.input, "--store", store, "--segment-frames", "10"});
  EXPECT_EQ(plain.exit_code, 1);
  EXPECT_NE(plain.err.find("store is in use by another run (shards of a job array)"),
            std::string::npos)
      << plain.err;
  const RunResult shard =
      run("/usr/bin/flock",
          {"--shared", (fs::path(store) / ".stillwater.lock").string(), SW_BINARY, "analyze",
           c.input, "--store", store, "--segment-frames", "10", "--shard", "1/2", "-q"});
  EXPECT_EQ(shard.exit_code, 0) << shard.err;
}

struct AutoCase {
  std::vector<std::string> env;
  std::string expected;  // "shard K/N" in the summary
};

class ShardAuto : public ::testing::TestWithParam<AutoCase> {};

TEST_P(ShardAuto, TakesKFromTheSchedulersVariable) {
  Clip& c = clip();
  TempDir dir("sw-shard-auto");
  std::vector<std::string> args = GetParam().env;
  args.insert(args.end(), {SW_BINARY, "analyze", c.input, "--store", dir.file("run.zarr"),
                           "--segment-frames", "10", "--shard", "auto/4"});
  const RunResult r = run("/usr/bin/env", args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find(GetParam().expected + " of 8 segments"), std::string::npos) << r.out;
}

INSTANTIATE_TEST_SUITE_P(
    Schedulers, ShardAuto,
    ::testing::Values(AutoCase{{"SLURM_ARRAY_TASK_ID=2"}, "shard 2/4"},
                      // --array=1-4: task 3 is the third shard
                      AutoCase{{"SLURM_ARRAY_TASK_ID=3", "SLURM_ARRAY_TASK_MIN=1"}, "shard 2/4"},
                      AutoCase{{"JOB_COMPLETION_INDEX=1"}, "shard 1/4"},
                      AutoCase{{"AWS_BATCH_JOB_ARRAY_INDEX=3"}, "shard 3/4"},
                      // the first one set wins
                      AutoCase{{"JOB_COMPLETION_INDEX=0", "AWS_BATCH_JOB_ARRAY_INDEX=3"},
                               "shard 0/4"}),
    [](const auto& info) { return "case" + std::to_string(info.index); });

struct BadCase {
  std::vector<std::string> env;
  std::string shard, needle;
};

class ShardBad : public ::testing::TestWithParam<BadCase> {};

TEST_P(ShardBad, IsAOneLineUsageError) {
  Clip& c = clip();
  TempDir dir("sw-shard-bad");
  // -i: none of the schedulers' variables leaks in from the test's own environment.
  std::vector<std::string> args = {"-i"};
  args.insert(args.end(), GetParam().env.begin(), GetParam().env.end());
  args.insert(args.end(), {SW_BINARY, "analyze", c.input, "--store", dir.file("run.zarr"),
                           "--shard", GetParam().shard});
  const RunResult r = run("/usr/bin/env", args);
  EXPECT_EQ(r.exit_code, 2);
  ASSERT_EQ(r.err_lines().size(), 1u) << r.err;
  EXPECT_NE(r.err.find("--shard"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(GetParam().needle), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir.file("run.zarr")));
}

INSTANTIATE_TEST_SUITE_P(
    Values, ShardBad,
    ::testing::Values(
        BadCase{{}, "3/3", "K counts from 0"}, BadCase{{}, "1/0", "expected K/N"},
        BadCase{{}, "x/2", "expected K/N"}, BadCase{{}, "2", "expected K/N"},
        BadCase{{}, "-1/2", "expected K/N"},
        BadCase{{}, "auto/2", "none of SLURM_ARRAY_TASK_ID, JOB_COMPLETION_INDEX"},
        BadCase{{"SLURM_ARRAY_TASK_ID=abc"}, "auto/2", "SLURM_ARRAY_TASK_ID is 'abc'"},
        BadCase{{"SLURM_ARRAY_TASK_ID=4", "SLURM_ARRAY_TASK_MIN=1"}, "auto/2", "below N"}),
    [](const auto& info) { return "case" + std::to_string(info.index); });

}  // namespace
}  // namespace sw::test
