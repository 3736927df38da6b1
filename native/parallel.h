// A persistent thread pool over all cores. parallelFor splits [0, n) into contiguous chunks and runs
// fn(begin, end) on the pool; the calling thread takes part. Nested calls run serially.
#pragma once
#include <cstdint>
#include <functional>

namespace prefkit {
void parallelFor(int64_t n, const std::function<void(int64_t begin, int64_t end)>& fn, int64_t minChunk = 1);
int numThreads();
void setNumThreads(int n);  // n <= 0: all hardware threads
}  // namespace prefkit
