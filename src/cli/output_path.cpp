#include "cli/output_path.hpp"

#include <unistd.h>

#include <filesystem>

#include "core/error.hpp"
#include "store/s3_access.hpp"

namespace sw::cli {

namespace fs = std::filesystem;

namespace {

// s3:// outputs: never the input object, and an existing object only with -y (HEAD it now, so
// the run fails in its first second rather than after the render). The bucket's existence and
// the credentials are checked by that HEAD too (403, 404 NoSuchBucket...).
void check_s3_output(const std::string& input, const std::string& output, bool overwrite) {
  const store::S3Url out = store::S3Url::parse(output);
  if (out.key.empty() || out.key.back() == '/')
    throw Error(output, "expected s3://BUCKET/KEY of a video file, got no file name",
                ExitCode::usage);
  if (store::is_s3_url(input) && store::S3Url::parse(input).str() == out.str())
    throw Error(output, "is the input object; refusing to overwrite it", ExitCode::usage);
  if (store::s3_client()->head(out) && !overwrite)
    throw Error(output, "already exists (use -y to overwrite)");
}

}  // namespace

void check_output_path(const std::string& input, const std::string& output, bool overwrite) {
  std::error_code ec;
  // An s3:// input is checked when it is opened (its HEAD names the problem).
  if (!store::is_s3_url(input) && !fs::exists(input, ec)) throw Error(input, "no such file");
  if (store::is_s3_url(output)) {
    check_s3_output(input, output, overwrite);
    return;
  }
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
