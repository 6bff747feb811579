// The identity of this build, for everything that must tell builds apart: `stillwater
// --version`, the run store (written into .zattrs), the key of the store's render pieces (a
// resumed store never reuses pieces another build encoded) and the MPI handshake (every rank
// must run the same build). Computed on every build by cmake/build_id.cmake: git describe
// --dirty (plus a hash of the uncommitted changes), or a hash of the sources outside git.
#pragma once

#include <string_view>

namespace sw {

std::string_view build_id();

}  // namespace sw
