// A user's files are never touched: the clean-up of stale temporaries leaves alone whatever it
// did not create, and no output (-o, --report, --path-csv, --trace, report -o) may be an input,
// another output, or an existing file without -y; nor is a symlink at an output written through.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "e2e/cli.hpp"
#include "support/file_text.hpp"
#include "support/synthetic_clip.hpp"
#include "support/temp_dir.hpp"

namespace sw::test {
namespace {

namespace fs = std::filesystem;

// Above any pid_max (4194304 at most on Linux): no such process ever runs.
constexpr const char* kDeadPid = "4194999";

class UserFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    ClipSpec spec;
    spec.width = 96;
    spec.height = 64;
    spec.frames = 12;
    make_shaky_clip(dir.file("in.mp4"), spec);
    input_bytes = read_text(dir.file("in.mp4"));
  }
  bool input_intact() const { return read_text(dir.file("in.mp4")) == input_bytes; }

  TempDir dir;
  std::string input_bytes;
};

// Files named as the old clean-up recognised temporaries (NAME.tmp-PID-N beside the output or
// in the store, .NAME.stillwater-PID.tmp, .NAME.stillwater-pieces-PID/) survive a run.
TEST_F(UserFiles, TemporaryLikeNamesBesideTheOutputAndInTheStoreSurvive) {
  const std::string holiday = dir.file(std::string("holiday.tmp-") + kDeadPid + "-1");
  std::ofstream(holiday) << "a user's notes";
  const std::string pieces = dir.file(std::string(".out.mp4.stillwater-pieces-") + kDeadPid);
  fs::create_directory(pieces);
  std::ofstream(pieces + "/keep.txt") << "a user's file";
  const std::string muxed = dir.file(std::string(".out.mp4.stillwater-") + kDeadPid + ".tmp");
  std::ofstream(muxed) << "a user's file";
  ASSERT_EQ(run_stillwater({"analyze", dir.file("in.mp4"), "--store", dir.file("run.zarr"), "-q"})
                .exit_code,
            0);
  const std::string in_store = dir.file(std::string("run.zarr/notes.tmp-") + kDeadPid + "-3");
  std::ofstream(in_store) << "notes";

  const auto r = run_stillwater({"stabilize", dir.file("in.mp4"), "-o", dir.file("out.mp4"),
                                 "--store", dir.file("run.zarr"), "-q"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_text(holiday), "a user's notes");
  EXPECT_EQ(read_text(pieces + "/keep.txt"), "a user's file");
  EXPECT_EQ(read_text(muxed), "a user's file");
  EXPECT_EQ(read_text(in_store), "notes");
}

TEST_F(UserFiles, SideOutputThatIsTheInputIsRefused) {
  for (const char* option : {"--report", "--path-csv", "--trace"}) {
    const auto r = run_stillwater({"stabilize", dir.file("in.mp4"), "-o", dir.file("out.mp4"),
                                   option, dir.file("in.mp4"), "-y", "-q"});
    EXPECT_EQ(r.exit_code, 2) << option << ": " << r.err;
    ASSERT_EQ(r.err_lines().size(), 1u) << r.err;
    EXPECT_NE(r.err.find("is an input of this run"), std::string::npos) << r.err;
    EXPECT_TRUE(input_intact()) << option << " overwrote the input";
    EXPECT_FALSE(fs::exists(dir.file("out.mp4")));
  }
}

TEST_F(UserFiles, TwoOutputsOfOneRunMayNotBeTheSameFile) {
  const auto r =
      run_stillwater({"stabilize", dir.file("in.mp4"), "-o", dir.file("out.mp4"), "--report",
                      dir.file("side.html"), "--path-csv", dir.file("./side.html"), "-q"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("written twice"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir.file("out.mp4")));
}

TEST_F(UserFiles, ExistingSideOutputNeedsOverwrite) {
  std::ofstream(dir.file("path.csv")) << "mine";
  auto r = run_stillwater({"stabilize", dir.file("in.mp4"), "-o", dir.file("out.mp4"), "--path-csv",
                           dir.file("path.csv"), "-q"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("path.csv: already exists (use -y to overwrite)"), std::string::npos)
      << r.err;
  EXPECT_EQ(read_text(dir.file("path.csv")), "mine");
  r = run_stillwater({"stabilize", dir.file("in.mp4"), "-o", dir.file("out.mp4"), "--path-csv",
                      dir.file("path.csv"), "-q", "-y"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_text(dir.file("path.csv")).rfind("frame,pts,", 0), 0u);
}

// `report -o` obeys the same rules: an existing file only with -y, never an input (the input
// video recorded in the store included), and a symlink there is replaced, not written through.
TEST_F(UserFiles, ReportOutputIsChecked) {
  ASSERT_EQ(run_stillwater({"analyze", dir.file("in.mp4"), "--store", dir.file("run.zarr"), "-q"})
                .exit_code,
            0);
  std::ofstream(dir.file("c.mp4")) << "a user's video";
  auto r = run_stillwater({"report", dir.file("run.zarr"), "-o", dir.file("c.mp4"), "-q"});
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("already exists (use -y to overwrite)"), std::string::npos) << r.err;
  EXPECT_TRUE(read_text(dir.file("c.mp4")) == "a user's video");

  r = run_stillwater({"report", dir.file("run.zarr"), "-o", dir.file("in.mp4"), "-y", "-q"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_TRUE(input_intact());

  std::ofstream(dir.file("victim.txt")) << "precious";
  fs::create_symlink(dir.file("victim.txt"), dir.file("r.html"));
  r = run_stillwater({"report", dir.file("run.zarr"), "-o", dir.file("r.html"), "-q"});
  EXPECT_EQ(r.exit_code, 1) << "a symlink is an existing file: " << r.err;
  r = run_stillwater({"report", dir.file("run.zarr"), "-o", dir.file("r.html"), "-y", "-q"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_text(dir.file("victim.txt")), "precious");
  EXPECT_FALSE(fs::is_symlink(dir.file("r.html")));
  EXPECT_NE(read_text(dir.file("r.html")).find("<html"), std::string::npos);
}

// A file already sitting at the old fixed temporary name (NAME.tmp) is not followed or used.
TEST_F(UserFiles, SymlinkAtTheOldTemporaryNameIsNotFollowed) {
  std::ofstream(dir.file("victim.txt")) << "precious";
  fs::create_symlink(dir.file("victim.txt"), dir.file("path.csv.tmp"));
  fs::create_symlink(dir.file("victim.txt"), dir.file("trace.json.tmp"));
  const auto r =
      run_stillwater({"stabilize", dir.file("in.mp4"), "-o", dir.file("out.mp4"), "--path-csv",
                      dir.file("path.csv"), "--trace", dir.file("trace.json"), "-q"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_text(dir.file("victim.txt")), "precious");
  EXPECT_TRUE(fs::is_symlink(dir.file("path.csv.tmp")));
}

}  // namespace
}  // namespace sw::test
