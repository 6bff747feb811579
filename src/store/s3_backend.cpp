#include "store/s3_backend.hpp"

namespace sw::store {

S3Backend::S3Backend(std::shared_ptr<const S3Client> client, S3Url root)
    : client_(std::move(client)), bucket_(std::move(root.bucket)), prefix_(std::move(root.key)) {
  while (!prefix_.empty() && prefix_.back() == '/') prefix_.pop_back();
  if (!prefix_.empty()) prefix_ += '/';
}

S3Url S3Backend::url_of(const std::string& key) const {
  validate_key(key, S3Url{bucket_, prefix_}.str());
  return {bucket_, prefix_ + key};
}

std::string S3Backend::describe(const std::string& key) const {
  return S3Url{bucket_, prefix_ + key}.str();
}

std::optional<Bytes> S3Backend::get(const std::string& key) const {
  return client_->get(url_of(key));
}

void S3Backend::put(const std::string& key, std::span<const std::uint8_t> bytes) {
  client_->put(url_of(key), bytes);
}

bool S3Backend::exists(const std::string& key) const {
  return client_->head(url_of(key)).has_value();
}

std::vector<std::string> S3Backend::list(const std::string& prefix) const {
  std::vector<std::string> keys = client_->list(bucket_, prefix_ + prefix);
  for (std::string& key : keys) key.erase(0, prefix_.size());
  return keys;
}

void S3Backend::remove(const std::string& key) {
  client_->remove(url_of(key));
}

bool S3Backend::empty() const {
  return client_->list(bucket_, prefix_, 1, 1).empty();
}

}  // namespace sw::store
