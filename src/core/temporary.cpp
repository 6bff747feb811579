#include "core/temporary.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <random>
#include <vector>

#include "core/error.hpp"

namespace sw {

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kInfix = ".stillwater-";
constexpr std::string_view kSuffix = ".tmp";
constexpr const char* kMarker = ".stillwater-temporary";
constexpr std::string_view kMarkerMagic = "stillwater temporary\n";
constexpr std::size_t kRandomDigits = 16;
// Keeps ".<name>.stillwater-<16>-<pid>.tmp" within NAME_MAX (255) for any file name.
constexpr std::size_t kMaxNamePart = 160;

std::string errno_text(int err) {
  return std::strerror(err);
}

std::string host_name() {
  char host[256] = {};
  if (::gethostname(host, sizeof(host) - 1) != 0) return "?";
  return host;
}

std::string random_hex() {
  static thread_local std::mt19937_64 rng{(std::uint64_t{std::random_device{}()} << 32) ^
                                          std::random_device{}()};
  const std::uint64_t value = rng();
  char text[kRandomDigits + 1];
  std::snprintf(text, sizeof(text), "%016llx", static_cast<unsigned long long>(value));
  return text;
}

bool all_of(std::string_view s, bool (*pred)(char)) {
  if (s.empty()) return false;
  for (char c : s)
    if (!pred(c)) return false;
  return true;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f');
}

// The pid in a temporary's name, or 0 when the name is not one of ours.
long owner_in_name(std::string_view name) {
  if (name.size() < 2 || name.front() != '.' || !name.ends_with(kSuffix)) return 0;
  name.remove_suffix(kSuffix.size());
  const std::size_t infix = name.rfind(kInfix);
  if (infix == std::string_view::npos || infix < 2) return 0;  // ".<at least one char>"
  const std::string_view rest = name.substr(infix + kInfix.size());
  if (rest.size() < kRandomDigits + 2 || rest[kRandomDigits] != '-') return 0;
  const std::string_view random = rest.substr(0, kRandomDigits);
  const std::string_view pid = rest.substr(kRandomDigits + 1);
  if (!all_of(random, is_hex) || !all_of(pid, is_digit) || pid.size() > 9) return 0;
  return std::stol(std::string(pid));
}

std::string marker_text(long pid) {
  return std::string(kMarkerMagic) + "host " + host_name() + "\npid " + std::to_string(pid) + "\n";
}

// Writes all of bytes to fd; returns 0 or the errno of the failure.
int write_all(int fd, std::string_view bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return errno;
    done += static_cast<std::size_t>(n);
  }
  return 0;
}

// True when dir is a real directory (not a symlink) holding our marker for a process of this
// host that no longer runs.
bool is_stale_temporary(const fs::path& dir, long pid_in_name) {
  struct stat st {};
  if (::lstat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode)) return false;
  const int fd = ::open((dir / kMarker).c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return false;
  char buf[512];
  const ssize_t n = ::read(fd, buf, sizeof(buf));
  ::close(fd);
  if (n <= 0) return false;
  // The marker must name exactly this host and the pid in the name: a directory copied from
  // another machine (or another process's) is not ours to judge.
  if (std::string_view(buf, static_cast<std::size_t>(n)) != marker_text(pid_in_name)) return false;
  if (pid_in_name == ::getpid()) return false;
  return ::kill(static_cast<pid_t>(pid_in_name), 0) == -1 && errno == ESRCH;
}

}  // namespace

TemporaryDir::TemporaryDir(const fs::path& parent, const std::string& name) {
  const fs::path dir = parent.empty() ? fs::path(".") : parent;
  const std::string part = name.substr(0, kMaxNamePart);
  const long pid = ::getpid();
  int err = 0;
  for (int attempt = 0; attempt < 16; ++attempt) {
    const fs::path candidate = dir / ("." + part + std::string(kInfix) + random_hex() + "-" +
                                      std::to_string(pid) + std::string(kSuffix));
    if (::mkdir(candidate.c_str(), 0700) != 0) {
      err = errno;
      if (err == EEXIST) continue;
      break;
    }
    path_ = candidate;
    const int fd = ::open((candidate / kMarker).c_str(),
                          O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    err = fd < 0 ? errno : write_all(fd, marker_text(pid));
    if (fd >= 0) ::close(fd);
    if (err == 0) return;
    std::error_code ignored;
    fs::remove_all(path_, ignored);
    path_.clear();
    break;
  }
  if (err == EACCES || err == EPERM || err == EROFS)
    throw Error(dir.string(),
                "not writable (expected a writable directory, got: " + errno_text(err) + ")");
  throw Error(dir.string(), "cannot create a temporary directory (" + errno_text(err) + ")");
}

TemporaryDir::~TemporaryDir() {
  std::error_code ignored;  // a destructor must not throw; a stale temporary is recognised later
  fs::remove_all(path_, ignored);
}

void TemporaryDir::move_out(const std::string& name, const fs::path& target) const {
  if (::rename(file(name).c_str(), target.c_str()) != 0)
    throw Error(target.string(),
                "cannot rename the finished file into place (" + errno_text(errno) + ")");
}

void write_file_atomically(const fs::path& path, std::string_view bytes) {
  const std::string name = path.filename().string();
  TemporaryDir temp(path.parent_path(), name);
  const fs::path file = temp.file(name);
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
  if (fd < 0) throw Error(path.string(), "cannot create (" + errno_text(errno) + ")");
  int err = write_all(fd, bytes);
  // fsync before rename: otherwise a power loss may persist the rename but not the data.
  if (err == 0 && ::fsync(fd) != 0) err = errno;
  if (::close(fd) != 0 && err == 0) err = errno;
  if (err != 0) throw Error(path.string(), "cannot write (" + errno_text(err) + ")");
  temp.move_out(name, path);
}

bool is_temporary_name(std::string_view filename) {
  return owner_in_name(filename) > 0;
}

int remove_stale_temporaries(const fs::path& dir, bool recursive) {
  std::error_code ec;
  if (!fs::is_directory(fs::symlink_status(dir, ec))) return 0;
  std::vector<fs::path> stale;
  const auto consider = [&](const fs::directory_entry& entry) {
    const long pid = owner_in_name(entry.path().filename().native());
    if (pid > 0 && is_stale_temporary(entry.path(), pid)) stale.push_back(entry.path());
    return pid > 0;
  };
  if (recursive) {
    // Symlinks are not followed (the default), and nothing inside a temporary is looked at.
    for (auto it = fs::recursive_directory_iterator(dir, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (consider(*it)) it.disable_recursion_pending();
    }
  } else {
    for (const auto& entry : fs::directory_iterator(dir, ec)) consider(entry);
  }
  int removed = 0;
  for (const auto& path : stale) removed += fs::remove_all(path, ec) > 0 ? 1 : 0;
  return removed;
}

fs::path make_scratch_dir(const std::string& what) {
  static std::atomic<unsigned> counter{0};
  const fs::path base = fs::temp_directory_path();
  for (int attempt = 0; attempt < 100; ++attempt) {
    const fs::path dir = base / ("stillwater-" + what + "-" + std::to_string(::getpid()) + "-" +
                                 std::to_string(counter.fetch_add(1)));
    std::error_code ec;
    if (fs::create_directory(dir, ec) && !ec) return dir;
  }
  throw Error(base.string(), "cannot create a scratch directory for " + what);
}

}  // namespace sw
