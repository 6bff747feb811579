#include "store/open_backend.hpp"

#include <filesystem>

#include "core/error.hpp"
#include "s3/shared_client.hpp"
#include "store/local_backend.hpp"
#include "store/s3_backend.hpp"

namespace sw::store {

std::shared_ptr<Backend> open_backend(const std::string& location) {
  if (s3::is_s3_url(location)) {
    return std::make_shared<S3Backend>(s3::shared_client(), s3::S3Url::parse(location));
  }
  std::error_code ec;
  if (std::filesystem::exists(location, ec) && !std::filesystem::is_directory(location, ec)) {
    throw Error(location, "is not a directory (a store is a Zarr directory)");
  }
  return std::make_shared<LocalBackend>(location);
}

}  // namespace sw::store
