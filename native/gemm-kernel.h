// The contract between the SGEMM driver (gemm.cc) and one instruction-set implementation
// (gemm-avx512.cc, gemm-avx2.cc, gemm-scalar.cc). Each implementation file is compiled with its own
// target attributes and exposes a table of function pointers; the driver picks one table at run time.
//
// Packed layouts (the driver never looks inside them):
// - A block (mc x kc of op(A)) -> ceil(mc / mr) panels; panel p holds, for k = 0..kc-1, the mr values
//   op(A)[p*mr + r][k] (rows past mc are zero).
// - B block (kc x nc of op(B)) -> ceil(nc / nr) panels; panel q holds, for k = 0..kc-1, the nr values
//   op(B)[k][q*nr + c] (columns past nc are zero).
#pragma once
#include <cstdint>

namespace prefkit {

struct GemmKernel {
  const char* name;
  int mr, nr;      // register tile
  int kc, mc, nc;  // cache blocking: kc x nr B panel in L1, mc x kc A block in L2, kc x nc B block in L3

  // `a` points at op(A)[0][0] of the block: A + i0*lda + k0 (!trans) or A + k0*lda + i0 (trans).
  void (*packA)(bool trans, const float* a, int64_t lda, int64_t mc, int64_t kc, float* dst);
  // `b` points at op(B)[0][0] of the block: B + k0*ldb + j0 (!trans) or B + j0*ldb + k0 (trans).
  void (*packB)(bool trans, const float* b, int64_t ldb, int64_t kc, int64_t nc, float* dst);
  // C tile (m x n, m <= mr, n <= nr) = alpha * (packed A panel) @ (packed B panel) + beta * C.
  // beta == 0 never reads C.
  void (*micro)(int64_t kc, const float* a, const float* b, float* c, int64_t ldc, float alpha, float beta,
                int m, int n);
  // Unpacked path for a few rows (M <= kSkinnyRows): streams op(B) once, no packing. Serial over
  // columns [j0, j1) so the driver can split it across threads.
  void (*skinny)(bool transA, bool transB, int64_t M, int64_t j0, int64_t j1, int64_t K, float alpha,
                 const float* A, int64_t lda, const float* B, int64_t ldb, float beta, float* C, int64_t ldc);
};

constexpr int64_t kSkinnyRows = 4;

// Null when the CPU or the compiler lacks the instruction set.
const GemmKernel* gemmKernelAvx512();
const GemmKernel* gemmKernelAvx2();
const GemmKernel* gemmKernelScalar();

}  // namespace prefkit
