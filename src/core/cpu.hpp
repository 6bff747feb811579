// What the CPU we run on can do, for the few loops that have a vector version (each keeps a
// scalar version that gives the same results).
#pragma once

namespace sw {

// AVX2, asked of the CPU once.
bool has_avx2();

}  // namespace sw
