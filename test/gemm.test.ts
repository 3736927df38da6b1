// Native SGEMM against the reference GEMM (run in float64 on the same float32 inputs): edge sizes
// around every tile width, all four transpose combinations, alpha/beta (beta 0 with NaN-filled C),
// padded leading dimensions, batches with strides, on 1 and 2 threads; plus argument errors.
// The AVX2 and scalar kernels are covered by re-running a subset of this file in a child process with
// PREFKIT_GEMM_KERNEL set (the kernel is chosen once per process).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { GemmArgs } from '../src/tensor/backend.js';
import { gemm, gemmKernelName, nativeThreads, setNativeThreads } from '../src/tensor/native/gemm.js';
import { gemm as referenceGemm } from '../src/tensor/reference/gemm.js';

const SUBSET = process.env.PREFKIT_GEMM_TEST_SUBSET === '1';
const SIZES = [1, 2, 7, 15, 17, 31, 33, 63, 65, 129, 257];
const DEPTHS = [1, 3, 17, 64, 257, 300];
// (alpha, beta) pairs; beta 0 runs with C full of NaN.
const SCALES: [number, number][] = [[1, 0], [0.5, 0], [1.5, -0.75], [1, 1], [-2, 0.25]];

let seed = 12345;
function rand(): number {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 4294967296 * 2 - 1;
}
function randArray(n: number): Float32Array {
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) x[i] = rand();
  return x;
}

interface Case {
  transA: boolean; transB: boolean; M: number; N: number; K: number; alpha: number; beta: number;
  pad: number; batch: number; extraStride: number; strideB0?: boolean;
}

/** Builds buffers for a case, runs native and reference, compares C (and checks padding is untouched). */
function check(c: Case): void {
  const { transA, transB, M, N, K, alpha, beta, pad, batch, extraStride } = c;
  const lda = (transA ? M : K) + pad, ldb = (transB ? K : N) + pad, ldc = N + pad;
  const aRows = transA ? K : M, bRows = transB ? N : K;
  const strideA = aRows * lda + extraStride, strideB = c.strideB0 ? 0 : bRows * ldb + extraStride;
  const strideC = M * ldc + extraStride;
  const a = randArray(Math.max(1, (batch - 1) * strideA + aRows * lda));
  const b = randArray(Math.max(1, (batch - 1) * strideB + bRows * ldb));
  const cLen = (batch - 1) * strideC + M * ldc;
  const c0 = beta === 0 ? new Float32Array(cLen).fill(NaN) : randArray(cLen);
  const cNative = c0.slice();
  const args = { transA, transB, M, N, K, alpha, lda, ldb, beta, ldc, batch, strideA, strideB, strideC };
  gemm({ ...args, a, b, c: cNative });
  const cRef = Float64Array.from(c0);
  referenceGemm({ ...args, a: Float64Array.from(a), b: Float64Array.from(b), c: cRef } as GemmArgs);

  const tol = 1e-5 * Math.sqrt(K + 1) * (Math.abs(alpha) + Math.abs(beta)) + 1e-6;
  const where = `${transA ? 't' : 'n'}${transB ? 't' : 'n'} M=${M} N=${N} K=${K} alpha=${alpha} beta=${beta} ` +
    `pad=${pad} batch=${batch} threads=${nativeThreads()} kernel=${gemmKernelName()}`;
  for (let bi = 0; bi < batch; bi++) {
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < ldc; j++) {
        const idx = bi * strideC + i * ldc + j;
        if (j >= N) {  // padding between rows must be untouched
          assert.ok(Object.is(cNative[idx], c0[idx]), `${where}: padding C[${bi}][${i}][${j}] was written`);
          continue;
        }
        const err = Math.abs(cNative[idx] - cRef[idx]);
        if (!(err <= tol)) {
          assert.fail(`${where}: C[${bi}][${i}][${j}] = ${cNative[idx]}, expected ${cRef[idx]} (tol ${tol})`);
        }
      }
    }
  }
  for (let bi = 0; bi + 1 < batch; bi++) {  // gaps between batch matrices must be untouched
    for (let idx = bi * strideC + M * ldc; idx < (bi + 1) * strideC; idx++) {
      assert.ok(Object.is(cNative[idx], c0[idx]), `${where}: gap element ${idx} was written`);
    }
  }
}

