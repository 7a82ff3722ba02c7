// heap_settings.cpp — glibc malloc thresholds (see heap_settings.hpp).
#include "app/heap_settings.hpp"

#include <malloc.h>

namespace nmt {

void keep_freed_memory_for_reuse() {
  constexpr int kOneGiB = 1 << 30;
  mallopt(M_MMAP_THRESHOLD, kOneGiB);  // blocks below this come from the heap
  mallopt(M_TRIM_THRESHOLD, kOneGiB);  // free heap top kept up to this size
}

}  // namespace nmt
