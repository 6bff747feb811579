// A uniquely named directory under std::filesystem::temp_directory_path(), removed with all
// its contents when the object goes out of scope, so tests never collide or leave files behind.
#pragma once

#include <chrono>
#include <filesystem>
#include <random>
#include <string>
#include <system_error>

#include <unistd.h>

#include "core/error.hpp"

namespace sw::test {

class TempDir {
 public:
  // The name holds the pid, a clock tick and a random number; creation retries on a clash.
  explicit TempDir(const std::string& prefix = "sw-test") {
    const auto base = std::filesystem::temp_directory_path();
    std::random_device entropy;
    for (int attempt = 0; attempt < 100; ++attempt) {
      const auto tick = std::chrono::steady_clock::now().time_since_epoch().count();
      const auto name = prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(tick) +
                        "-" + std::to_string(entropy());
      std::error_code error;
      if (std::filesystem::create_directory(base / name, error) && !error) {
        path_ = base / name;
        return;
      }
    }
    throw sw::Error(base.string(), "cannot create a unique temporary directory");
  }

  ~TempDir() {
    std::error_code ignored;  // a destructor must not throw; a leftover dir is harmless
    std::filesystem::remove_all(path_, ignored);
  }

  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace sw::test
