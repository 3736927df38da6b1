// SGEMM driver: runtime kernel choice, the special shapes (scale-only, few rows, few columns) and the
// packed, cache-blocked algorithm (Goto/BLIS loop order) split across the thread pool.
//
// Packed loop nest, for each kc x nc block of op(B) (packed once, shared by all threads):
//   tasks = (mc-row blocks of op(A)) x (slices of B's nr-panels); each task packs its A block into a
//   thread-local buffer and runs the macro kernel: for each B panel (stays in L1), for each A panel
//   (streams from L2), one microkernel call on an mr x nr tile of C.
// Transposes only change how panels are gathered, so op(A)/op(B) are never materialised.
#include "gemm.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>

#include "gemm-kernel.h"
#include "parallel.h"

namespace prefkit {
namespace {

// Below this many flops a product runs on the calling thread (waking the pool costs microseconds).
constexpr double kParallelFlops = 1.5e6;

const GemmKernel* chooseKernel() {
  // PREFKIT_GEMM_KERNEL=avx512|avx2|scalar forces a kernel (benchmarks, tests); unsupported -> ignored.
  const char* want = std::getenv("PREFKIT_GEMM_KERNEL");
  const GemmKernel* all[] = {gemmKernelAvx512(), gemmKernelAvx2(), gemmKernelScalar()};
  if (want && *want)
    for (const GemmKernel* k : all)
      if (k && std::string(k->name) == want) return k;
  for (const GemmKernel* k : all)
    if (k) return k;
  return gemmKernelScalar();
}

const GemmKernel& kernel() {
  static const GemmKernel* k = chooseKernel();
  return *k;
}

// Grow-only, 64-byte aligned scratch owned by one thread.
struct Scratch {
  float* data = nullptr;
  size_t capacity = 0;
  float* get(size_t n) {
    if (n > capacity) {
      std::free(data);
      capacity = std::max(n, capacity * 3 / 2);
      data = static_cast<float*>(std::aligned_alloc(64, (capacity * sizeof(float) + 63) / 64 * 64));
      if (!data) throw std::bad_alloc();
    }
    return data;
  }
  ~Scratch() { std::free(data); }
};
thread_local Scratch tPackA, tPackB, tTemp;

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }
int64_t roundUp(int64_t a, int64_t b) { return ceilDiv(a, b) * b; }

int threadsFor(int64_t M, int64_t N, int64_t K) {
  return 2.0 * double(M) * double(N) * double(K) < kParallelFlops ? 1 : numThreads();
}

// op(X)[r][c] address for a matrix stored row-major with leading dimension ld.
const float* at(const float* X, bool trans, int64_t ld, int64_t r, int64_t c) {
  return trans ? X + c * ld + r : X + r * ld + c;
}

void scaleOnly(int64_t M, int64_t N, float beta, float* C, int64_t ldc) {
  for (int64_t i = 0; i < M; i++) {
    float* c = C + i * ldc;
    if (beta == 0.0f)
      std::fill(c, c + N, 0.0f);
    else if (beta != 1.0f)
      for (int64_t j = 0; j < N; j++) c[j] *= beta;
  }
}

// M <= kSkinnyRows: op(B) streamed once, columns split across threads.
void skinnyGemm(const GemmKernel& g, bool transA, bool transB, int64_t M, int64_t N, int64_t K, float alpha,
                const float* A, int64_t lda, const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
  if (transA && transB) {  // the dot-product path wants contiguous rows of op(A)
    float* rows = tTemp.get(size_t(M * K));
    for (int64_t i = 0; i < M; i++)
      for (int64_t k = 0; k < K; k++) rows[i * K + k] = A[k * lda + i];
    A = rows;
    lda = K;
    transA = false;
  }
  const int threads = threadsFor(M, N, K);
  constexpr int64_t kColBlock = 64;
  auto run = [&](int64_t b0, int64_t b1) {
    g.skinny(transA, transB, M, b0 * kColBlock, std::min(N, b1 * kColBlock), K, alpha, A, lda, B, ldb, beta, C, ldc);
  };
  const int64_t blocks = ceilDiv(N, kColBlock);
  if (threads > 1) parallelFor(blocks, run, 1);
  else run(0, blocks);
}

// N <= kSkinnyRows: C^T = op(B)^T op(A)^T through the few-rows path into a temporary, then transposed in.
void skinnyColumnsGemm(const GemmKernel& g, bool transA, bool transB, int64_t M, int64_t N, int64_t K, float alpha,
                       const float* A, int64_t lda, const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
  // The temporary must not be tTemp: skinnyGemm may use tTemp for the rows of op(B)^T.
  Scratch ct;
  float* t = ct.get(size_t(N * M));
  skinnyGemm(g, !transB, !transA, N, M, K, alpha, B, ldb, A, lda, 0.0f, t, M);
  for (int64_t i = 0; i < M; i++) {
    float* c = C + i * ldc;
    for (int64_t j = 0; j < N; j++) c[j] = beta == 0.0f ? t[j * M + i] : t[j * M + i] + beta * c[j];
  }
}

void packedGemm(const GemmKernel& g, bool transA, bool transB, int64_t M, int64_t N, int64_t K, float alpha,
                const float* A, int64_t lda, const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
  const int64_t MR = g.mr, NR = g.nr;
  const int threads = threadsFor(M, N, K);
  // Equal depth blocks (a multiple of 8 each) rather than full blocks plus a thin last one.
  const int64_t kBlock = std::min<int64_t>(g.kc, roundUp(ceilDiv(K, ceilDiv(K, g.kc)), 8));
  const int64_t kcMax = std::min<int64_t>(kBlock, K), ncMax = std::min<int64_t>(g.nc, N);
  // The B block lives in the calling thread's scratch; the workers read it (and help pack it).
  float* packedB = tPackB.get(size_t(roundUp(ncMax, NR) * kcMax + 64));

  for (int64_t jc = 0; jc < N; jc += g.nc) {
    const int64_t nc = std::min<int64_t>(g.nc, N - jc);
    const int64_t nPanels = ceilDiv(nc, NR);
    // Task grid: enough row blocks (and, for short M, column slices) to keep every thread busy.
    int64_t mBlocks = ceilDiv(M, g.mc), nSlices = 1;
    if (threads > 1) {
      if (mBlocks >= threads) mBlocks = roundUp(mBlocks, threads);
      else if (ceilDiv(M, MR) >= 2 * threads) mBlocks = threads;  // thinner row blocks, one per thread
      else nSlices = std::min<int64_t>(nPanels, ceilDiv(threads, mBlocks));
    }
    const int64_t mc = roundUp(ceilDiv(M, mBlocks), MR);
    mBlocks = ceilDiv(M, mc);
    const int64_t tasks = mBlocks * nSlices;

    for (int64_t pc = 0; pc < K; pc += kBlock) {
      const int64_t kc = std::min<int64_t>(kBlock, K - pc);
      const float betaBlock = pc == 0 ? beta : 1.0f;
      auto packB = [&](int64_t q0, int64_t q1) {
        const int64_t j0 = q0 * NR, width = std::min(nc, q1 * NR) - j0;
        g.packB(transB, at(B, transB, ldb, pc, jc + j0), ldb, kc, width, packedB + j0 * kc);
      };
      if (threads > 1 && nPanels >= 4) parallelFor(nPanels, packB, 2);
      else packB(0, nPanels);

      auto work = [&](int64_t t0, int64_t t1) {
        int64_t packedRow = -1;
        float* packedA = nullptr;
        for (int64_t t = t0; t < t1; t++) {
          const int64_t mi = t / nSlices, sj = t % nSlices;
          const int64_t i0 = mi * mc, rows = std::min(mc, M - i0);
          if (mi != packedRow) {
            packedA = tPackA.get(size_t(roundUp(rows, MR) * kc + 64));
            g.packA(transA, at(A, transA, lda, i0, pc), lda, rows, kc, packedA);
            packedRow = mi;
          }
          const int64_t q0 = nPanels * sj / nSlices, q1 = nPanels * (sj + 1) / nSlices;
          for (int64_t q = q0; q < q1; q++) {
            const float* bp = packedB + q * NR * kc;
            const int64_t j = q * NR, cols = std::min(NR, nc - j);
            for (int64_t p = 0; p * MR < rows; p++) {
              g.micro(kc, packedA + p * MR * kc, bp, C + (i0 + p * MR) * ldc + jc + j, ldc, alpha, betaBlock,
                      int(std::min(MR, rows - p * MR)), int(cols));
            }
          }
        }
      };
      if (threads > 1 && tasks > 1) parallelFor(tasks, work, 1);
      else work(0, tasks);
    }
  }
}

}  // namespace

void sgemm(bool transA, bool transB, int64_t M, int64_t N, int64_t K, float alpha, const float* A, int64_t lda,
           const float* B, int64_t ldb, float beta, float* C, int64_t ldc) {
  if (M <= 0 || N <= 0) return;
  if (K <= 0 || alpha == 0.0f) {
    scaleOnly(M, N, beta, C, ldc);
    return;
  }
  const GemmKernel& g = kernel();
  if (M <= kSkinnyRows)
    skinnyGemm(g, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
  else if (N <= kSkinnyRows)
    skinnyColumnsGemm(g, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
  else
    packedGemm(g, transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}

const char* sgemmKernelName() { return kernel().name; }

}  // namespace prefkit
