#include "store/local_backend.hpp"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.hpp"

namespace sw::store {
namespace fs = std::filesystem;

namespace {

// Numbers the temporaries of this process, so concurrent puts never share a file.
std::atomic<std::uint64_t> temp_counter{0};

// Closes a file descriptor on every path out of a function.
class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  // Closes now, so that a failing close() (delayed write error on NFS) is reported.
  int close() {
    const int rc = ::close(fd_);
    fd_ = -1;
    return rc;
  }

 private:
  int fd_;
};

std::string errno_text(int err) {
  return std::strerror(err);
}

bool is_permission_error(int err) {
  return err == EACCES || err == EPERM || err == EROFS;
}

[[noreturn]] void throw_not_writable(const fs::path& dir, int err) {
  throw sw::Error(dir.string(),
                  "not writable (expected a writable directory, got: " + errno_text(err) + ")");
}

}  // namespace

LocalBackend::LocalBackend(fs::path root) : root_(std::move(root)) {}

bool LocalBackend::is_temporary_name(std::string_view name) {
  // "<name>.tmp-<digits>-<digits>"
  const std::size_t at = name.rfind(".tmp-");
  if (at == std::string_view::npos) return false;
  const std::string_view rest = name.substr(at + 5);
  const std::size_t dash = rest.find('-');
  if (dash == std::string_view::npos || dash == 0 || dash + 1 == rest.size()) return false;
  const auto digits = [](std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  return digits(rest.substr(0, dash)) && digits(rest.substr(dash + 1));
}

fs::path LocalBackend::path_of(const std::string& key) const {
  validate_key(key, root_.string());
  return root_ / fs::path(key);
}

std::string LocalBackend::describe(const std::string& key) const {
  return (root_ / fs::path(key)).string();
}

std::optional<Bytes> LocalBackend::get(const std::string& key) const {
  const fs::path path = path_of(key);
  if (is_temporary_name(path.filename().native())) return std::nullopt;
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::nullopt;
    throw sw::Error(path.string(), "cannot read (" + errno_text(errno) + ")");
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) {
    throw sw::Error(path.string(), "cannot read (" + errno_text(errno) + ")");
  }
  // A directory is a hierarchy level, not a value (as on S3, where it does not exist at all).
  if (!S_ISREG(st.st_mode)) return std::nullopt;
  Bytes bytes(static_cast<std::size_t>(st.st_size));
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::read(fd.get(), bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw sw::Error(path.string(), "cannot read (" + errno_text(errno) + ")");
    if (n == 0) {
      throw sw::Error(path.string(), "cannot read (expected " + std::to_string(bytes.size()) +
                                         " bytes, got " + std::to_string(done) +
                                         "; file shrank while reading)");
    }
    done += static_cast<std::size_t>(n);
  }
  return bytes;
}

void LocalBackend::put(const std::string& key, std::span<const std::uint8_t> bytes) {
  const fs::path path = path_of(key);
  if (is_temporary_name(path.filename().native())) {
    throw sw::Error(root_.string(), "invalid key \"" + key +
                                        "\" (expected a key, got a name reserved for temporaries)");
  }
  const fs::path dir = path.parent_path();
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    // Name the first directory that is in the way, not the leaf we wanted.
    fs::path existing = dir;
    while (!existing.empty() && !fs::exists(existing)) existing = existing.parent_path();
    if (is_permission_error(ec.value()))
      throw_not_writable(existing.empty() ? dir : existing, ec.value());
    throw sw::Error(dir.string(), "cannot create directory (" + ec.message() + ")");
  }

  const fs::path temp = path.string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                        std::to_string(temp_counter.fetch_add(1));
  Fd fd(::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644));
  if (fd.get() < 0) {
    if (is_permission_error(errno)) throw_not_writable(dir, errno);
    throw sw::Error(temp.string(), "cannot create (" + errno_text(errno) + ")");
  }
  const auto fail = [&](const char* what, int err) {
    std::error_code ignored;  // the original error is the one worth reporting
    fs::remove(temp, ignored);
    throw sw::Error(temp.string(), std::string(what) + " (" + errno_text(err) + ")");
  };
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n = ::write(fd.get(), bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("cannot write", errno);
    done += static_cast<std::size_t>(n);
  }
  // fsync before rename: otherwise a power loss may persist the rename but not the data,
  // which would leave an empty or partial file under the final key.
  if (::fsync(fd.get()) != 0) fail("cannot flush", errno);
  if (fd.close() != 0) fail("cannot close", errno);
  if (::rename(temp.c_str(), path.c_str()) != 0) fail("cannot rename onto the key", errno);
}

bool LocalBackend::exists(const std::string& key) const {
  const fs::path path = path_of(key);
  if (is_temporary_name(path.filename().native())) return false;
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

std::vector<std::string> LocalBackend::list(const std::string& prefix) const {
  // Walk only the deepest directory the prefix names completely ("run/mot" -> "run").
  const std::size_t slash = prefix.rfind('/');
  const fs::path start = slash == std::string::npos ? root_ : root_ / prefix.substr(0, slash);
  std::vector<std::string> keys;
  std::error_code ec;
  if (!fs::is_directory(start, ec)) return keys;
  fs::recursive_directory_iterator it(start, fs::directory_options::skip_permission_denied, ec);
  if (ec) throw sw::Error(start.string(), "cannot list (" + ec.message() + ")");
  for (const fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
    if (ec) throw sw::Error(start.string(), "cannot list (" + ec.message() + ")");
    if (!it->is_regular_file(ec)) continue;
    if (is_temporary_name(it->path().filename().native())) continue;
    std::string key = it->path().lexically_relative(root_).generic_string();
    if (key.starts_with(prefix)) keys.push_back(std::move(key));
  }
  if (ec) throw sw::Error(start.string(), "cannot list (" + ec.message() + ")");
  std::sort(keys.begin(), keys.end());
  return keys;
}

void LocalBackend::remove(const std::string& key) {
  const fs::path path = path_of(key);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT && errno != ENOTDIR) {
    if (is_permission_error(errno)) throw_not_writable(path.parent_path(), errno);
    throw sw::Error(path.string(), "cannot remove (" + errno_text(errno) + ")");
  }
}

}  // namespace sw::store
