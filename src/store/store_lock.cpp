#include "store/store_lock.hpp"

#include <cerrno>
#include <cstring>
#include <string>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "core/error.hpp"

namespace sw::store {

StoreLock::StoreLock(const std::filesystem::path& dir, bool shared) {
  const auto fail = [&](const std::string& what) {
    throw sw::Error(dir.string(), "cannot lock the store (" + what + ")");
  };
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    throw sw::Error(dir.string(),
                    "not writable (expected a writable directory, got: " + ec.message() + ")");
  }
  const auto path = dir / kLockFileName;
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    if (errno == EACCES || errno == EPERM || errno == EROFS) {
      throw sw::Error(dir.string(), "not writable (expected a writable directory, got: " +
                                        std::string(std::strerror(errno)) + ")");
    }
    fail(std::strerror(errno));
  }
  if (::flock(fd_, (shared ? LOCK_SH : LOCK_EX) | LOCK_NB) != 0) {
    const int err = errno;
    char pid[32] = {};
    const ssize_t n = ::pread(fd_, pid, sizeof pid - 1, 0);
    ::close(fd_);
    fd_ = -1;
    if (err != EWOULDBLOCK) fail(std::strerror(err));
    std::string holder(pid, n > 0 ? static_cast<std::size_t>(n) : 0);
    while (!holder.empty() && (holder.back() == '\n' || holder.back() == '\0')) holder.pop_back();
    // The holder wrote its pid, or (shards) what it is.
    const bool is_pid =
        holder.empty() || holder.find_first_not_of("0123456789") == std::string::npos;
    throw sw::Error(dir.string(), "store is in use by another run (" +
                                      std::string(is_pid ? "pid " : "") +
                                      (holder.empty() ? std::string("unknown") : holder) + ")");
  }
  // Every shard writes the same bytes (a pid would be one shard's among many).
  const std::string me = shared ? "shards of a job array\n" : std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd_, 0) != 0 || ::pwrite(fd_, me.data(), me.size(), 0) < 0) {
    ::close(fd_);
    fd_ = -1;
    fail(std::strerror(errno));
  }
}

StoreLock::~StoreLock() {
  if (fd_ >= 0) ::close(fd_);  // releases the lock
}

}  // namespace sw::store
