// LocalBackend: keys map to files, puts are atomic (temporary + rename), temporaries left by a
// crash are invisible, and a read-only directory gives a clear error.
#include <fstream>
#include <thread>

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/temporary.hpp"
#include "store/local_backend.hpp"
#include "store/store_lock.hpp"
#include "support/temp_dir.hpp"

namespace sw::store {
namespace {

namespace fs = std::filesystem;

Bytes bytes_of(const std::string& s) {
  return Bytes(s.begin(), s.end());
}

TEST(LocalBackend, PutGetExistsListRemove) {
  test::TempDir dir("sw-store-backend");
  LocalBackend b(dir.path() / "root");  // created on the first put
  EXPECT_EQ(b.get("a/.zarray"), std::nullopt);
  EXPECT_TRUE(b.list("").empty());

  b.put("a/.zarray", bytes_of("{}"));
  b.put("a/0.0", bytes_of("chunk00"));
  b.put("a/1/2", bytes_of("nested"));
  b.put("ab", bytes_of(""));
  EXPECT_EQ(b.get("a/0.0"), bytes_of("chunk00"));
  EXPECT_EQ(b.get("ab"), Bytes{});
  EXPECT_TRUE(b.exists("a/1/2"));
  EXPECT_FALSE(b.exists("a/1"));  // a directory is a hierarchy level, not a key
  EXPECT_EQ(b.get("a/1"), std::nullopt);
  EXPECT_EQ(b.list(""), (std::vector<std::string>{"a/.zarray", "a/0.0", "a/1/2", "ab"}));
  EXPECT_EQ(b.list("a/"), (std::vector<std::string>{"a/.zarray", "a/0.0", "a/1/2"}));
  EXPECT_EQ(b.list("a"), (std::vector<std::string>{"a/.zarray", "a/0.0", "a/1/2", "ab"}));
  EXPECT_EQ(b.list("a/1"), (std::vector<std::string>{"a/1/2"}));

  b.put("a/0.0", bytes_of("replaced"));
  EXPECT_EQ(b.get("a/0.0"), bytes_of("replaced"));
  b.remove("a/0.0");
  b.remove("a/0.0");  // removing a missing key is fine
  EXPECT_FALSE(b.exists("a/0.0"));
  EXPECT_EQ(b.describe("a/0.0"), (dir.path() / "root" / "a" / "0.0").string());
  // Only the key's file remains: no temporaries are left after successful puts.
  std::size_t files = 0;
  for (const auto& e : fs::recursive_directory_iterator(dir.path())) files += e.is_regular_file();
  EXPECT_EQ(files, 3u);
}

TEST(LocalBackend, RejectsKeysOutsideTheStore) {
  test::TempDir dir("sw-store-backend");
  LocalBackend b(dir.path());
  for (const std::string key : {"", "/abs", "a//b", "../x", "a/./b", "a/"}) {
    try {
      b.put(key, bytes_of("x"));
      FAIL() << "accepted key \"" << key << "\"";
    } catch (const sw::Error& e) {
      EXPECT_NE(e.problem().find("invalid key"), std::string::npos) << e.what();
      EXPECT_NE(e.problem().find("expected a relative"), std::string::npos) << e.what();
    }
  }
  EXPECT_THROW(b.put("a/.0.0.stillwater-0123456789abcdef-12.tmp", bytes_of("x")), sw::Error);
}

// A crash between creating the temporary and renaming it leaves a temporary directory
// (core/temporary.hpp) holding the half-written value; readers must neither see it as a key nor
// confuse it with the key's value.
TEST(LocalBackend, TemporaryLeftByACrashIsInvisible) {
  test::TempDir dir("sw-store-backend");
  LocalBackend b(dir.path());
  b.put("arr/0.0", bytes_of("old complete value"));
  const auto crashed_put = [&](const std::string& name, const char* partial) {
    const auto temp = dir.path() / "arr" / ("." + name + ".stillwater-00000000deadbeef-4242.tmp");
    std::filesystem::create_directory(temp);
    std::ofstream(temp / name) << partial;
  };
  crashed_put("0.0", "half a ch");   // a crashed rewrite
  crashed_put("1.0", "half a new");  // a crashed first write

  EXPECT_EQ(b.get("arr/0.0"), bytes_of("old complete value"));
  EXPECT_FALSE(b.exists("arr/1.0"));
  EXPECT_EQ(b.get("arr/1.0"), std::nullopt);
  EXPECT_EQ(b.list("arr/"), std::vector<std::string>{"arr/0.0"});
  EXPECT_FALSE(b.exists("arr/.0.0.stillwater-00000000deadbeef-4242.tmp"));
}

// Nothing but the value is left beside the key after a put: the temporary is gone.
TEST(LocalBackend, PutLeavesOnlyTheKey) {
  test::TempDir dir("sw-store-backend");
  LocalBackend b(dir.path());
  b.put("arr/0.0", bytes_of("value"));
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir.path() / "arr"))
    names.push_back(e.path().filename().string());
  EXPECT_EQ(names, std::vector<std::string>{"0.0"});
}

