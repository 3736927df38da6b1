// Embedding lookup out[i] = table[ids[i]] and its gradient dtable[ids[i]] += dout[i]. The backward
// splits the D columns across threads (not the N rows), so repeated ids never race and the
// summation order per element is fixed (deterministic).
#include <cstring>

#include "kernels.h"
#include "parallel.h"
#include "vec-math.h"

namespace prefkit {

void embeddingForward(int64_t N, int64_t D, const int32_t* ids, const float* table, float* out) {
  auto body = [&](int64_t r0, int64_t r1) {
    for (int64_t i = r0; i < r1; i++)
      std::memcpy(out + i * D, table + static_cast<int64_t>(ids[i]) * D, sizeof(float) * static_cast<size_t>(D));
  };
  if (N * D < kParallelMinWork) return body(0, N);
  parallelFor(N, body);
}

void embeddingBackward(int64_t N, int64_t D, const int32_t* ids, const float* dout, float* dtable) {
  auto body = [&](int64_t d0, int64_t d1) {
    for (int64_t i = 0; i < N; i++) {  // column slice [d0, d1) of every row
      float* t = dtable + static_cast<int64_t>(ids[i]) * D;
      const float* g = dout + i * D;
      for (int64_t d = d0; d < d1; d++) t[d] += g[d];
    }
  };
  if (N * D < kParallelMinWork || D < 64) return body(0, D);
  parallelFor(D, body, 32);
}

}  // namespace prefkit
