// A content fingerprint for a Zarr frames array used as an input (a video file's is
// io/fingerprint.hpp).
#pragma once

#include <string>

namespace sw::store {

// "sha256:<64 hex digits>" for a local Zarr frames array (a directory): SHA-256 over its .zarray
// and .zattrs, the name and size of every chunk, and the bytes of its first and last chunk. As for
// a video, the ends are hashed in full and the middle only by size: hashing every chunk would read
// the whole array (gigabytes) on every run. Sizes and names see chunks added, removed or rewritten
// with other content (compressed sizes change with almost any edit); mtimes are left out on
// purpose, so that a copied array keeps its fingerprint. An edit of a middle chunk that keeps its
// size is not seen (documented limitation, as for videos).
std::string zarr_fingerprint(const std::string& array_dir);

}  // namespace sw::store