TEST(LocalBackend, ConcurrentPutsOfDifferentKeys) {
  test::TempDir dir("sw-store-backend");
  LocalBackend b(dir.path());
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&b, t] {
      for (int i = 0; i < 50; ++i) {
        b.put("x/" + std::to_string(t) + "/" + std::to_string(i), Bytes(100 + i, std::uint8_t(t)));
      }
    });
  }
  for (auto& th : threads) th.join();
  ASSERT_EQ(b.list("x/").size(), 200u);
  for (int t = 0; t < 4; ++t) {
    for (int i = 0; i < 50; ++i) {
      EXPECT_EQ(b.get("x/" + std::to_string(t) + "/" + std::to_string(i)),
                Bytes(100 + i, std::uint8_t(t)));
    }
  }
}

// Tries two puts into a read-only store; returns the error messages ("" if a put succeeded).
std::vector<std::string> puts_into_read_only(const fs::path& root) {
  std::vector<std::string> messages;
  LocalBackend b(root);
  for (const std::string key : {"top", "new/dir/0.0"}) {
    try {
      b.put(key, bytes_of("x"));
      messages.push_back("");
    } catch (const sw::Error& e) {
      messages.push_back(e.what());
    }
  }
  return messages;
}

// Root ignores permissions, so as root the puts run in a child process that has dropped to the
// unprivileged uid/gid 65534 ("nobody"); the test is skipped only if that is not possible.
std::optional<std::vector<std::string>> puts_as_nobody(const fs::path& root) {
  int fds[2];
  if (::pipe(fds) != 0) return std::nullopt;
  const pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    if (::setgid(65534) != 0 || ::setuid(65534) != 0) ::_exit(77);
    std::string text;
    for (const auto& m : puts_into_read_only(root)) text += m + "\n";
    const bool ok = ::write(fds[1], text.data(), text.size()) == ssize_t(text.size());
    ::_exit(ok ? 0 : 1);
  }
  ::close(fds[1]);
  std::string text;
  char buf[512];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) text.append(buf, std::size_t(n));
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::nullopt;
  std::vector<std::string> messages;
  for (std::size_t at = 0, nl; (nl = text.find('\n', at)) != std::string::npos; at = nl + 1) {
    messages.push_back(text.substr(at, nl - at));
  }
  return messages;
}

TEST(LocalBackend, ReadOnlyDirectoryIsAClearError) {
  test::TempDir dir("sw-store-backend");
  const fs::path root = dir.path() / "ro";
  fs::create_directory(root);
  fs::permissions(root, fs::perms::all & ~(fs::perms::owner_write | fs::perms::group_write |
                                           fs::perms::others_write));
  std::optional<std::vector<std::string>> messages;
  if (::geteuid() == 0)
    messages = puts_as_nobody(root);
  else
    messages = puts_into_read_only(root);
  fs::permissions(root, fs::perms::owner_all);  // so that TempDir can remove it
  if (!messages) {
    GTEST_SKIP() << "running as root, which ignores directory permissions, and dropping to "
                    "uid 65534 failed: a read-only directory cannot be simulated";
  }
  const std::string expected =
      root.string() + ": not writable (expected a writable directory, got: Permission denied)";
  EXPECT_EQ(*messages, (std::vector<std::string>{expected, expected}));
  EXPECT_TRUE(fs::is_empty(root));
}

