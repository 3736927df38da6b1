// Single-precision GEMM, row-major: C = alpha * op(A) @ op(B) + beta * C, op(X) = X or X^T.
// op(A) is (M, K), op(B) is (K, N), C is (M, N). lda/ldb/ldc are row strides in elements of the
// matrices as stored (A stored (M, K) when !transA, (K, M) when transA). beta == 0 ignores C's contents.
#pragma once
#include <cstdint>

namespace prefkit {
void sgemm(bool transA, bool transB, int64_t M, int64_t N, int64_t K, float alpha, const float* A, int64_t lda,
           const float* B, int64_t ldb, float beta, float* C, int64_t ldc);
// Which kernel runtime dispatch chose: "avx512", "avx2", or "scalar".
const char* sgemmKernelName();
}  // namespace prefkit
