// N-API wrapper for sgemm:
//   gemm(transA, transB, M, N, K, alpha, a, lda, b, ldb, beta, c, ldc, batch, strideA, strideB, strideC)
// runs `batch` independent products, matrix i of each operand starting at i * stride. Every buffer is
// checked to be long enough for the whole batch before any work starts (RangeError naming it).
//   gemmKernelName() -> "avx512" | "avx2" | "scalar"
#include <napi.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "gemm.h"
#include "napi-args.h"
#include "parallel.h"

namespace prefkit {
namespace {

// A non-negative integer argument (a dimension, leading dimension, count or stride).
int64_t dimArg(const Napi::CallbackInfo& info, size_t i, const char* name) {
  double v = numArg(info, i, name);
  if (!(v >= 0) || v != std::floor(v) || v > 9007199254740991.0) {
    throw Napi::RangeError::New(info.Env(), std::string("gemm: '") + name + "' must be a non-negative integer, got " +
                                                std::to_string(v));
  }
  return static_cast<int64_t>(v);
}

// Elements a batch of `batch` (rows x cols) matrices with row stride ld and batch stride needs.
size_t spanOf(int64_t batch, int64_t stride, int64_t rows, int64_t cols, int64_t ld) {
  if (batch == 0 || rows == 0 || cols == 0) return 0;
  return size_t((batch - 1) * stride + (rows - 1) * ld + cols);
}

void requireLd(const Napi::CallbackInfo& info, int64_t ld, int64_t cols, const char* name) {
  if (ld < cols && !(cols == 0 && ld == 0)) {
    throw Napi::RangeError::New(info.Env(), std::string("gemm: leading dimension '") + name + "' = " +
                                                std::to_string(ld) + " is smaller than the row width " +
                                                std::to_string(cols));
  }
}

Napi::Value gemmJs(const Napi::CallbackInfo& info) {
  const bool transA = boolArg(info, 0, "transA"), transB = boolArg(info, 1, "transB");
  const int64_t M = dimArg(info, 2, "M"), N = dimArg(info, 3, "N"), K = dimArg(info, 4, "K");
  const float alpha = float(numArg(info, 5, "alpha"));
  F32View a = f32Arg(info, 6, "a");
  const int64_t lda = dimArg(info, 7, "lda");
  F32View b = f32Arg(info, 8, "b");
  const int64_t ldb = dimArg(info, 9, "ldb");
  const float beta = float(numArg(info, 10, "beta"));
  F32View c = f32Arg(info, 11, "c");
  const int64_t ldc = dimArg(info, 12, "ldc");
  const int64_t batch = dimArg(info, 13, "batch");
  const int64_t strideA = dimArg(info, 14, "strideA"), strideB = dimArg(info, 15, "strideB"),
                strideC = dimArg(info, 16, "strideC");

  // Stored shapes: A is (M, K) or (K, M), B is (K, N) or (N, K), C is (M, N).
  const int64_t aRows = transA ? K : M, aCols = transA ? M : K;
  const int64_t bRows = transB ? N : K, bCols = transB ? K : N;
  requireLd(info, lda, aCols, "lda");
  requireLd(info, ldb, bCols, "ldb");
  requireLd(info, ldc, N, "ldc");
  // A and B are not read when the product is empty (K == 0) or C is empty.
  const bool reads = M > 0 && N > 0 && K > 0;
  requireLength(info, a.length, reads ? spanOf(batch, strideA, aRows, aCols, lda) : 0, "a");
  requireLength(info, b.length, reads ? spanOf(batch, strideB, bRows, bCols, ldb) : 0, "b");
  requireLength(info, c.length, spanOf(batch, strideC, M, N, ldc), "c");
  if (batch == 0 || M == 0 || N == 0) return info.Env().Undefined();

  auto one = [&](int64_t i) {
    sgemm(transA, transB, M, N, K, alpha, a.data + i * strideA, lda, b.data + i * strideB, ldb, beta,
          c.data + i * strideC, ldc);
  };
  // Many small products: one product per task across the pool (each runs serially inside its task).
  // Only when the C matrices do not overlap, otherwise batches must run one after another.
  const bool disjoint = strideC >= (M - 1) * ldc + N;
  const double flops = 2.0 * double(M) * double(N) * double(K);
  if (batch > 1 && disjoint && flops < 1.5e6) {
    parallelFor(batch, [&](int64_t i0, int64_t i1) {
      for (int64_t i = i0; i < i1; i++) one(i);
    }, std::max<int64_t>(1, int64_t(1.0e6 / (flops + 1.0))));
  } else {
    for (int64_t i = 0; i < batch; i++) one(i);
  }
  return info.Env().Undefined();
}

}  // namespace

void registerGemm(Napi::Env env, Napi::Object exports) {
  exports.Set("gemm", Napi::Function::New(env, gemmJs, "gemm"));
  exports.Set("gemmKernelName", Napi::Function::New(env, [](const Napi::CallbackInfo& info) {
    return Napi::String::New(info.Env(), sgemmKernelName());
  }, "gemmKernelName"));
}

}  // namespace prefkit
