#include "s3/shared_client.hpp"

#include <mutex>

namespace sw::s3 {

namespace {

struct Settings {
  std::mutex mutex;
  std::shared_ptr<const S3Client> client;
};

Settings& settings() {
  static Settings s;
  return s;
}

}  // namespace

void configure(S3Config config) {
  auto client = std::make_shared<const S3Client>(std::move(config));
  Settings& s = settings();
  std::lock_guard lock(s.mutex);
  s.client = std::move(client);
}

std::shared_ptr<const S3Client> shared_client() {
  Settings& s = settings();
  std::lock_guard lock(s.mutex);
  if (!s.client) s.client = std::make_shared<const S3Client>(S3Config::from_environment());
  return s.client;
}

}  // namespace sw::s3
