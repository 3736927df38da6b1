// Portable SGEMM kernels for CPUs without AVX2: the same packed algorithm with a 4x8 tile of plain
// floats (the compiler may still vectorise it with the baseline SSE2).
#include <cstdint>
#include <cstring>

#include "gemm-kernel.h"

namespace prefkit {
namespace {

#include "gemm-tiles.h"
#include "gemm-skinny.h"

struct OpsScalar {
  using T = float;
  static constexpr int W = 1;
  static T zero() { return 0.0f; }
  static T load(const float* p) { return *p; }
  static void store(float* p, T v) { *p = v; }
  static T set1(float x) { return x; }
  static T fma(T a, T b, T c) { return a * b + c; }
  static T mul(T a, T b) { return a * b; }
  static float hsum(T v) { return v; }
  template <int P>
  static void packTransposed(const float* src, int64_t ld, int64_t kc, float* dst) {
    packTransposedScalar<P>(src, ld, 0, kc, dst);
  }
};

constexpr int kMR = 4, kNR = 8;

void packA(bool trans, const float* a, int64_t lda, int64_t mc, int64_t kc, float* dst) {
  packPanels<OpsScalar, kMR>(trans, a, lda, mc, kc, dst);
}
void packB(bool trans, const float* b, int64_t ldb, int64_t kc, int64_t nc, float* dst) {
  packPanels<OpsScalar, kNR>(!trans, b, ldb, nc, kc, dst);
}

const GemmKernel kKernel = {
    "scalar", kMR, kNR, 256, 128, 2048, packA, packB, microKernel<OpsScalar, kMR, kNR>, skinnyRows<OpsScalar>,
};

}  // namespace

const GemmKernel* gemmKernelScalar() { return &kKernel; }
}  // namespace prefkit
