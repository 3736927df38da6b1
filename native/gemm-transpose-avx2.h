// Transposing panel pack with 8x8 AVX transposes, shared by the AVX2 and AVX-512 files (AVX-512 CPUs
// run these 256-bit instructions just as well). Same inclusion rules as gemm-tiles.h.
//
// dst[k*P + p] = src[p*ld + k] for p < P, k < kc: rows are read in groups of 8, 8 k at a time.

inline void transpose8x8(__m256 r[8]) {
  __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
  __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
  __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
  __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
  __m256 s0 = _mm256_shuffle_ps(t0, t2, 0x44), s1 = _mm256_shuffle_ps(t0, t2, 0xEE);
  __m256 s2 = _mm256_shuffle_ps(t1, t3, 0x44), s3 = _mm256_shuffle_ps(t1, t3, 0xEE);
  __m256 s4 = _mm256_shuffle_ps(t4, t6, 0x44), s5 = _mm256_shuffle_ps(t4, t6, 0xEE);
  __m256 s6 = _mm256_shuffle_ps(t5, t7, 0x44), s7 = _mm256_shuffle_ps(t5, t7, 0xEE);
  r[0] = _mm256_permute2f128_ps(s0, s4, 0x20);
  r[1] = _mm256_permute2f128_ps(s1, s5, 0x20);
  r[2] = _mm256_permute2f128_ps(s2, s6, 0x20);
  r[3] = _mm256_permute2f128_ps(s3, s7, 0x20);
  r[4] = _mm256_permute2f128_ps(s0, s4, 0x31);
  r[5] = _mm256_permute2f128_ps(s1, s5, 0x31);
  r[6] = _mm256_permute2f128_ps(s2, s6, 0x31);
  r[7] = _mm256_permute2f128_ps(s3, s7, 0x31);
}

// Stores the first n (1..8) lanes of v without touching the memory past them.
inline void storeLanes(float* p, __m256 v, int n) {
  if (n == 8) {
    _mm256_storeu_ps(p, v);
    return;
  }
  __m128 lo = _mm256_castps256_ps128(v);
  if (n >= 4) {
    _mm_storeu_ps(p, lo);
    p += 4;
    n -= 4;
    lo = _mm256_extractf128_ps(v, 1);
  }
  if (n >= 2) {
    _mm_storel_pi(reinterpret_cast<__m64*>(p), lo);
    p += 2;
    n -= 2;
    lo = _mm_movehl_ps(lo, lo);
  }
  if (n == 1) _mm_store_ss(p, lo);
}

template <int P>
void packTransposedAvx(const float* __restrict src, int64_t ld, int64_t kc, float* __restrict dst) {
  int64_t k = 0;
  for (; k + 8 <= kc; k += 8) {
    for (int g = 0; g < P; g += 8) {
      const int rows = P - g < 8 ? P - g : 8;
      __m256 r[8];
      for (int i = 0; i < 8; i++)
        r[i] = i < rows ? _mm256_loadu_ps(src + (g + i) * ld + k) : _mm256_setzero_ps();
      transpose8x8(r);
      for (int i = 0; i < 8; i++) storeLanes(dst + (k + i) * P + g, r[i], rows);
    }
  }
  packTransposedScalar<P>(src, ld, k, kc, dst);
}
