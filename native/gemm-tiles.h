// Register-blocked microkernel and panel packing, written once over a small vector-ops type `O`
// and instantiated by each instruction-set file (gemm-avx512.cc, gemm-avx2.cc, gemm-scalar.cc).
//
// Include this only inside an anonymous namespace, after the file's `#pragma GCC target`: every
// instantiation must stay local to its translation unit, or the linker could hand AVX-512 code to a
// CPU without it. `O` provides: T (vector type), W (lanes), zero(), load(p), store(p, v), set1(x),
// fma(a, b, c) = a * b + c, mul(a, b), and packTransposed<P>(...) (see packPanels).
//
// The including file must already have included <cstdint> and <cstring>.

// C tile (m x n) = alpha * sum_k a[k*MR + r] * b[k*NR + c] + beta * C, using the first NA of the NV
// vectors of each B row (narrow variants serve the last, partial panel of a block). Full tiles are
// stored straight from registers; edge tiles go through a small buffer.
template <class O, int MR, int NV, int NA>
void microKernelN(int64_t kc, const float* __restrict a, const float* __restrict b, float* __restrict c, int64_t ldc,
                  float alpha, float beta, int m, int n) {
  using T = typename O::T;
  constexpr int W = O::W, NR = NV * W, NC = NA * W;
  T acc[MR][NA];
#pragma GCC unroll 64
  for (int r = 0; r < MR; r++)
#pragma GCC unroll 8
    for (int v = 0; v < NA; v++) acc[r][v] = O::zero();

  // Pull the C tile (first and last line of each row: rows need not be aligned) towards L1 while
  // the k loop runs; stores need the lines too, so this pays off even when beta == 0.
  for (int r = 0; r < m; r++) {
    __builtin_prefetch(c + r * ldc, 1, 3);
    __builtin_prefetch(c + r * ldc + NC - 1, 1, 3);
  }

  for (int64_t k = 0; k < kc; k++) {
    T bv[NA];
#pragma GCC unroll 8
    for (int v = 0; v < NA; v++) bv[v] = O::load(b + v * W);
    __builtin_prefetch(a + 8 * MR, 0, 3);
#pragma GCC unroll 64
    for (int r = 0; r < MR; r++) {
      T av = O::set1(a[r]);
#pragma GCC unroll 8
      for (int v = 0; v < NA; v++) acc[r][v] = O::fma(av, bv[v], acc[r][v]);
    }
    a += MR;
    b += NR;
  }

  const T va = O::set1(alpha);
  if (m == MR && n == NC) {
    if (beta == 0.0f) {
#pragma GCC unroll 64
      for (int r = 0; r < MR; r++)
#pragma GCC unroll 8
        for (int v = 0; v < NA; v++) O::store(c + r * ldc + v * W, O::mul(va, acc[r][v]));
    } else {
      const T vb = O::set1(beta);
#pragma GCC unroll 64
      for (int r = 0; r < MR; r++)
#pragma GCC unroll 8
        for (int v = 0; v < NA; v++) {
          float* p = c + r * ldc + v * W;
          O::store(p, O::fma(va, acc[r][v], O::mul(vb, O::load(p))));
        }
    }
    return;
  }
  alignas(64) float tile[MR * NC];
#pragma GCC unroll 64
  for (int r = 0; r < MR; r++)
#pragma GCC unroll 8
    for (int v = 0; v < NA; v++) O::store(tile + r * NC + v * W, O::mul(va, acc[r][v]));
  for (int r = 0; r < m; r++) {
    float* cr = c + r * ldc;
    const float* tr = tile + r * NC;
    if (beta == 0.0f)
      for (int j = 0; j < n; j++) cr[j] = tr[j];
    else
      for (int j = 0; j < n; j++) cr[j] = tr[j] + beta * cr[j];
  }
}

// The microkernel entry point: the narrowest variant that covers the n columns of this tile.
template <class O, int MR, int NV, int NA = NV>
void microKernel(int64_t kc, const float* a, const float* b, float* c, int64_t ldc, float alpha, float beta, int m,
                 int n) {
  if constexpr (NA > 1) {
    if (n <= (NA - 1) * O::W) {
      microKernel<O, MR, NV, NA - 1>(kc, a, b, c, ldc, alpha, beta, m, n);
      return;
    }
  }
  microKernelN<O, MR, NV, NA>(kc, a, b, c, ldc, alpha, beta, m, n);
}

// Packs a len x kc operand into panels of P lanes (see gemm-kernel.h). Element (p, k) lives at
// x[k*ld + p] when `contiguous` (the P lanes of one k are adjacent in memory: a plain copy), else at
// x[p*ld + k] (a transpose, done by O::packTransposed in SIMD blocks).
template <class O, int P>
void packPanels(bool contiguous, const float* __restrict x, int64_t ld, int64_t len, int64_t kc,
                float* __restrict dst) {
  if (contiguous) {
    // A few rows of storage at a time (they stay in L1), each spread over all the panels. Panel after
    // panel would read with a large stride; row after row would write with a stride of P*kc floats,
    // often a multiple of 4 KiB, which thrashes L1 sets.
    constexpr int64_t KB = 8;
    const int64_t full = len / P, rest = len - full * P;
    for (int64_t k0 = 0; k0 < kc; k0 += KB) {
      const int64_t k1 = k0 + KB < kc ? k0 + KB : kc;
      for (int64_t q = 0; q < full; q++) {
        float* d = dst + q * P * kc;
        for (int64_t k = k0; k < k1; k++) std::memcpy(d + k * P, x + k * ld + q * P, sizeof(float) * P);
      }
      if (rest) {
        float* d = dst + full * P * kc;
        for (int64_t k = k0; k < k1; k++) {
          for (int64_t i = 0; i < rest; i++) d[k * P + i] = x[k * ld + full * P + i];
          for (int64_t i = rest; i < P; i++) d[k * P + i] = 0.0f;
        }
      }
    }
    return;
  }
  for (int64_t p0 = 0; p0 < len; p0 += P, dst += P * kc) {
    const int64_t n = len - p0 < P ? len - p0 : P;
    const float* src = x + p0 * ld;
    if (n == P) {
      O::template packTransposed<P>(src, ld, kc, dst);
    } else {
      for (int64_t k = 0; k < kc; k++) {
        float* d = dst + k * P;
        for (int64_t i = 0; i < n; i++) d[i] = src[i * ld + k];
        for (int64_t i = n; i < P; i++) d[i] = 0.0f;
      }
    }
  }
}

// Scalar transpose-pack of one full panel: dst[k*P + p] = src[p*ld + k]. Used by the scalar kernel
// and for the k tail of the SIMD versions.
template <int P>
inline void packTransposedScalar(const float* __restrict src, int64_t ld, int64_t k0, int64_t kc,
                                 float* __restrict dst) {
  for (int64_t k = k0; k < kc; k++)
#pragma GCC unroll 32
    for (int p = 0; p < P; p++) dst[k * P + p] = src[p * ld + k];
}
