// s3:// inputs: a ByteSource over an S3 object (HEAD for the size, then ranged GETs) through
// the process's shared S3 client (s3/shared_client.hpp). The program registers it at start-up:
//     io::set_url_opener("s3://", io::s3_url_opener());
#pragma once

#include "io/byte_source.hpp"

namespace sw::io {

// Opens an s3:// URL with the client of the settings current at open time; throws
// sw::Error(url, "no such file") when the object does not exist.
ByteSourceOpener s3_url_opener();

}  // namespace sw::io
