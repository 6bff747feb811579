#include "store/s3_access.hpp"

#include <unistd.h>

#include <atomic>
#include <cstring>
#include <mutex>

#include "core/error.hpp"
#include "core/trace.hpp"

namespace sw::store {

namespace {

struct Settings {
  std::mutex mutex;
  std::shared_ptr<const S3Client> client;
};

Settings& settings() {
  static Settings s;
  return s;
}

class S3Source final : public io::ByteSource {
 public:
  S3Source(std::shared_ptr<const S3Client> client, S3Url url)
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
    const Bytes bytes = client_->get_range(url_, offset, n);
    const std::size_t got = std::min(n, bytes.size());
    std::memcpy(buf, bytes.data(), got);
    return got;
  }

 private:
  std::shared_ptr<const S3Client> client_;
  S3Url url_;
  std::int64_t size_ = 0;
};

}  // namespace

void configure_s3(S3Config config) {
  auto client = std::make_shared<const S3Client>(std::move(config));
  Settings& s = settings();
  std::lock_guard lock(s.mutex);
  s.client = std::move(client);
}

std::shared_ptr<const S3Client> s3_client() {
  Settings& s = settings();
  std::lock_guard lock(s.mutex);
  if (!s.client) s.client = std::make_shared<const S3Client>(S3Config::from_environment());
  return s.client;
}

io::ByteSourceOpener s3_url_opener() {
  return [](const std::string& url) -> std::unique_ptr<io::ByteSource> {
    return std::make_unique<S3Source>(s3_client(), S3Url::parse(url));
  };
}

std::filesystem::path make_scratch_dir(const std::string& what) {
  namespace fs = std::filesystem;
  static std::atomic<unsigned> counter{0};
  const fs::path base = fs::temp_directory_path();
  for (int attempt = 0; attempt < 100; ++attempt) {
    const fs::path dir = base / ("stillwater-" + what + "-" + std::to_string(::getpid()) + "-" +
                                 std::to_string(counter.fetch_add(1)));
    std::error_code ec;
    if (fs::create_directory(dir, ec) && !ec) return dir;
  }
  throw Error(base.string(), "cannot create a scratch directory for " + what);
}

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
  s3_client()->put_file(url_, local_path_);
}

}  // namespace sw::store
