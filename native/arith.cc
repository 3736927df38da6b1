// Same-shape elementwise arithmetic (add, sub, mul, div): the residual stream and the autograd's
// gradient sums. One pass, vectorised, split across threads for large n. `out` may alias `a` or `b`
// (in-place accumulation: out = a = a + b).
#include <stdexcept>

#include "kernels.h"
#include "parallel.h"
#include "vec-math.h"

namespace prefkit {
namespace {

template <int Op>
PK_CLONES void arithRange(int64_t i0, int64_t i1, const float* a, const float* b, float* out) {
  for (int64_t i = i0; i < i1; i++) {
    if constexpr (Op == kArithAdd) out[i] = a[i] + b[i];
    if constexpr (Op == kArithSub) out[i] = a[i] - b[i];
    if constexpr (Op == kArithMul) out[i] = a[i] * b[i];
    if constexpr (Op == kArithDiv) out[i] = a[i] / b[i];
  }
}

template <int Op>
void arithOp(int64_t n, const float* a, const float* b, float* out) {
  // A memory-bound pass: two threads only pay off on buffers well past L1.
  if (n < kParallelMinWork) return arithRange<Op>(0, n, a, b, out);
  parallelFor(n, [&](int64_t i0, int64_t i1) { arithRange<Op>(i0, i1, a, b, out); }, 4096);
}

}  // namespace

void arith(int op, int64_t n, const float* a, const float* b, float* out) {
  switch (op) {
    case kArithAdd: return arithOp<kArithAdd>(n, a, b, out);
    case kArithSub: return arithOp<kArithSub>(n, a, b, out);
    case kArithMul: return arithOp<kArithMul>(n, a, b, out);
    case kArithDiv: return arithOp<kArithDiv>(n, a, b, out);
    default: throw std::invalid_argument("arith: unknown op code");
  }
}

}  // namespace prefkit
