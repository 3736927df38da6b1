// Shared pieces of the native-kernel tests: a seeded generator, tolerance checks, central finite
// differences in float64, and a way to pretend the native pool has more threads (so the
// partial-sum and split-work code paths run even on a one-core machine or the serial placeholder pool).
import assert from 'node:assert/strict';
import { loadNativeAddon } from '../../src/tensor/native/load.js';

/** Deterministic uniform [0, 1) generator (mulberry32). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** n float32 values uniform in [lo, hi). */
export function randF32(r: () => number, n: number, lo = -1, hi = 1): Float32Array {
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * r());
}

/** |actual - expected| <= tol * max(1, |expected|) elementwise; infinities must match exactly. */
export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i], e = expected[i];
    if (!Number.isFinite(e)) {
      assert.equal(a, e, `${what}[${i}]: got ${a}, expected ${e}`);
      continue;
    }
    const err = Math.abs(a - e);
    assert.ok(err <= tol * Math.max(1, Math.abs(e)), `${what}[${i}]: got ${a}, expected ${e} (err ${err})`);
  }
}

/** Central differences of a scalar function of x (float64), perturbing x in place. */
export function fdGrad(f: () => number, x: Float64Array, h = 1e-6): Float64Array {
  const g = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const x0 = x[i];
    x[i] = x0 + h;
    const fp = f();
    x[i] = x0 - h;
    const fm = f();
    x[i] = x0;
    g[i] = (fp - fm) / (2 * h);
  }
  return g;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

type ThreadAddon = { numThreads(): number; setNumThreads(n: number): void };

/** Runs fn with the native pool set to n threads, then restores the previous count. */
export function withThreads<T>(n: number, fn: () => T): T {
  const addon = loadNativeAddon() as unknown as ThreadAddon;
  const before = addon.numThreads();
  addon.setNumThreads(n);
  try {
    return fn();
  } finally {
    addon.setNumThreads(before);
  }
}
