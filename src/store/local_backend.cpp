#include "store/local_backend.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <system_error>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/error.hpp"
#include "core/temporary.hpp"
#include "store/store_lock.hpp"

namespace sw::store {
namespace fs = std::filesystem;

namespace {

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

[[noreturn]] void refuse_link(const fs::path& path) {
  throw sw::Error(path.string(),
                  "is a symbolic link inside the store (expected a file or directory; links "
                  "could lead out of the store, so they are not followed)");
}

[[noreturn]] void throw_not_writable(const fs::path& dir, int err) {
  throw sw::Error(dir.string(),
                  "not writable (expected a writable directory, got: " + errno_text(err) + ")");
}

// True when a component of the key is a temporary's name (core/temporary.hpp): its contents
// are a write in progress, not values.
bool in_temporary(const fs::path& relative) {
  for (const auto& part : relative)
    if (sw::is_temporary_name(part.native())) return true;
  return false;
}

}  // namespace

LocalBackend::LocalBackend(fs::path root) : root_(std::move(root)) {}

fs::path LocalBackend::path_of(const std::string& key) const {
  validate_key(key, root_.string());
  // Every component below the root must be a real directory or file: a symbolic link there
  // (say _progress/render -> ~/Videos) would make writes and removals land outside the store.
  fs::path path = root_;
  bool missing = false;  // once a component is missing, nothing below it can be a link
  for (const auto& part : fs::path(key)) {
    path /= part;
    struct stat st {};
    if (!missing && ::lstat(path.c_str(), &st) != 0) missing = true;
    if (!missing && S_ISLNK(st.st_mode)) refuse_link(path);
  }
  return path;
}

std::optional<fs::path> LocalBackend::file_path(const std::string& key) const {
  return path_of(key);
}

bool LocalBackend::empty() const {
  std::error_code ec;
  // The lock file, and a value another writer (a shard creating the same store) is writing
  // at this moment, are not content: only what a user or a finished write left is.
  for (const auto& entry : fs::directory_iterator(root_, ec)) {
    const std::string name = entry.path().filename().string();
    if (name != kLockFileName && !is_temporary_name(name)) return false;
  }
  return true;
}

std::shared_ptr<void> LocalBackend::lock(LockMode mode) {
  auto lock = std::make_shared<StoreLock>(root_, mode == LockMode::shared);
  // Only a lock holder may decide that a temporary is stale (its writer is gone). Shards
  // holding the lock together agree: a temporary is stale only when the process its marker
  // names (on this host) is gone, and a working shard's process is not.
  remove_stale_temporaries(root_, true);
  return lock;
}

std::string LocalBackend::describe(const std::string& key) const {
  return (root_ / fs::path(key)).string();
}

std::optional<Bytes> LocalBackend::get(const std::string& key) const {
  const fs::path path = path_of(key);
  if (in_temporary(fs::path(key))) return std::nullopt;
  Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (fd.get() < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return std::nullopt;
    if (errno == ELOOP) refuse_link(path);  // replaced by a link since path_of looked
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
  if (in_temporary(fs::path(key))) {
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

  // The value is written inside a marked temporary directory (core/temporary.hpp) and renamed
  // onto the key when complete, so a crash leaves no half-written value under the key.
  const std::string name = path.filename().string();
  const TemporaryDir temp(dir, name);
  const fs::path file = temp.file(name);
  Fd fd(::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644));
  if (fd.get() < 0) throw sw::Error(file.string(), "cannot create (" + errno_text(errno) + ")");
  const auto fail = [&](const char* what, int err) {
    throw sw::Error(path.string(), std::string(what) + " (" + errno_text(err) + ")");
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
  if (::rename(file.c_str(), path.c_str()) != 0) fail("cannot rename onto the key", errno);
}

bool LocalBackend::exists(const std::string& key) const {
  const fs::path path = path_of(key);
  if (in_temporary(fs::path(key))) return false;
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

std::vector<std::string> LocalBackend::list(const std::string& prefix) const {
  // Walk only the deepest directory the prefix names completely ("run/mot" -> "run").
  const std::size_t slash = prefix.rfind('/');
  const fs::path start = slash == std::string::npos ? root_ : root_ / prefix.substr(0, slash);
  std::vector<std::string> keys;
  std::error_code ec;
  if (slash != std::string::npos) path_of(prefix.substr(0, slash));  // no link on the way
  if (!fs::is_directory(start, ec)) return keys;
  fs::recursive_directory_iterator it(start, fs::directory_options::skip_permission_denied, ec);
  if (ec) throw sw::Error(start.string(), "cannot list (" + ec.message() + ")");
  for (const fs::recursive_directory_iterator end; it != end; it.increment(ec)) {
    if (ec) throw sw::Error(start.string(), "cannot list (" + ec.message() + ")");
    // The iterator does not descend into linked directories; a link is refused all the same,
    // so that what a run removes is never decided by a link.
    if (it->is_symlink(ec)) refuse_link(it->path());
    // A temporary (a put in progress, or one a crash left) holds no keys.
    if (sw::is_temporary_name(it->path().filename().native())) {
      it.disable_recursion_pending();
      continue;
    }
    if (!it->is_regular_file(ec)) continue;
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