function withThreads(n: number, fn: () => void): void {
  const before = nativeThreads();
  setNativeThreads(n);
  try {
    fn();
  } finally {
    setNativeThreads(before);
  }
}

const TRANS: [boolean, boolean][] = [[false, false], [false, true], [true, false], [true, true]];

function shapeSweep(threads: number): void {
  withThreads(threads, () => {
    let n = 0;
    const sizes = SUBSET ? SIZES.filter((_, i) => i % 2 === 0) : SIZES;
    for (const M of sizes) {
      for (const N of sizes) {
        for (const [transA, transB] of TRANS) {
          const K = DEPTHS[(n + M + 3 * N) % DEPTHS.length];
          const [alpha, beta] = SCALES[n % SCALES.length];
          n++;
          if (M * N * K > 3e6) continue;
          check({ transA, transB, M, N, K, alpha, beta, pad: n % 3 === 0 ? 3 : 0, batch: 1, extraStride: 0 });
        }
      }
    }
  });
}

test(`kernel name is one of avx512 / avx2 / scalar (got ${gemmKernelName()})`, () => {
  assert.ok(['avx512', 'avx2', 'scalar'].includes(gemmKernelName()));
});

test('edge shapes x transposes x alpha/beta, 1 thread', () => shapeSweep(1));
test('edge shapes x transposes x alpha/beta, 2 threads', () => shapeSweep(2));

test('square and rectangular blocks large enough for the threaded, multi-block path', () => {
  withThreads(2, () => {
    const shapes = SUBSET ? [[260, 300, 520]] : [[257, 257, 257], [260, 300, 520], [600, 70, 130], [70, 600, 700]];
    for (const [M, N, K] of shapes) {
      for (const [transA, transB] of TRANS) {
        check({ transA, transB, M, N, K, alpha: 1, beta: 0, pad: 5, batch: 1, extraStride: 0 });
        check({ transA, transB, M, N, K, alpha: 0.5, beta: 2, pad: 0, batch: 1, extraStride: 0 });
      }
    }
  });
});

test('skinny products (few rows or few columns), including K = 1', () => {
  for (const threads of [1, 2]) {
    withThreads(threads, () => {
      for (const [M, N, K] of [[1, 1000, 300], [3, 777, 65], [4, 129, 1], [1000, 1, 300], [513, 3, 33], [1, 1, 1]]) {
        for (const [transA, transB] of TRANS) {
          check({ transA, transB, M, N, K, alpha: 1, beta: 0, pad: 2, batch: 1, extraStride: 0 });
          check({ transA, transB, M, N, K, alpha: -1, beta: 0.5, pad: 0, batch: 1, extraStride: 0 });
        }
      }
    });
  }
});

test('batches with strides (small products in parallel, large ones in turn, shared B)', () => {
  for (const threads of [1, 2]) {
    withThreads(threads, () => {
      for (const [transA, transB] of TRANS) {
        check({ transA, transB, M: 17, N: 33, K: 15, alpha: 1, beta: 0, pad: 1, batch: 7, extraStride: 5 });
        check({ transA, transB, M: 9, N: 40, K: 64, alpha: 1, beta: 1, pad: 0, batch: 5, extraStride: 0, strideB0: true });
        if (!SUBSET) check({ transA, transB, M: 130, N: 140, K: 150, alpha: 2, beta: 0, pad: 0, batch: 3, extraStride: 7 });
      }
    });
  }
});

test('K = 0 and alpha = 0 only scale C; empty shapes do nothing', () => {
  const c = new Float32Array([1, 2, 3, 4]);
  gemm(args({ M: 2, N: 2, K: 0, beta: 0.5, a: new Float32Array(0), b: new Float32Array(0), c }));
  assert.deepEqual([...c], [0.5, 1, 1.5, 2]);
  const nan = new Float32Array(4).fill(NaN);
  gemm(args({ M: 2, N: 2, K: 3, alpha: 0, beta: 0, a: new Float32Array(6).fill(NaN), b: new Float32Array(6), c: nan }));
  assert.deepEqual([...nan], [0, 0, 0, 0]);
  gemm(args({ M: 0, N: 5, K: 5, a: new Float32Array(0), b: new Float32Array(25), c: new Float32Array(0) }));
});

