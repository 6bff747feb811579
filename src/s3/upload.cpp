#include "s3/upload.hpp"

#include "core/error.hpp"
#include "core/temporary.hpp"
#include "core/trace.hpp"
#include "s3/shared_client.hpp"

namespace sw::s3 {

S3Output::S3Output(const std::string& url) : url_(S3Url::parse(url)) {
  if (url_.key.empty() || url_.key.back() == '/')
    throw Error(url, "expected s3://BUCKET/KEY of a video file, got no file name");
  dir_ = make_scratch_dir("output");
  // Same file name, so the container is still chosen by the extension.
  local_path_ = (dir_ / std::filesystem::path(url_.key).filename()).string();
}

S3Output::~S3Output() {
  std::error_code ignored;  // a destructor must not throw; a leftover temp dir is harmless
  std::filesystem::remove_all(dir_, ignored);
}

void S3Output::commit() const {
  trace::Span span("s3", "upload " + url_.key);
  shared_client()->put_file(url_, local_path_);
}

}  // namespace sw::s3
