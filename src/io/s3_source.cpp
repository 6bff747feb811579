#include "io/s3_source.hpp"

#include <algorithm>
#include <cstring>

#include "core/error.hpp"
#include "s3/shared_client.hpp"

namespace sw::io {

namespace {

class S3Source final : public ByteSource {
 public:
  S3Source(std::shared_ptr<const s3::S3Client> client, s3::S3Url url)
      : client_(std::move(client)), url_(std::move(url)) {
    const auto size = client_->head(url_);
    if (!size) throw Error(url_.str(), "no such file");
    size_ = *size;
  }

  std::int64_t size() override { return size_; }

  std::size_t read_at(std::int64_t offset, std::uint8_t* buf, std::size_t n) override {
    if (offset >= size_) return 0;
    n = static_cast<std::size_t>(
        std::min<std::int64_t>(static_cast<std::int64_t>(n), size_ - offset));
    const s3::Bytes bytes = client_->get_range(url_, offset, n);
    const std::size_t got = std::min(n, bytes.size());
    std::memcpy(buf, bytes.data(), got);
    return got;
  }

 private:
  std::shared_ptr<const s3::S3Client> client_;
  s3::S3Url url_;
  std::int64_t size_ = 0;
};

}  // namespace

ByteSourceOpener s3_url_opener() {
  return [](const std::string& url) -> std::unique_ptr<ByteSource> {
    return std::make_unique<S3Source>(s3::shared_client(), s3::S3Url::parse(url));
  };
}

}  // namespace sw::io