// Whole files: a key's file is where the key lives (written in place by an encoder), put_file
// and get_file carry a file's bytes in and out, and a missing key names itself.
TEST(LocalBackend, WholeFilesLiveWhereTheKeyLives) {
  test::TempDir dir("sw-store-backend");
  LocalBackend b(dir.path() / "root");
  EXPECT_EQ(b.file_path("_progress/render/piece_000001.mp4"),
            dir.path() / "root" / "_progress" / "render" / "piece_000001.mp4");

  const std::string content(300000, 'x');  // larger than any buffer a copy might use
  std::ofstream(dir.file("in.bin"), std::ios::binary) << content << "end";
  b.put_file("pieces/p.mp4", dir.file("in.bin"));
  EXPECT_EQ(b.get("pieces/p.mp4"), bytes_of(content + "end"));
  b.get_file("pieces/p.mp4", dir.file("out.bin"));
  std::ifstream in(dir.file("out.bin"), std::ios::binary);
  EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), {}), content + "end");

  try {
    b.get_file("pieces/none.mp4", dir.file("none.bin"));
    ADD_FAILURE() << "a missing key was fetched";
  } catch (const sw::Error& e) {
    EXPECT_NE(std::string(e.what()).find("pieces/none.mp4"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(fs::exists(dir.file("none.bin")));
}

// empty() is what decides whether a run may create a store in a directory: the lock file and
// a value being written (a temporary: another shard creating the same store at this moment)
// do not count; a value or a stray file does.
TEST(LocalBackend, EmptyCountsAnythingButTheLockFileAndWritesInProgress) {
  test::TempDir dir("sw-store-backend");
  LocalBackend missing(dir.path() / "not-yet");
  EXPECT_TRUE(missing.empty());
  EXPECT_FALSE(fs::exists(dir.path() / "not-yet"));  // asking creates nothing

  LocalBackend b(dir.path() / "root");
  const auto lock = b.lock();
  ASSERT_NE(lock, nullptr);
  EXPECT_TRUE(fs::exists(dir.path() / "root" / kLockFileName));
  EXPECT_TRUE(b.empty());
  b.put("a", bytes_of("1"));
  EXPECT_FALSE(b.empty());
  b.remove("a");
  EXPECT_TRUE(b.empty());
  {
    const TemporaryDir writing(dir.path() / "root", ".zgroup");  // as put() writes a value
    EXPECT_TRUE(b.empty());
  }
  fs::create_directory(dir.path() / "root" / "notes");
  EXPECT_FALSE(b.empty());
}

// One writer at a time: a second lock on the same directory fails with one line naming it,
// and the first holder's lock is released with its handle.
TEST(LocalBackend, LockIsExclusive) {
  test::TempDir dir("sw-store-backend");
  LocalBackend first(dir.path()), second(dir.path());
  auto held = first.lock();
  try {
    second.lock();
    ADD_FAILURE() << "two locks on one store";
  } catch (const sw::Error& e) {
    EXPECT_NE(std::string(e.what()).find("store is in use by another run"), std::string::npos)
        << e.what();
  }
  held.reset();
  EXPECT_NE(second.lock(), nullptr);
}

// Taking the lock removes what a killed writer left (a marked temporary of a dead process):
// only the lock holder can know that no live run is writing it.
TEST(LocalBackend, LockRemovesTemporariesOfDeadWriters) {
  test::TempDir dir("sw-store-backend");
  LocalBackend b(dir.path());
  b.put("arr/0.0", bytes_of("value"));
  const pid_t child = ::fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    new TemporaryDir(dir.path() / "arr", "1.0");  // never destroyed: as if killed mid-put
    ::_exit(0);
  }
  int status = 0;
  ASSERT_EQ(::waitpid(child, &status, 0), child);
  const auto entries = [&] {
    std::size_t n = 0;
    for (const auto& e : fs::directory_iterator(dir.path() / "arr")) n += !e.path().empty();
    return n;
  };
  ASSERT_EQ(entries(), 2u);  // the value and the dead writer's temporary
  const auto lock = b.lock();
  EXPECT_EQ(entries(), 1u);
  EXPECT_EQ(b.get("arr/0.0"), bytes_of("value"));
}

}  // namespace
}  // namespace sw::store
