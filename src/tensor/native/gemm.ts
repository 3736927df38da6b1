// Native GEMM (packed, cache-blocked, AVX-512 / AVX2 dispatched, multi-threaded) and thread control.
// The addon checks every dimension and buffer length (RangeError naming the buffer); this wrapper
// only rejects non-float32 buffers, which the native backend cannot use.
import type { Buf, GemmArgs } from '../backend.js';
import { loadNativeAddon } from './load.js';

interface GemmAddon {
  gemm(tA: boolean, tB: boolean, M: number, N: number, K: number, alpha: number, a: Float32Array, lda: number,
    b: Float32Array, ldb: number, beta: number, c: Float32Array, ldc: number, batch: number, sA: number, sB: number,
    sC: number): void;
  gemmKernelName(): string;
  numThreads(): number;
  setNumThreads(n: number): number;
}

const addon = (): GemmAddon => loadNativeAddon() as unknown as GemmAddon;

function f32(x: Buf, name: string): Float32Array {
  if (!(x instanceof Float32Array)) {
    const got = (x as object | null)?.constructor?.name ?? typeof x;
    throw new TypeError(`gemm: buffer '${name}' is a ${got}, expected a Float32Array: ` +
      'native backend is float32 only; use PREFKIT_BACKEND=reference for float64');
  }
  return x;
}

/** C = alpha * op(A) @ op(B) + beta * C, batched (see GemmArgs). */
export function gemm(p: GemmArgs): void {
  addon().gemm(p.transA, p.transB, p.M, p.N, p.K, p.alpha, f32(p.a, 'a'), p.lda, f32(p.b, 'b'), p.ldb, p.beta,
    f32(p.c, 'c'), p.ldc, p.batch, p.strideA, p.strideB, p.strideC);
}

/**
 * Sets the number of threads the native kernels use (n <= 0: all hardware threads). The default is
 * all hardware threads, or PREFKIT_THREADS when set.
 */
export function setNativeThreads(n: number): void {
  addon().setNumThreads(n);
}

export function nativeThreads(): number {
  return addon().numThreads();
}

/** The SGEMM kernel runtime dispatch chose on this CPU: "avx512", "avx2" or "scalar". */
export function gemmKernelName(): string {
  return addon().gemmKernelName();
}
