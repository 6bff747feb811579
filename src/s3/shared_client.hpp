// The process's S3 settings and the one client built from them, shared by everything that
// reaches S3: run stores on s3:// (store/s3_backend.hpp), s3:// inputs (io/s3_source.hpp) and
// s3:// outputs (s3/upload.hpp).
//
// The settings are explicit process state: the CLI calls configure() with the environment and
// --s3-endpoint before it touches any s3:// name; without that call, the first use reads the
// environment (AWS_* variables, see s3_client.hpp).
#pragma once

#include <memory>

#include "s3/s3_client.hpp"

namespace sw::s3 {

// Replaces the settings; clients already handed out keep the old ones.
void configure(S3Config config);

// The client for the current settings (one per configure() call, shared by all threads).
std::shared_ptr<const S3Client> shared_client();

}  // namespace sw::s3
