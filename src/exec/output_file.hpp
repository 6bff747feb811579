// Where render writes its output: the path itself, or for an s3:// output a local temporary
// file uploaded by commit() once the video is complete (s3/upload.hpp). Creating one also
// removes the temporaries dead runs left in the output's directory.
#pragma once

#include <optional>
#include <string>

#include "s3/upload.hpp"

namespace sw::exec {

class OutputFile {
 public:
  explicit OutputFile(const std::string& output);
  const std::string& local_path() const { return local_path_; }
  // Uploads an s3:// output; nothing for a local one.
  void commit() const;

 private:
  std::optional<s3::S3Output> upload_;
  std::string local_path_;
};

}  // namespace sw::exec
