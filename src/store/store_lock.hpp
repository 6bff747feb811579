// StoreLock: one run at a time on a local store.
//
// Two runs on one store would undo each other's work (each discards the other's progress as
// "another plan" and rewrites the arrays the other is reading). A run therefore holds an
// exclusive flock(2) on <store>/.stillwater.lock for its lifetime; the file holds the pid of
// the run holding it, for the message the second run gets. The kernel drops the lock when the
// process ends, however it ends (kill -9 included), so a stale lock cannot block a resume.
// The file itself stays: removing it would let two runs lock two different files.
#pragma once

#include <filesystem>

namespace sw::store {

inline constexpr const char* kLockFileName = ".stillwater.lock";

class StoreLock {
 public:
  // Creates dir if needed and takes the lock; throws sw::Error(dir, "store is in use by
  // another run (pid N)") when another process holds it.
  explicit StoreLock(const std::filesystem::path& dir);
  ~StoreLock();
  StoreLock(const StoreLock&) = delete;
  StoreLock& operator=(const StoreLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace sw::store
