// S3Backend: the run store's key/value Backend on an S3 bucket, every key under one prefix
// ("s3://bucket/runs/a" stores ".zgroup" at runs/a/.zgroup), laid out as zarr-python's
// FSStore/S3 stores lay out a Zarr v2 group, so zarr-python reads it through any S3 mapping.
//
// put() is atomic by nature: S3 shows either the old object or the new one, never a part
// (multipart uploads appear only when completed). list() is ListObjectsV2, whose order (UTF-8
// bytes) is the sorted order Backend promises. There is no lock (lock() is null): S3 has no
// primitive for one, so two runs on one S3 store are the user's to avoid.
#pragma once

#include <memory>

#include "s3/s3_client.hpp"
#include "store/backend.hpp"

namespace sw::store {

class S3Backend final : public Backend {
 public:
  // root: the bucket and the key prefix the store lives under (may be empty: the whole bucket).
  S3Backend(std::shared_ptr<const s3::S3Client> client, s3::S3Url root);

  std::optional<Bytes> get(const std::string& key) const override;
  void put(const std::string& key, std::span<const std::uint8_t> bytes) override;
  bool exists(const std::string& key) const override;
  std::vector<std::string> list(const std::string& prefix) const override;
  void remove(const std::string& key) override;
  std::string describe(const std::string& key) const override;
  // Streamed: a multipart upload of parts read one at a time, a download written as it comes.
  void put_file(const std::string& key, const std::filesystem::path& file) override;
  void get_file(const std::string& key, const std::filesystem::path& file) const override;
  // True when no object at all lives under the root (one short listing).
  bool empty() const override;

 private:
  // The object that holds key.
  s3::S3Url url_of(const std::string& key) const;

  std::shared_ptr<const s3::S3Client> client_;
  std::string bucket_;
  std::string prefix_;  // "" or "runs/a/"
};

}  // namespace sw::store
