#include "store/s3_backend.hpp"

namespace sw::store {

S3Backend::S3Backend(std::shared_ptr<const s3::S3Client> client, s3::S3Url root)
    : client_(std::move(client)), bucket_(std::move(root.bucket)), prefix_(std::move(root.key)) {
  while (!prefix_.empty() && prefix_.back() == '/') prefix_.pop_back();
  if (!prefix_.empty()) prefix_ += '/';
}

s3::S3Url S3Backend::url_of(const std::string& key) const {
  validate_key(key, s3::S3Url{bucket_, prefix_}.str());
  return {bucket_, prefix_ + key};
}

std::string S3Backend::describe(const std::string& key) const {
  return s3::S3Url{bucket_, prefix_ + key}.str();
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

void S3Backend::put_file(const std::string& key, const std::filesystem::path& file) {
  client_->put_file(url_of(key), file);
}

void S3Backend::get_file(const std::string& key, const std::filesystem::path& file) const {
  client_->get_to_file(url_of(key), file);
}

bool S3Backend::empty() const {
  return client_->list(bucket_, prefix_, 1, 1).empty();
}

}  // namespace sw::store