function args(p: Partial<GemmArgs> & Pick<GemmArgs, 'M' | 'N' | 'K' | 'a' | 'b' | 'c'>): GemmArgs {
  return {
    transA: false, transB: false, alpha: 1, beta: 0, lda: p.K, ldb: p.N, ldc: p.N, batch: 1, strideA: 0, strideB: 0,
    strideC: 0, ...p,
  };
}

test('short buffers, bad leading dimensions and float64 buffers are rejected with a clear error', () => {
  const f = (n: number) => new Float32Array(n);
  const ok = { M: 4, N: 5, K: 6, a: f(24), b: f(30), c: f(20) };
  gemm(args(ok));
  assert.throws(() => gemm(args({ ...ok, a: f(23) })), { name: 'RangeError', message: /'a'/ });
  assert.throws(() => gemm(args({ ...ok, b: f(29) })), { name: 'RangeError', message: /'b'/ });
  assert.throws(() => gemm(args({ ...ok, c: f(19) })), { name: 'RangeError', message: /'c'/ });
  // The whole batch must fit: 2 products need (2-1)*stride + one matrix.
  assert.throws(() => gemm(args({ ...ok, batch: 2, strideA: 24, strideB: 30, strideC: 20, a: f(48), b: f(60), c: f(39) })),
    { name: 'RangeError', message: /'c'/ });
  assert.throws(() => gemm(args({ ...ok, lda: 5 })), { name: 'RangeError', message: /lda/ });
  assert.throws(() => gemm(args({ ...ok, transB: true, ldb: 5 })), { name: 'RangeError', message: /ldb/ });
  assert.throws(() => gemm(args({ ...ok, M: -1 })), { name: 'RangeError', message: /'M'/ });
  assert.throws(() => gemm(args({ ...ok, N: 2.5 })), { name: 'RangeError', message: /'N'/ });
  assert.throws(() => gemm(args({ ...ok, a: new Float64Array(24) })),
    { name: 'TypeError', message: /native backend is float32 only; use PREFKIT_BACKEND=reference for float64/ });
});

test('thread count: setNativeThreads(n) sets it, n <= 0 means all hardware threads', () => {
  withThreads(1, () => {
    assert.equal(nativeThreads(), 1);
    setNativeThreads(3);
    assert.equal(nativeThreads(), 3);
    setNativeThreads(0);
    assert.ok(nativeThreads() >= 1);
  });
});

test('idle pool workers sleep: no CPU burned between calls', async () => {
  withThreads(2, () => check({ transA: false, transB: false, M: 200, N: 200, K: 200, alpha: 1, beta: 0, pad: 0,
    batch: 1, extraStride: 0 }));
  await new Promise((r) => setTimeout(r, 100));  // past the workers' short spin after the last job
  const before = process.cpuUsage();
  await new Promise((r) => setTimeout(r, 400));
  const used = process.cpuUsage(before);
  // A spinning worker would use ~400 ms here; allow generous slack for the runtime's own threads.
  assert.ok(used.user + used.system < 150_000, `process used ${(used.user + used.system) / 1000} ms CPU while idle`);
});

if (!SUBSET) {
  for (const kernel of ['avx2', 'scalar']) {
    test(`the ${kernel} kernel (forced with PREFKIT_GEMM_KERNEL) agrees too`, (t) => {
      if (kernel === 'avx2' && gemmKernelName() === 'scalar') {
        t.skip('this CPU has no AVX2');
        return;
      }
      const env: NodeJS.ProcessEnv = { ...process.env, PREFKIT_GEMM_KERNEL: kernel, PREFKIT_GEMM_TEST_SUBSET: '1' };
      delete env.NODE_TEST_CONTEXT;  // set by `node --test`; the child must print plain TAP
      const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url)], { env, encoding: 'utf8' });
      assert.equal(r.status, 0, `child run with PREFKIT_GEMM_KERNEL=${kernel} failed:\n${r.stdout}\n${r.stderr}`);
      assert.match(r.stdout, new RegExp(`kernel name is one of avx512 / avx2 / scalar \\(got ${kernel}\\)`));
    });
  }
}
