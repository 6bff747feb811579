// S3Output: an s3:// output video. The video is written to local_path() (a fresh directory in
// the system's temporary directory) and commit() uploads it with the shared client (a
// multipart upload when large, aborted on failure, so the bucket never shows a partial
// object). The local copy is removed when the object is destroyed, committed or not.
#pragma once

#include <filesystem>
#include <string>

#include "s3/s3_client.hpp"

namespace sw::s3 {

class S3Output {
 public:
  // Throws sw::Error(url, ...) unless url is s3://BUCKET/KEY with a file name.
  explicit S3Output(const std::string& url);
  ~S3Output();
  S3Output(const S3Output&) = delete;
  S3Output& operator=(const S3Output&) = delete;

  const std::string& local_path() const { return local_path_; }
  void commit() const;

 private:
  S3Url url_;
  std::filesystem::path dir_;
  std::string local_path_;
};

}  // namespace sw::s3
