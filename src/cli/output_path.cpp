#include "cli/output_path.hpp"

#include <unistd.h>

#include <filesystem>

#include "core/error.hpp"
#include "s3/shared_client.hpp"

namespace sw::cli {

namespace fs = std::filesystem;

namespace {

// s3:// outputs: never the input object, and an existing object only with -y (HEAD it now, so
// the run fails in its first second rather than after the render). The bucket's existence and
// the credentials are checked by that HEAD too (403, 404 NoSuchBucket...).
void check_s3_output(const std::vector<std::string>& inputs, const std::string& output,
                     bool overwrite) {
  const s3::S3Url out = s3::S3Url::parse(output);
  if (out.key.empty() || out.key.back() == '/')
    throw Error(output, "expected s3://BUCKET/KEY of a video file, got no file name",
                ExitCode::usage);
  for (const std::string& input : inputs) {
    if (s3::is_s3_url(input) && s3::S3Url::parse(input).str() == out.str())
      throw Error(output, "is the input object; refusing to overwrite it", ExitCode::usage);
  }
  if (s3::shared_client()->head(out) && !overwrite)
    throw Error(output, "already exists (use -y to overwrite)");
}

// The same file as a, by identity when both exist (hard links, symlinks), by normalised
// absolute path otherwise (an output not created yet, "dir/../x").
bool same_file(const std::string& a, const std::string& b) {
  std::error_code ec;
  if (fs::exists(a, ec) && fs::exists(b, ec)) {
    const bool equivalent = fs::equivalent(a, b, ec);
    if (!ec) return equivalent;
  }
  const fs::path na = fs::weakly_canonical(fs::absolute(a, ec), ec);
  const fs::path nb = fs::weakly_canonical(fs::absolute(b, ec), ec);
  return !ec && na == nb;
}

void check_local_output(const std::vector<std::string>& inputs, const std::string& output,
                        bool overwrite) {
  for (const std::string& input : inputs) {
    if (!s3::is_s3_url(input) && same_file(input, output))
      throw Error(output, "is an input of this run; refusing to overwrite it", ExitCode::usage);
  }
  std::error_code ec;
  // symlink_status: a dangling symlink exists too (it is replaced, never written through).
  const bool exists = fs::exists(fs::symlink_status(output, ec));
  if (exists && fs::is_directory(output, ec)) throw Error(output, "is a directory");
  if (exists && !overwrite) throw Error(output, "already exists (use -y to overwrite)");
  fs::path dir = fs::path(output).parent_path();
  if (dir.empty()) dir = ".";
  if (!fs::is_directory(dir, ec))
    throw Error(output, "directory " + dir.string() + " does not exist");
  if (access(dir.c_str(), W_OK) != 0)
    throw Error(output, "directory " + dir.string() + " is not writable");
}

}  // namespace

void check_output_paths(const std::vector<std::string>& all_inputs,
                        const std::vector<std::string>& all_outputs, bool overwrite) {
  std::vector<std::string> inputs, outputs;
  for (const auto& name : all_inputs)
    if (!name.empty()) inputs.push_back(name);
  for (const auto& name : all_outputs)
    if (!name.empty()) outputs.push_back(name);
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const std::string& output = outputs[i];
    for (std::size_t j = 0; j < i; ++j) {
      if (output == outputs[j] ||
          (!s3::is_s3_url(output) && !s3::is_s3_url(outputs[j]) && same_file(output, outputs[j])))
        throw Error(output, "is written twice by this run (given as two outputs)", ExitCode::usage);
    }
    if (s3::is_s3_url(output)) {
      if (i != 0)
        throw Error(output, "expected a local file (only -o may name an s3:// object)",
                    ExitCode::usage);
      check_s3_output(inputs, output, overwrite);
    } else {
      check_local_output(inputs, output, overwrite);
    }
  }
}

}  // namespace sw::cli
