// heap_settings.hpp — keep freed training buffers in the process for the next step.
//
// A training step allocates and frees buffers of tens of MB (logits and their gradient
// are N × V floats, 64 MB at 2,000 tokens × 8,000 pieces). glibc serves blocks above
// its mmap threshold (at most 32 MB by default) with fresh mmap calls and unmaps them on
// free, so every step paid page faults and page clearing for them (≈ 7% of a step in
// perf). Raising the mmap and trim thresholds keeps those pages in the heap and reuses
// them; the process keeps its high-water mark, which is what it needs again next step.
#pragma once

namespace nmt {

// Call once at start-up, before the large buffers are allocated.
void keep_freed_memory_for_reuse();

}  // namespace nmt
