// Unpacked SGEMM for a few rows of C (M <= kSkinnyRows): the shapes of decoding and of one-row
// updates. These products are bound by reading op(B) from memory, so op(B) is streamed exactly once
// and never packed. Same inclusion rules as gemm-tiles.h (anonymous namespace, after the target
// pragma); `O` additionally provides hsum(v) (sum of the lanes).
//
// Columns [j0, j1) of C only, so the driver can split the columns across threads. When transB is
// set, op(A)'s rows must be contiguous (the driver copies them when transA is also set).

// C[i][j] for !transB over depths [0, K): acc over k of opA(i,k) * B[k][j..j+W*NV), rows i < R.
template <class O, int R>
void skinnyRowsNNSlab(bool transA, int64_t j0, int64_t j1, int64_t K, float alpha, const float* A, int64_t lda,
                  const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
  using T = typename O::T;
  constexpr int W = O::W, NV = 4;
  const int64_t as = transA ? lda : 1, ai = transA ? 1 : lda;  // opA(i,k) = A[i*ai + k*as]
  const T va = O::set1(alpha), vb = O::set1(beta);
  int64_t j = j0;
  auto finish = [&](T acc, int64_t i, int64_t col) {
    float* p = C + i * ldc + col;
    O::store(p, beta == 0.0f ? O::mul(va, acc) : O::fma(va, acc, O::mul(vb, O::load(p))));
  };
  for (; j + NV * W <= j1; j += NV * W) {
    T acc[R][NV];
#pragma GCC unroll 16
    for (int i = 0; i < R; i++)
#pragma GCC unroll 4
      for (int v = 0; v < NV; v++) acc[i][v] = O::zero();
    for (int64_t k = 0; k < K; k++) {
      const float* bk = B + k * ldb + j;
      T bv[NV];
#pragma GCC unroll 4
      for (int v = 0; v < NV; v++) bv[v] = O::load(bk + v * W);
#pragma GCC unroll 4
      for (int i = 0; i < R; i++) {
        T a = O::set1(A[i * ai + k * as]);
#pragma GCC unroll 4
        for (int v = 0; v < NV; v++) acc[i][v] = O::fma(a, bv[v], acc[i][v]);
      }
    }
    for (int i = 0; i < R; i++)
      for (int v = 0; v < NV; v++) finish(acc[i][v], i, j + v * W);
  }
  for (; j + W <= j1; j += W) {
    T acc[R];
    for (int i = 0; i < R; i++) acc[i] = O::zero();
    for (int64_t k = 0; k < K; k++) {
      T b = O::load(B + k * ldb + j);
      for (int i = 0; i < R; i++) acc[i] = O::fma(O::set1(A[i * ai + k * as]), b, acc[i]);
    }
    for (int i = 0; i < R; i++) finish(acc[i], i, j);
  }
  if (j < j1) {  // fewer than W columns left: plain loops, accumulating a row segment at a time
    float acc[R][O::W];
    const int64_t n = j1 - j;
    for (int i = 0; i < R; i++)
      for (int64_t c = 0; c < n; c++) acc[i][c] = 0.0f;
    for (int64_t k = 0; k < K; k++)
      for (int i = 0; i < R; i++) {
        const float a = A[i * ai + k * as];
        for (int64_t c = 0; c < n; c++) acc[i][c] += a * B[k * ldb + j + c];
      }
    for (int i = 0; i < R; i++)
      for (int64_t c = 0; c < n; c++) {
        float* p = C + i * ldc + j + c;
        *p = beta == 0.0f ? alpha * acc[i][c] : alpha * acc[i][c] + beta * *p;
      }
  }
}

// !transB reads rows of B. When this part of B is over 1 MiB (beyond L2), a slab of 8 rows at a time, so that B
// is read as 8 sequential streams (column block after column block) instead of jumping a whole row
// stride at every step (measured 1.5-2x faster from L3 or memory); otherwise all K rows at once.
template <class O, int R>
void skinnyRowsNN(bool transA, int64_t j0, int64_t j1, int64_t K, float alpha, const float* A, int64_t lda,
                  const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
  const int64_t KB = K * (j1 - j0) <= (int64_t(1) << 18) ? K : 8;
  const int64_t as = transA ? lda : 1;
  for (int64_t k0 = 0; k0 < K; k0 += KB) {
    skinnyRowsNNSlab<O, R>(transA, j0, j1, K - k0 < KB ? K - k0 : KB, alpha, A + k0 * as, lda, B + k0 * ldb, ldb,
                           k0 == 0 ? beta : 1.0f, C, ldc);
  }
}

// C[i][j] for transB: dot products of contiguous rows A[i*lda + :] and B[j*ldb + :], NJ columns at a time.
template <class O, int R, int NJ>
void skinnyDots(int64_t j, int64_t K, float alpha, const float* A, int64_t lda, const float* B, int64_t ldb,
                float beta, float* C, int64_t ldc) {
  using T = typename O::T;
  constexpr int W = O::W;
  T acc[R][NJ];
#pragma GCC unroll 16
  for (int i = 0; i < R; i++)
#pragma GCC unroll 4
    for (int c = 0; c < NJ; c++) acc[i][c] = O::zero();
  const float* bj = B + j * ldb;
  int64_t k = 0;
  for (; k + W <= K; k += W) {
    T bv[NJ];
#pragma GCC unroll 4
    for (int c = 0; c < NJ; c++) bv[c] = O::load(bj + c * ldb + k);
#pragma GCC unroll 4
    for (int i = 0; i < R; i++) {
      T a = O::load(A + i * lda + k);
#pragma GCC unroll 4
      for (int c = 0; c < NJ; c++) acc[i][c] = O::fma(a, bv[c], acc[i][c]);
    }
  }
  for (int i = 0; i < R; i++)
    for (int c = 0; c < NJ; c++) {
      float s = O::hsum(acc[i][c]);
      for (int64_t kk = k; kk < K; kk++) s += A[i * lda + kk] * bj[c * ldb + kk];
      float* p = C + i * ldc + j + c;
      *p = beta == 0.0f ? alpha * s : alpha * s + beta * *p;
    }
}

template <class O, int R>
void skinnyRowsR(bool transA, bool transB, int64_t j0, int64_t j1, int64_t K, float alpha, const float* A,
                 int64_t lda, const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
  if (!transB) {
    skinnyRowsNN<O, R>(transA, j0, j1, K, alpha, A, lda, B, ldb, beta, C, ldc);
    return;
  }
  int64_t j = j0;
  for (; j + 4 <= j1; j += 4) skinnyDots<O, R, 4>(j, K, alpha, A, lda, B, ldb, beta, C, ldc);
  for (; j < j1; j++) skinnyDots<O, R, 1>(j, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

template <class O>
void skinnyRows(bool transA, bool transB, int64_t M, int64_t j0, int64_t j1, int64_t K, float alpha,
                const float* A, int64_t lda, const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
  switch (M) {
    case 1: skinnyRowsR<O, 1>(transA, transB, j0, j1, K, alpha, A, lda, B, ldb, beta, C, ldc); break;
    case 2: skinnyRowsR<O, 2>(transA, transB, j0, j1, K, alpha, A, lda, B, ldb, beta, C, ldc); break;
    case 3: skinnyRowsR<O, 3>(transA, transB, j0, j1, K, alpha, A, lda, B, ldb, beta, C, ldc); break;
    default: skinnyRowsR<O, 4>(transA, transB, j0, j1, K, alpha, A, lda, B, ldb, beta, C, ldc); break;
  }
}
