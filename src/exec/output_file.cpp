#include "exec/output_file.hpp"

#include <filesystem>

#include "core/temporary.hpp"

namespace sw::exec {

namespace fs = std::filesystem;

OutputFile::OutputFile(const std::string& output) {
  if (s3::is_s3_url(output)) upload_.emplace(output);
  local_path_ = upload_ ? upload_->local_path() : output;
  const fs::path dir =
      fs::path(local_path_).has_parent_path() ? fs::path(local_path_).parent_path() : fs::path(".");
  remove_stale_temporaries(dir, false);
}

void OutputFile::commit() const {
  if (upload_) upload_->commit();
}

}  // namespace sw::exec
