// A content fingerprint for an input file (or an s3:// object, read through io's URL opener),
// cheap enough to compute on every run of a multi-gigabyte video: SHA-256 over the file size
// and its first and last 4 MiB (ranged GETs for an object, no full download). It tells a
// store that belongs to another video (or an edited one) from the right one; a change that
// touches only the middle of a file of the same size is not seen (documented limitation).
#pragma once

#include <cstdint>
#include <string>

namespace sw::store {

// "sha256:<64 hex digits>"; throws sw::Error(path, ...) when the file cannot be read.
std::string file_fingerprint(const std::string& path);

// The same for a local Zarr frames array (a directory): SHA-256 over its .zarray and .zattrs,
// the name and size of every chunk, and the bytes of its first and last chunk. As for a video,
// the ends are hashed in full and the middle only by size: hashing every chunk would read the
// whole array (gigabytes) on every run. Sizes and names see chunks added, removed or
// rewritten with other content (compressed sizes change with almost any edit); mtimes are
// left out on purpose, so that a copied array keeps its fingerprint. An edit of a middle chunk
// that keeps its size is not seen (documented limitation, as for videos).
std::string zarr_fingerprint(const std::string& array_dir);

// The input's size in bytes (a URL's through its registered opener), or 0 when unknown.
std::int64_t input_size(const std::string& path);

}  // namespace sw::store
