// AVX2 + FMA SGEMM kernels: 6x16 register tile (12 ymm accumulators), 8x8-transpose packing and the
// skinny-row path. Compiled for AVX2 by the target pragma; only called after a CPU check.
#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "gemm-kernel.h"

#pragma GCC push_options
#pragma GCC target("avx2,fma")

namespace prefkit {
namespace {

#include "gemm-tiles.h"
#include "gemm-transpose-avx2.h"
#include "gemm-skinny.h"

struct OpsAvx2 {
  using T = __m256;
  static constexpr int W = 8;
  static T zero() { return _mm256_setzero_ps(); }
  static T load(const float* p) { return _mm256_loadu_ps(p); }
  static void store(float* p, T v) { _mm256_storeu_ps(p, v); }
  static T set1(float x) { return _mm256_set1_ps(x); }
  static T fma(T a, T b, T c) { return _mm256_fmadd_ps(a, b, c); }
  static T mul(T a, T b) { return _mm256_mul_ps(a, b); }
  static float hsum(T v) {
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    s = _mm_add_ss(s, _mm_movehdup_ps(s));
    return _mm_cvtss_f32(s);
  }
  template <int P>
  static void packTransposed(const float* src, int64_t ld, int64_t kc, float* dst) {
    packTransposedAvx<P>(src, ld, kc, dst);
  }
};

// 6 x 16 tile: 12 ymm accumulators + 2 B vectors + 1 broadcast of the 16 registers. kc = 384 keeps the
// 16 x 384 B panel (24 KiB) in a 32 KiB L1; the 96 x 384 A block (144 KiB) fits any L2 of 256 KiB+.
constexpr int kMR = 6, kNV = 2, kNR = kNV * OpsAvx2::W;
constexpr int kKC = 384, kMC = 96, kNC = 4096;

void packA(bool trans, const float* a, int64_t lda, int64_t mc, int64_t kc, float* dst) {
  packPanels<OpsAvx2, kMR>(trans, a, lda, mc, kc, dst);
}
void packB(bool trans, const float* b, int64_t ldb, int64_t kc, int64_t nc, float* dst) {
  packPanels<OpsAvx2, kNR>(!trans, b, ldb, nc, kc, dst);
}

const GemmKernel kKernel = {
    "avx2", kMR, kNR, kKC, kMC, kNC, packA, packB, microKernel<OpsAvx2, kMR, kNV>, skinnyRows<OpsAvx2>,
};

}  // namespace
}  // namespace prefkit

#pragma GCC pop_options

namespace prefkit {
const GemmKernel* gemmKernelAvx2() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") ? &kKernel : nullptr;
}
}  // namespace prefkit
