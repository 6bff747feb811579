// What the CPU we run on can do, for the few loops that have a vector version (each keeps a
// scalar version that gives the same results).
#pragma once

// The vector loops are AVX2 code, compiled only when the build allows them (the CMake option
// SW_SIMD, on by default, defines SW_SIMD) and the target is x86; elsewhere (arm64, or
// -DSW_SIMD=OFF) only the scalar loops exist. The one compile-time check: use SW_HAVE_AVX2.
#if defined(SW_SIMD) && (defined(__x86_64__) || defined(__i386__))
#define SW_HAVE_AVX2 1
#else
#define SW_HAVE_AVX2 0
#endif

namespace sw {

// AVX2, asked of the CPU once; always false when the vector loops are not compiled.
bool has_avx2();

}  // namespace sw
