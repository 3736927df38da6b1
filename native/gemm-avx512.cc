// AVX-512 SGEMM kernels: an 8 x 32 register tile over zmm accumulators, 8x8-transpose packing and the
// skinny-row path. Compiled for AVX-512 by the target pragma; only called after a CPU check.
#include <immintrin.h>

#include <cstdint>
#include <cstring>

#include "gemm-kernel.h"

#pragma GCC push_options
#pragma GCC target("avx512f,avx512dq,avx2,fma")

namespace prefkit {
namespace {

#include "gemm-tiles.h"
#include "gemm-transpose-avx2.h"
#include "gemm-skinny.h"

struct OpsAvx512 {
  using T = __m512;
  static constexpr int W = 16;
  static T zero() { return _mm512_setzero_ps(); }
  static T load(const float* p) { return _mm512_loadu_ps(p); }
  static void store(float* p, T v) { _mm512_storeu_ps(p, v); }
  static T set1(float x) { return _mm512_set1_ps(x); }
  static T fma(T a, T b, T c) { return _mm512_fmadd_ps(a, b, c); }
  static T mul(T a, T b) { return _mm512_mul_ps(a, b); }
  static float hsum(T v) {
    // Halves via a vector shuffle: GCC 12's _mm512_cast*/extract* headers raise false -Wuninitialized.
    __m256 h = _mm256_add_ps(__builtin_shufflevector(v, v, 0, 1, 2, 3, 4, 5, 6, 7),
                             __builtin_shufflevector(v, v, 8, 9, 10, 11, 12, 13, 14, 15));
    __m128 s = _mm_add_ps(_mm256_castps256_ps128(h), _mm256_extractf128_ps(h, 1));
    s = _mm_add_ps(s, _mm_movehl_ps(s, s));
    return _mm_cvtss_f32(_mm_add_ss(s, _mm_movehdup_ps(s)));
  }
  template <int P>
  static void packTransposed(const float* src, int64_t ld, int64_t kc, float* dst) {
    packTransposedAvx<P>(src, ld, kc, dst);
  }
};

// 8 x 32 tile: 16 zmm accumulators. On Zen 4 (512-bit ops on 256-bit units) this measured a few
// percent faster than the 6 x 16 AVX2 tile below n = 1024 and level above; 6 x 64 and 12 x 32 tiles
// were no better. kc = 384: the 8 x 384 A panel and 32 x 384 B panel (48 KiB) stream from L1/L2.
constexpr int kMR = 8, kNV = 2, kNR = kNV * OpsAvx512::W;
constexpr int kKC = 384, kMC = 128, kNC = 4096;

void packA(bool trans, const float* a, int64_t lda, int64_t mc, int64_t kc, float* dst) {
  packPanels<OpsAvx512, kMR>(trans, a, lda, mc, kc, dst);
}
void packB(bool trans, const float* b, int64_t ldb, int64_t kc, int64_t nc, float* dst) {
  packPanels<OpsAvx512, kNR>(!trans, b, ldb, nc, kc, dst);
}

const GemmKernel kKernel = {
    "avx512", kMR, kNR, kKC, kMC, kNC, packA, packB, microKernel<OpsAvx512, kMR, kNV>, skinnyRows<OpsAvx512>,
};

}  // namespace
}  // namespace prefkit

#pragma GCC pop_options

namespace prefkit {
const GemmKernel* gemmKernelAvx512() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq") ? &kKernel : nullptr;
}
}  // namespace prefkit
