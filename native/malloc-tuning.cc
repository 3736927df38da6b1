// Keeps large tensor buffers in the malloc heap instead of fresh mmap()ed pages.
//
// A training step allocates the same large buffer sizes every step. By default glibc serves each one
// with a new mmap(), so every step pays page faults (the kernel zeroing pages on first touch) and an
// munmap() after GC — on small models as much time as the arithmetic. Raising the mmap and trim
// thresholds lets freed buffers be reused from the heap (calloc then zeroes hot memory). The cost is
// that memory freed by the GC is kept by the process for reuse rather than returned to the system.
#include <napi.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace prefkit {

void tuneMalloc() {
#if defined(__GLIBC__)
  mallopt(M_MMAP_THRESHOLD, 1 << 30);   // largest size served from the heap (1 GiB)
  mallopt(M_TRIM_THRESHOLD, 1 << 30);   // free heap top kept before returning it to the system
#endif
}

}  // namespace prefkit
