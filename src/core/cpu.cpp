#include "core/cpu.hpp"

namespace sw {

bool has_avx2() {
#if SW_HAVE_AVX2
  static const bool yes = [] {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") != 0;
  }();
  return yes;
#else
  return false;
#endif
}

}  // namespace sw
