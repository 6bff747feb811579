// Every temporary stillwater leaves beside a user's files (an output being muxed, a store value
// being written, a directory of render pieces, a report being written) is a directory
//     .<name>.stillwater-<16 random hex digits>-<pid>.tmp/
// whose first entry is a marker file naming the host and process that made it. The files being
// written live inside it and are renamed out of it when complete.
//
// A run killed with SIGKILL cannot clean up: remove_stale_temporaries() later removes such a
// directory only when both the name and the marker say it is ours and the marker's process (on
// this host) is gone. A user's "holiday.tmp-123-1", or a directory of someone else's that merely
// looks like one of ours, is never touched.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

namespace sw {

class TemporaryDir {
 public:
  // Creates the directory (mode 0700, exclusively: never an existing one) in parent, named after
  // `name` (the file it is for), and its marker. Throws sw::Error naming parent.
  TemporaryDir(const std::filesystem::path& parent, const std::string& name);
  // Removes the directory and everything in it (what was not moved out).
  ~TemporaryDir();
  TemporaryDir(const TemporaryDir&) = delete;
  TemporaryDir& operator=(const TemporaryDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path file(const std::string& name) const { return path_ / name; }

  // Moves file(name) onto target (rename: atomic, replaces target itself, never follows a
  // symlink there). Throws sw::Error naming target.
  void move_out(const std::string& name, const std::filesystem::path& target) const;

 private:
  std::filesystem::path path_;
};

// Writes bytes to path atomically: into a new file (O_EXCL|O_NOFOLLOW) in a TemporaryDir beside
// it, fsync, then rename onto path. A reader sees the old file or the complete new one; a crash
// leaves a temporary that remove_stale_temporaries() recognises.
void write_file_atomically(const std::filesystem::path& path, std::string_view bytes);

// True for a name of the form above (name only; the marker decides whether it is really ours).
bool is_temporary_name(std::string_view filename);

// Removes the temporaries in dir (and below it, when recursive) left by dead processes of this
// host; returns how many. Symlinks are never followed; unmarked directories are left alone.
int remove_stale_temporaries(const std::filesystem::path& dir, bool recursive);

// A uniquely named new directory in the system's temporary directory ("stillwater-<what>-...")
// for files of this process alone (an output before its upload, pieces of an S3 store); the
// caller removes it. Throws sw::Error naming the temporary directory.
std::filesystem::path make_scratch_dir(const std::string& what);

}  // namespace sw
