// GEMM throughput benchmark of the native backend (behind `prefkit bench gemm`).
//
// For each thread count and square size n, and each of 'nn' (C = A B), 'nt' (C = A B^T) and
// 'tn' (C = A^T B): two warm-up calls, then repeated timed calls until `minSeconds` have passed
// (at least 3). The reported figure is the MEDIAN call time, which is robust to other processes
// stealing a core for a moment: GFLOP/s = 2 n^3 / seconds / 1e9.
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { gemm, nativeThreads, setNativeThreads } from '../tensor/native/gemm.js';

export type GemmTranspose = 'nn' | 'nt' | 'tn';

export interface GemmBenchRow {
  n: number;
  transpose: GemmTranspose;
  threads: number;
  gflops: number;
}

export interface GemmBenchOptions {
  /** Square sizes; default [256, 512, 1024, 2048]. */
  sizes?: number[];
  /** Thread counts; default [1, all cores]. */
  threads?: number[];
  /** Minimum timed seconds per (n, transpose, threads); default 0.5. */
  minSeconds?: number;
}

function filled(len: number, seed: number): Float32Array {
  const x = new Float32Array(len);
  let s = seed >>> 0;
  for (let i = 0; i < len; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    x[i] = s / 4294967296 - 0.5;
  }
  return x;
}

function median(xs: number[]): number {
  const s = [...xs].sort((p, q) => p - q);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export function runGemmBench(opts: GemmBenchOptions = {}): GemmBenchRow[] {
  const all = cpus().length;
  const sizes = opts.sizes ?? [256, 512, 1024, 2048];
  const threadCounts = opts.threads ?? (all > 1 ? [1, all] : [1]);
  const minSeconds = opts.minSeconds ?? 0.5;
  const before = nativeThreads();
  const rows: GemmBenchRow[] = [];
  try {
    for (const threads of threadCounts) {
      setNativeThreads(threads);
      for (const n of sizes) {
        const a = filled(n * n, 1);
        const b = filled(n * n, 2);
        const c = new Float32Array(n * n);
        for (const transpose of ['nn', 'nt', 'tn'] as const) {
          const call = (): void => gemm({
            transA: transpose === 'tn', transB: transpose === 'nt', M: n, N: n, K: n, alpha: 1, a, lda: n, b,
            ldb: n, beta: 0, c, ldc: n, batch: 1, strideA: 0, strideB: 0, strideC: 0,
          });
          call();
          call();
          const times: number[] = [];
          const start = performance.now();
          while (times.length < 3 || performance.now() - start < minSeconds * 1000) {
            const t0 = performance.now();
            call();
            times.push((performance.now() - t0) / 1000);
          }
          rows.push({ n, transpose, threads, gflops: (2 * n * n * n) / median(times) / 1e9 });
        }
      }
    }
  } finally {
    setNativeThreads(before);
  }
  return rows;
}
