// StoreLock: one run at a time on a local store.
//
// Two runs on one store would undo each other's work (each discards the other's progress as
// "another plan" and rewrites the arrays the other is reading). A run therefore holds an
// exclusive flock(2) on <store>/.stillwater.lock for its lifetime; the file holds the pid of
// the run holding it, for the message the second run gets. The kernel drops the lock when the
// process ends, however it ends (kill -9 included), so a stale lock cannot block a resume.
// The file itself stays: removing it would let two runs lock two different files.
//
// Shards of a job array (`--shard K/N`, exec/shard.hpp) work on one store at the same time:
// they take the lock shared (LOCK_SH), so they never fail because of each other, and a plain
// run (exclusive) can neither start while a shard works nor let one start while it runs. Every
// write a shard makes is to a key of its own or the same bytes from every shard (RunStore), so
// they need nothing more between them. The file then says "shards" instead of a pid.
#pragma once

#include <filesystem>

namespace sw::store {

inline constexpr const char* kLockFileName = ".stillwater.lock";

class StoreLock {
 public:
  // Creates dir if needed and takes the lock (shared: with other shards); throws
  // sw::Error(dir, "store is in use by another run (pid N)") when another process holds it
  // in a mode that excludes ours.
  explicit StoreLock(const std::filesystem::path& dir, bool shared = false);
  ~StoreLock();
  StoreLock(const StoreLock&) = delete;
  StoreLock& operator=(const StoreLock&) = delete;

 private:
  int fd_ = -1;
};

}  // namespace sw::store
