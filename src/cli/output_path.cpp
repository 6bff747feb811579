#include "cli/output_path.hpp"

#include <unistd.h>

#include <filesystem>

#include "core/error.hpp"

namespace sw::cli {

namespace fs = std::filesystem;

void check_output_path(const std::string& input, const std::string& output, bool overwrite) {
  std::error_code ec;
  if (!fs::exists(input, ec)) throw Error(input, "no such file");
  const bool exists = fs::exists(output, ec);
  // Never overwrite the input, even with -y and even through another name (links, "./x").
  if (exists && fs::exists(input, ec) && fs::equivalent(input, output, ec)) {
    throw Error(output, "is the input file; refusing to overwrite it", ExitCode::usage);
  }
  if (exists && fs::is_directory(output, ec)) throw Error(output, "is a directory");
  if (exists && !overwrite) throw Error(output, "already exists (use -y to overwrite)");
  fs::path dir = fs::path(output).parent_path();
  if (dir.empty()) dir = ".";
  if (!fs::is_directory(dir, ec))
    throw Error(output, "directory " + dir.string() + " does not exist");
  if (access(dir.c_str(), W_OK) != 0)
    throw Error(output, "directory " + dir.string() + " is not writable");
}

}  // namespace sw::cli
