// S3Backend: the run store's key/value Backend on an S3 bucket, every key under one prefix
// ("s3://bucket/runs/a" stores ".zgroup" at runs/a/.zgroup), laid out as zarr-python's
// FSStore/S3 stores lay out a Zarr v2 group, so zarr-python reads it through any S3 mapping.
//
// put() is atomic by nature: S3 shows either the old object or the new one, never a part
// (multipart uploads appear only when completed). list() is ListObjectsV2, whose order (UTF-8
// bytes) is the sorted order Backend promises.
#pragma once

#include <memory>

#include "store/backend.hpp"
#include "store/s3_client.hpp"

namespace sw::store {

class S3Backend final : public Backend {
 public:
  // root: the bucket and the key prefix the store lives under (may be empty: the whole bucket).
  S3Backend(std::shared_ptr<const S3Client> client, S3Url root);

  std::optional<Bytes> get(const std::string& key) const override;
  void put(const std::string& key, std::span<const std::uint8_t> bytes) override;
  bool exists(const std::string& key) const override;
  std::vector<std::string> list(const std::string& prefix) const override;
  void remove(const std::string& key) override;
  std::string describe(const std::string& key) const override;

  // True when no object at all lives under the root (one short listing).
  bool empty() const;
  // The object that holds key.
  S3Url url_of(const std::string& key) const;
  const S3Client& client() const { return *client_; }

 private:
  std::shared_ptr<const S3Client> client_;
  std::string bucket_;
  std::string prefix_;  // "" or "runs/a/"
};

}  // namespace sw::store
