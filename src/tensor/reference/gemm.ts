// Reference GEMM, the correctness oracle for the native one: plain loops over the definition
//   C = alpha * op(A) @ op(B) + beta * C   (row-major, batched),
// accumulating in JS doubles. Works on Float32Array and Float64Array alike.
import type { GemmArgs } from '../backend.js';

export function gemm(p: GemmArgs): void {
  const { transA, transB, M, N, K, alpha, a, lda, b, ldb, beta, c, ldc } = p;
  // op(A)[i][k] = a[i*ai + k*ak], op(B)[k][j] = b[k*bk + j*bj].
  const ai = transA ? 1 : lda;
  const ak = transA ? lda : 1;
  const bk = transB ? 1 : ldb;
  const bj = transB ? ldb : 1;
  for (let bi = 0; bi < p.batch; bi++) {
    const oa = bi * p.strideA;
    const ob = bi * p.strideB;
    const oc = bi * p.strideC;
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += a[oa + i * ai + k * ak] * b[ob + k * bk + j * bj];
        const idx = oc + i * ldc + j;
        // beta == 0 ignores C's old value, which may be NaN.
        c[idx] = alpha * s + (beta === 0 ? 0 : beta * c[idx]);
      }
    }
  }
}
