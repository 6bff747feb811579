// core/temporary: the clean-up removes only what this program made (name AND marker, of a dead
// process of this host) and never a user's file, whatever it is called.
#include "core/temporary.hpp"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "core/error.hpp"
#include "support/file_text.hpp"
#include "support/temp_dir.hpp"

namespace sw {
namespace {

namespace fs = std::filesystem;
using test::read_text;

// Above any pid_max (4194304 at most on Linux): such a process never exists.
constexpr const char* kDeadPid = "4194999";

void write_text(const fs::path& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
}

// A TemporaryDir made by a child process that then dies without cleaning up (as after SIGKILL).
fs::path temporary_of_a_dead_process(const fs::path& parent, const std::string& name) {
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) throw Error("pipe", "failed");
  const pid_t child = ::fork();
  if (child == 0) {
    auto* leaked = new TemporaryDir(parent, name);
    const std::string path = leaked->path().string();
    if (::write(pipe_fds[1], path.data(), path.size()) < 0) ::_exit(1);
    ::_exit(0);
  }
  ::close(pipe_fds[1]);
  char buf[4096];
  const ssize_t n = ::read(pipe_fds[0], buf, sizeof(buf));
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(child, &status, 0);
  if (n <= 0) throw Error("child", "made no temporary");
  return fs::path(std::string(buf, static_cast<std::size_t>(n)));
}

// The names the clean-up used to go by (NAME.tmp-PID-N, .NAME.stillwater-PID.tmp,
// .NAME.stillwater-pieces-PID) are names a user may choose: such files and directories stay.
TEST(Temporary, UserFilesWithTemporaryLikeNamesSurvive) {
  test::TempDir dir;
  const fs::path d = dir.path();
  write_text(d / (std::string("holiday.tmp-") + kDeadPid + "-1"), "a user's file");
  write_text(d / (std::string(".out.mp4.stillwater-") + kDeadPid + ".tmp"), "user");
  fs::create_directory(d / (std::string(".out.mp4.stillwater-pieces-") + kDeadPid));
  write_text(d / (std::string(".out.mp4.stillwater-pieces-") + kDeadPid) / "keep", "user");
  fs::create_directory(d / "photos.tmp-1-1");
  write_text(d / "photos.tmp-1-1" / "holiday.tmp-4194998-2", "deep user file");
  // Even our own name, without our marker, is someone else's directory.
  const fs::path unmarked =
      d / (std::string(".x.stillwater-0123456789abcdef-") + kDeadPid + ".tmp");
  fs::create_directory(unmarked);
  write_text(unmarked / "precious", "user");

  EXPECT_EQ(remove_stale_temporaries(d, false), 0);
  EXPECT_EQ(remove_stale_temporaries(d, true), 0);
  EXPECT_EQ(read_text(d / (std::string("holiday.tmp-") + kDeadPid + "-1")), "a user's file");
  EXPECT_TRUE(fs::exists(d / (std::string(".out.mp4.stillwater-") + kDeadPid + ".tmp")));
  EXPECT_TRUE(fs::exists(d / (std::string(".out.mp4.stillwater-pieces-") + kDeadPid) / "keep"));
  EXPECT_TRUE(fs::exists(d / "photos.tmp-1-1" / "holiday.tmp-4194998-2"));
  EXPECT_TRUE(fs::exists(unmarked / "precious"));
}

TEST(Temporary, MarkedTemporaryOfADeadProcessIsRemoved) {
  test::TempDir dir;
  fs::create_directory(dir.path() / "store");
  const fs::path top = temporary_of_a_dead_process(dir.path(), "out.mp4");
  const fs::path deep = temporary_of_a_dead_process(dir.path() / "store", "0.0");
  write_text(top / "out.mp4", "half an output");
  EXPECT_TRUE(is_temporary_name(top.filename().string()));
  EXPECT_EQ(remove_stale_temporaries(dir.path(), false), 1);
  EXPECT_FALSE(fs::exists(top));
  EXPECT_TRUE(fs::exists(deep));
  EXPECT_EQ(remove_stale_temporaries(dir.path(), true), 1);
  EXPECT_FALSE(fs::exists(deep));
}

TEST(Temporary, TemporaryOfALiveProcessOrAnotherHostStays) {
  test::TempDir dir;
  const TemporaryDir mine(dir.path(), "out.mp4");
  const fs::path other_host = temporary_of_a_dead_process(dir.path(), "b.mp4");
  const fs::path marker = other_host / ".stillwater-temporary";
  std::string text = read_text(marker);
  const auto host = text.find("host ");
  ASSERT_NE(host, std::string::npos) << text;
  text.insert(host + 5, "elsewhere-");
  write_text(marker, text);

  EXPECT_EQ(remove_stale_temporaries(dir.path(), true), 0);
  EXPECT_TRUE(fs::exists(mine.path()));
  EXPECT_TRUE(fs::exists(other_host));
}

// A symlink that carries one of our names leads elsewhere: it is neither followed nor judged.
TEST(Temporary, SymlinkNamedLikeATemporaryIsNotFollowed) {
  test::TempDir dir;
  fs::create_directory(dir.path() / "elsewhere");
  const fs::path real = temporary_of_a_dead_process(dir.path() / "elsewhere", "x");
  fs::create_directory(dir.path() / "out");
  fs::create_directory_symlink(real, dir.path() / "out" / real.filename());
  EXPECT_EQ(remove_stale_temporaries(dir.path() / "out", true), 0);
  EXPECT_TRUE(fs::exists(real));
}

TEST(Temporary, DestructorRemovesWhatWasNotMovedOut) {
  test::TempDir dir;
  fs::path path;
  {
    const TemporaryDir temp(dir.path(), "a.mp4");
    path = temp.path();
    write_text(temp.file("a.mp4"), "bytes");
    write_text(temp.file("b.mp4"), "bytes");
    temp.move_out("a.mp4", dir.path() / "a.mp4");
  }
  EXPECT_FALSE(fs::exists(path));
  EXPECT_EQ(read_text(dir.path() / "a.mp4"), "bytes");
}

// write_file_atomically replaces a symlink at the target itself; it never writes through it.
TEST(Temporary, AtomicWriteDoesNotFollowASymlinkAtTheTarget) {
  test::TempDir dir;
  write_text(dir.path() / "victim", "precious");
  fs::create_symlink(dir.path() / "victim", dir.path() / "report.html");
  write_file_atomically(dir.path() / "report.html", "<html>");
  EXPECT_EQ(read_text(dir.path() / "victim"), "precious");
  EXPECT_FALSE(fs::is_symlink(dir.path() / "report.html"));
  EXPECT_EQ(read_text(dir.path() / "report.html"), "<html>");
  int entries = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path())) ++entries;
  EXPECT_EQ(entries, 2) << "no temporary left behind";
}

TEST(Temporary, LongNamesStayWithinNameMax) {
  test::TempDir dir;
  const std::string name(250, 'n');
  const TemporaryDir temp(dir.path(), name);
  EXPECT_LE(temp.path().filename().string().size(), 255u);
  EXPECT_TRUE(is_temporary_name(temp.path().filename().string()));
}

}  // namespace
}  // namespace sw
