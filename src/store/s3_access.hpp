// How the rest of stillwater reaches S3: the process's S3 settings, the shared client built
// from them (run stores on s3://), the io::ByteSource that lets io read s3:// inputs with
// ranged GETs, and the upload of an s3:// output.
//
// The settings are explicit process state: the CLI calls configure_s3() with the environment
// and --s3-endpoint before it touches any s3:// name; without that call, the first use reads
// the environment (AWS_* variables, see s3_client.hpp).
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "io/byte_source.hpp"
#include "store/s3_client.hpp"

namespace sw::store {

// Replaces the settings; clients already handed out keep the old ones.
void configure_s3(S3Config config);

// The client for the current settings (one per configure_s3 call, shared by all threads).
std::shared_ptr<const S3Client> s3_client();

// Opens an s3:// URL as a ByteSource (HEAD for the size, then ranged GETs), with the client of
// the settings current at open time. Register it with io::set_url_opener("s3://", ...).
io::ByteSourceOpener s3_url_opener();

// An s3:// output: the video is written to local_path() (a fresh directory in the system's
// temporary directory) and commit() uploads it (a multipart upload when large, aborted on
// failure, so the bucket never shows a partial object). The local copy is removed when the
// object is destroyed, committed or not.
class S3Output {
 public:
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

// A uniquely named new directory in the system's temporary directory ("stillwater-<what>-...").
std::filesystem::path make_scratch_dir(const std::string& what);

}  // namespace sw::store
