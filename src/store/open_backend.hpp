// The one place a store location's form is looked at: "s3://BUCKET/PREFIX" is an S3 prefix
// (S3Backend, through the process's shared client, s3/shared_client.hpp); anything else is a
// directory (LocalBackend). Everything above works on the Backend it gets.
#pragma once

#include <memory>
#include <string>

#include "store/backend.hpp"

namespace sw::store {

// Opening touches nothing: a directory is created on the first write, a bucket is not asked
// until the first request. Throws sw::Error(location, ...) when the location names an existing
// file that is not a directory, or a malformed s3:// URL.
std::shared_ptr<Backend> open_backend(const std::string& location);

}  // namespace sw::store
