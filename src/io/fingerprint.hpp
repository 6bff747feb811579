// A content fingerprint for an input file (or an s3:// object, read through io's URL opener),
// cheap enough to compute on every run of a multi-gigabyte video: SHA-256 over the file size
// and its first and last 4 MiB (ranged GETs for an object, no full download). It tells a
// store that belongs to another video (or an edited one) from the right one; a change that
// touches only the middle of a file of the same size is not seen (documented limitation).
// (A Zarr frames array's fingerprint is store/fingerprint.hpp.)
#pragma once

#include <cstdint>
#include <string>

namespace sw::io {

// "sha256:<64 hex digits>"; throws sw::Error(path, ...) when the file cannot be read.
std::string file_fingerprint(const std::string& path);

// The input's size in bytes (a URL's through its registered opener), or 0 when unknown.
std::int64_t input_size(const std::string& path);

}  // namespace sw::io
