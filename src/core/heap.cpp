#include "core/heap.hpp"

#include <malloc.h>

namespace sw::heap {

void keep_large_blocks() {
  mallopt(M_MMAP_THRESHOLD, 4 << 20);
  mallopt(M_TRIM_THRESHOLD, 32 << 20);
}

void return_free_memory() {
  malloc_trim(0);
}

}  // namespace sw::heap
