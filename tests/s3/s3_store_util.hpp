// A run store's arrays as bytes when the store is in S3: the counterpart of array_bytes()
// (e2e/store_util.hpp) for s3://bucket/PREFIX, so a test compares the two maps.
#pragma once

#include <map>
#include <string>

#include "e2e/store_util.hpp"
#include "s3/s3_client.hpp"

namespace sw::test {

inline std::map<std::string, std::string> s3_array_bytes(s3::S3Client& client,
                                                         const std::string& bucket,
                                                         const std::string& prefix) {
  std::map<std::string, std::string> out;
  for (const char* name : kResultArrays) {
    const std::string dir = prefix + "/" + name + "/";
    std::string all;
    for (const std::string& key : client.list(bucket, dir)) {
      const std::string file = key.substr(dir.size());
      if (file == ".zattrs" || file.find('/') != std::string::npos) continue;
      const auto bytes = client.get({bucket, key});
      all += file + ":" + std::string(bytes->begin(), bytes->end());
    }
    out[name] = all;
  }
  return out;
}

}  // namespace sw::test
