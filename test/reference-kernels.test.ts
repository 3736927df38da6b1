// Reference kernels: float64 finite-difference checks of every backward kernel, plus forward checks
// with known answers. The scalar for each check is L = Σ R ⊙ forward(x) for a fixed random R, whose
// gradient is exactly what the backward kernel computes when given dy = R.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AttentionShape, Buf } from '../src/tensor/backend.js';
import { referenceKernels as K } from '../src/tensor/reference/kernels.js';
import { adamw } from '../src/tensor/reference/adamw.js';

// ---- helpers -------------------------------------------------------------------------------------

/** Deterministic uniform [0, 1) generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = rng(1234);
/** n values uniform in [lo, hi). */
function uni(n: number, lo = -1, hi = 1): Float64Array {
  return Float64Array.from({ length: n }, () => lo + (hi - lo) * rand());
}
function dot(a: Buf, b: Buf): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol: number, what: string): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < actual.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    assert.ok(err <= tol * Math.max(1, Math.abs(expected[i])),
      `${what}[${i}]: got ${actual[i]}, expected ${expected[i]} (err ${err})`);
  }
}

const EPS = 1e-6;
const RTOL = 1e-6;
/**
 * Central differences of `loss` in every coordinate of x against `grad`. The floor of the tolerance
 * is relative to the largest gradient entry: the rounding error of a central difference is about
 * 1e-16 |L| / EPS, absolute, so tiny entries cannot be held to a purely relative 1e-6.
 */
function fdCheck(what: string, x: Float64Array, loss: () => number, grad: ArrayLike<number>): void {
  let gmax = 0;
  for (let i = 0; i < grad.length; i++) gmax = Math.max(gmax, Math.abs(grad[i]));
  for (let i = 0; i < x.length; i++) {
    const xi = x[i];
    x[i] = xi + EPS;
    const fp = loss();
    x[i] = xi - EPS;
    const fm = loss();
    x[i] = xi;
    const num = (fp - fm) / (2 * EPS);
    const err = Math.abs(num - grad[i]);
    assert.ok(err <= RTOL * Math.max(Math.abs(grad[i]), 1e-2 * gmax, 1e-3),
      `${what}[${i}]: analytic ${grad[i]}, numeric ${num} (err ${err})`);
  }
}

// ---- attention -----------------------------------------------------------------------------------

function shape(p: Partial<AttentionShape> & Pick<AttentionShape, 'B' | 'T' | 'S' | 'H' | 'Hkv' | 'D'>): AttentionShape {
  return { scale: 1 / Math.sqrt(p.D), causal: false, keyMask: null, ...p };
}
function attend(s: AttentionShape, q: Buf, k: Buf, v: Buf): { o: Float64Array; lse: Float64Array } {
  const o = new Float64Array(s.B * s.T * s.H * s.D);
  const lse = new Float64Array(s.B * s.H * s.T);
  K.attentionForward(s, q, k, v, o, lse);
  return { o, lse };
}

const attentionCases: [string, AttentionShape][] = [
  ['plain MHA', shape({ B: 1, T: 3, S: 3, H: 2, Hkv: 2, D: 3, scale: 0.7 })],
  ['MQA causal', shape({ B: 2, T: 4, S: 4, H: 3, Hkv: 1, D: 2, causal: true })],
  // GQA, cached keys (S > T), padding; batch 1 masks keys 0..2 so its query 0 sees nothing at all.
  ['GQA causal S>T padded', shape({
    B: 2, T: 3, S: 5, H: 4, Hkv: 2, D: 4, causal: true,
    keyMask: Float32Array.from([1, 1, 1, 1, 0, 0, 0, 0, 1, 1]),
  })],
];

for (const [name, s] of attentionCases) {
  test(`attention backward matches finite differences: ${name}`, () => {
    const q = uni(s.B * s.T * s.H * s.D, -1.5, 1.5);
    const k = uni(s.B * s.S * s.Hkv * s.D, -1.5, 1.5);
    const v = uni(s.B * s.S * s.Hkv * s.D);
    const R = uni(q.length);
    const { o, lse } = attend(s, q, k, v);
    const dq = new Float64Array(q.length).fill(NaN); // overwritten, never read
    const dk = new Float64Array(k.length).fill(NaN);
    const dv = new Float64Array(v.length).fill(NaN);
    K.attentionBackward(s, q, k, v, o, lse, R, dq, dk, dv);
    const loss = () => dot(R, attend(s, q, k, v).o);
    fdCheck('dq', q, loss, dq);
    fdCheck('dk', k, loss, dk);
    fdCheck('dv', v, loss, dv);
  });
}

test('attention: a fully masked query row gives o = 0, lse = -Infinity and zero gradients', () => {
  const s = attentionCases[2][1];
  const q = uni(s.B * s.T * s.H * s.D);
  const k = uni(s.B * s.S * s.Hkv * s.D);
  const v = uni(k.length);
  const { o, lse } = attend(s, q, k, v);
  const dq = new Float64Array(q.length).fill(NaN);
  const dk = new Float64Array(k.length);
  const dv = new Float64Array(v.length);
  K.attentionBackward(s, q, k, v, o, lse, uni(o.length), dq, dk, dv);
  for (let h = 0; h < s.H; h++) {
    assert.equal(lse[(1 * s.H + h) * s.T + 0], -Infinity); // b = 1, t = 0
    for (let d = 0; d < s.D; d++) {
      const i = ((1 * s.T + 0) * s.H + h) * s.D + d;
      assert.equal(o[i], 0);
      assert.equal(dq[i], 0);
    }
  }
  // Masked keys (batch 1, s = 0..2) receive no gradient; nothing is NaN anywhere.
  for (const g of [dq, dk, dv]) assert.ok(g.every(Number.isFinite));
  for (let sk = 0; sk < 3; sk++) {
    for (let j = 0; j < s.Hkv * s.D; j++) {
      assert.equal(dk[(1 * s.S + sk) * s.Hkv * s.D + j], 0);
      assert.equal(dv[(1 * s.S + sk) * s.Hkv * s.D + j], 0);
    }
  }
});

test('attention with a single key returns v for every query and head', () => {
  const s = shape({ B: 2, T: 3, S: 1, H: 4, Hkv: 2, D: 3 });
  const q = uni(s.B * s.T * s.H * s.D, -3, 3);
  const k = uni(s.B * s.Hkv * s.D);
  const v = uni(s.B * s.Hkv * s.D);
  const { o } = attend(s, q, k, v);
  for (let b = 0; b < s.B; b++) for (let t = 0; t < s.T; t++) for (let h = 0; h < s.H; h++) {
    for (let d = 0; d < s.D; d++) {
      const kvh = Math.floor(h / 2);
      assert.ok(Math.abs(o[((b * s.T + t) * s.H + h) * s.D + d] - v[(b * s.Hkv + kvh) * s.D + d]) < 1e-15);
    }
  }
});

test('attention: hand-computed example', () => {
  // q = 1, keys 0 and ln 3 -> weights 1/4, 3/4; values 4 and 8 -> o = 7, lse = ln 4.
  const s = shape({ B: 1, T: 1, S: 2, H: 1, Hkv: 1, D: 1, scale: 1 });
  const { o, lse } = attend(s, Float64Array.from([1]), Float64Array.from([0, Math.log(3)]), Float64Array.from([4, 8]));
  assertClose(o, [7], 1e-14, 'o');
  assertClose(lse, [Math.log(4)], 1e-14, 'lse');
  // Causal, T = S = 2: query 0 sees only key 0 (o = v0); query 1 sees both.
  const c = shape({ B: 1, T: 2, S: 2, H: 1, Hkv: 1, D: 1, scale: 1, causal: true });
  const r = attend(c, Float64Array.from([1, 1]), Float64Array.from([0, Math.log(3)]), Float64Array.from([4, 8]));
  assertClose(r.o, [4, 7], 1e-14, 'causal o');
  assertClose(r.lse, [0, Math.log(4)], 1e-14, 'causal lse');
});

test('attention: GQA equals MHA with repeated kv heads (HF repeat_kv)', () => {
  const s = shape({ B: 2, T: 3, S: 4, H: 6, Hkv: 2, D: 3, causal: true });
  const q = uni(s.B * s.T * s.H * s.D);
  const k = uni(s.B * s.S * s.Hkv * s.D);
  const v = uni(k.length);
  const rep = (x: Float64Array) => { // (B, S, Hkv, D) -> (B, S, H, D), head h <- h / 3
    const y = new Float64Array(s.B * s.S * s.H * s.D);
    for (let bs = 0; bs < s.B * s.S; bs++) for (let h = 0; h < s.H; h++) for (let d = 0; d < s.D; d++) {
      y[(bs * s.H + h) * s.D + d] = x[(bs * s.Hkv + Math.floor(h / 3)) * s.D + d];
    }
    return y;
  };
  const a = attend(s, q, k, v);
  const b = attend({ ...s, Hkv: s.H }, q, rep(k), rep(v));
  assertClose(a.o, b.o, 1e-14, 'o');
  assertClose(a.lse, b.lse, 1e-14, 'lse');
});

test('attention: causal with cached keys equals the last T rows of full causal attention', () => {
  const full = shape({ B: 1, T: 5, S: 5, H: 2, Hkv: 1, D: 3, causal: true });
  const q = uni(full.T * full.H * full.D);
  const k = uni(full.S * full.Hkv * full.D);
  const v = uni(k.length);
  const a = attend(full, q, k, v);
  const tail = attend({ ...full, T: 2 }, q.slice(3 * full.H * full.D), k, v);
  assertClose(tail.o, a.o.slice(3 * full.H * full.D), 1e-14, 'o');
});

test('attention: padded keys behave as if removed', () => {
  const s = shape({ B: 1, T: 2, S: 4, H: 2, Hkv: 2, D: 3, keyMask: Float32Array.from([1, 0, 1, 0]) });
  const q = uni(s.T * s.H * s.D);
  const k = uni(s.S * s.Hkv * s.D);
  const v = uni(k.length);
  const keep = (x: Float64Array) => Float64Array.from([...x.slice(0, 6), ...x.slice(12, 18)]);
  const a = attend(s, q, k, v);
  const b = attend({ ...s, S: 2, keyMask: null }, q, keep(k), keep(v));
  assertClose(a.o, b.o, 1e-14, 'o');
});

test('attention accepts float32 buffers and agrees with float64', () => {
  const s = attentionCases[2][1];
  const q = uni(s.B * s.T * s.H * s.D);
  const k = uni(s.B * s.S * s.Hkv * s.D);
  const v = uni(k.length);
  const a = attend(s, q, k, v);
  const [q32, k32, v32] = [q, k, v].map((x) => Float32Array.from(x));
  const o32 = new Float32Array(a.o.length);
  const lse32 = new Float32Array(a.lse.length);
  K.attentionForward(s, q32, k32, v32, o32, lse32);
  assertClose(o32, a.o, 1e-5, 'o');
  const dO = Float32Array.from(uni(o32.length));
  const [dq, dk, dv] = [q32, k32, v32].map((x) => new Float32Array(x.length));
  K.attentionBackward(s, q32, k32, v32, o32, lse32, dO, dq, dk, dv);
  const [dq64, dk64, dv64] = [q, k, v].map((x) => new Float64Array(x.length));
  K.attentionBackward(s, q, k, v, a.o, a.lse, Float64Array.from(dO), dq64, dk64, dv64);
  assertClose(dq, dq64, 1e-5, 'dq');
  assertClose(dk, dk64, 1e-5, 'dk');
  assertClose(dv, dv64, 1e-5, 'dv');
});

// ---- norms ---------------------------------------------------------------------------------------

test('rmsNorm backward matches finite differences (dx overwritten, dw accumulated)', () => {
  const N = 3, D = 5, eps = 1e-5;
  const x = uni(N * D, -2, 2), w = uni(D, 0.5, 1.5), R = uni(N * D);
  const y = new Float64Array(N * D), rstd = new Float64Array(N);
  const loss = () => (K.rmsNormForward(N, D, x, w, eps, y, rstd), dot(R, y));
  loss();
  const dx = new Float64Array(N * D).fill(NaN), dw = new Float64Array(D).fill(0.25);
  K.rmsNormBackward(N, D, x, w, rstd, R, dx, dw);
  fdCheck('dx', x, loss, dx);
  fdCheck('dw', w, loss, dw.map((g) => g - 0.25));
});

test('rmsNorm of a constant row is w * c / sqrt(c^2 + eps)', () => {
  const D = 4, c = -3, eps = 1e-6;
  const w = Float64Array.from([1, 2, 0.5, -1]);
  const y = new Float64Array(D), rstd = new Float64Array(1);
  K.rmsNormForward(1, D, new Float64Array(D).fill(c), w, eps, y, rstd);
  assertClose(rstd, [1 / Math.sqrt(9 + eps)], 1e-15, 'rstd');
  assertClose(y, Array.from(w, (wj) => (wj * c) / Math.sqrt(9 + eps)), 1e-15, 'y');
});

test('layerNorm backward matches finite differences (dx overwritten, dw and db accumulated)', () => {
  const N = 3, D = 6, eps = 1e-5;
  const x = uni(N * D, -2, 2), w = uni(D, 0.5, 1.5), b = uni(D), R = uni(N * D);
  const y = new Float64Array(N * D), mean = new Float64Array(N), rstd = new Float64Array(N);
  const loss = () => (K.layerNormForward(N, D, x, w, b, eps, y, mean, rstd), dot(R, y));
  loss();
  const dx = new Float64Array(N * D).fill(NaN), dw = new Float64Array(D).fill(1), db = new Float64Array(D).fill(-1);
  K.layerNormBackward(N, D, x, w, mean, rstd, R, dx, dw, db);
  fdCheck('dx', x, loss, dx);
  fdCheck('dw', w, loss, dw.map((g) => g - 1));
  fdCheck('db', b, loss, db.map((g) => g + 1));
  // Known answer: each row of y with w = 1, b = 0 has mean 0 and biased variance 1 / (1 + eps / var).
  const ones = new Float64Array(D).fill(1);
  K.layerNormForward(N, D, x, ones, new Float64Array(D), 0, y, mean, rstd);
  for (let i = 0; i < N; i++) {
    const row = y.subarray(i * D, (i + 1) * D);
    assert.ok(Math.abs(row.reduce((a, z) => a + z, 0)) < 1e-13);
    assert.ok(Math.abs(dot(row, row) / D - 1) < 1e-13);
  }
});

// ---- rope ----------------------------------------------------------------------------------------

const ropeDims = { B: 2, T: 3, H: 2, D: 6 };
const invFreq = Float32Array.from({ length: 3 }, (_, j) => 1 / Math.pow(10000, (2 * j) / 6));
const positions = Int32Array.from([0, 1, 2, 5, 17, 4099]);
function applyRope(x: Buf, inverse: boolean, y: Buf = new Float64Array(x.length)): Buf {
  const { B, T, H, D } = ropeDims;
  K.rope(B, T, H, D, x, positions, invFreq, inverse, y);
  return y;
}

test('rope backward (inverse rotation) matches finite differences', () => {
  const x = uni(2 * 3 * 2 * 6), R = uni(x.length);
  fdCheck('dx', x, () => dot(R, applyRope(x, false)), applyRope(R, true));
});

test('rope preserves each pair norm, inverts exactly, and may run in place', () => {
  const x = uni(2 * 3 * 2 * 6, -2, 2);
  const y = applyRope(x, false);
  for (let r = 0; r < x.length / 6; r++) {
    for (let j = 0; j < 3; j++) {
      const a = r * 6 + j, b = a + 3;
      assert.ok(Math.abs(Math.hypot(y[a], y[b]) - Math.hypot(x[a], x[b])) < 1e-14);
    }
  }
  assertClose(applyRope(y, true), x, 1e-14, 'inverse(rope(x))');
  assertClose(y.subarray(0, 12), x.subarray(0, 12), 0, 'position 0 is the identity');
  const inPlace = x.slice();
  applyRope(inPlace, false, inPlace);
  assertClose(inPlace, y, 0, 'in place');
  // The angle is rounded to float32 before cos/sin, like HF's float32 inv_freq @ positions.
  const p = 4099, j = 1, angle = Math.fround(p * invFreq[j]);
  const base = ((1 * 3 + 2) * 2 + 0) * 6; // b = 1, t = 2 (position 4099), h = 0
  const want = x[base + j] * Math.cos(angle) - x[base + j + 3] * Math.sin(angle);
  assert.equal(y[base + j], want);
});

// ---- activations ---------------------------------------------------------------------------------

test('silu and gelu backward match finite differences', () => {
  const n = 24, x = uni(n, -6, 6), R = uni(n), y = new Float64Array(n), dx = new Float64Array(n);
  K.siluBackward(n, x, R, dx);
  fdCheck('silu dx', x, () => (K.siluForward(n, x, y), dot(R, y)), dx);
  K.geluBackward(n, x, R, dx);
  fdCheck('gelu dx', x, () => (K.geluForward(n, x, y), dot(R, y)), dx);
});

test('activations: known values', () => {
  const x = Float64Array.from([0, 1, -1, 50, -800]);
  const y = new Float64Array(5);
  K.siluForward(5, x, y);
  assertClose(y, [0, 1 / (1 + Math.exp(-1)), -1 / (1 + Math.E), 50, 0], 1e-15, 'silu');
  K.geluForward(5, x, y);
  const g1 = 0.5 * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * 1.044715));
  assertClose(y, [0, g1, g1 - 1, 50, 0], 1e-15, 'gelu'); // gelu(-x) = gelu(x) - x
});

test('swiglu backward matches finite differences for gate and up', () => {
  const n = 20, gate = uni(n, -5, 5), up = uni(n, -2, 2), R = uni(n), y = new Float64Array(n);
  const dgate = new Float64Array(n), dup = new Float64Array(n);
  K.swigluBackward(n, gate, up, R, dgate, dup);
  const loss = () => (K.swigluForward(n, gate, up, y), dot(R, y));
  fdCheck('dgate', gate, loss, dgate);
  fdCheck('dup', up, loss, dup);
});

// ---- softmax / log-softmax -----------------------------------------------------------------------

test('softmax and logSoftmax backward match finite differences', () => {
  const N = 3, V = 7, x = uni(N * V, -3, 3), R = uni(N * V), y = new Float64Array(N * V);
  const dx = new Float64Array(N * V);
  K.softmaxForward(N, V, x, y);
  K.softmaxBackward(N, V, y, R, dx);
  fdCheck('softmax dx', x, () => (K.softmaxForward(N, V, x, y), dot(R, y)), dx);
  K.logSoftmaxForward(N, V, x, y);
  K.logSoftmaxBackward(N, V, y, R, dx);
  fdCheck('logSoftmax dx', x, () => (K.logSoftmaxForward(N, V, x, y), dot(R, y)), dx);
});

test('softmax rows sum to 1 and logSoftmax = log(softmax), even for huge logits', () => {
  const N = 4, V = 5;
  const x = uni(N * V, -4, 4);
  for (let j = 0; j < V; j++) x[3 * V + j] += 1000; // would overflow exp without the max shift
  const p = new Float64Array(N * V), lp = new Float64Array(N * V);
  K.softmaxForward(N, V, x, p);
  K.logSoftmaxForward(N, V, x, lp);
  for (let i = 0; i < N; i++) assert.ok(Math.abs(p.subarray(i * V, (i + 1) * V).reduce((a, z) => a + z, 0) - 1) < 1e-14);
  assertClose(lp, Array.from(p, Math.log), 1e-14, 'logSoftmax');
});

// ---- log-probs -----------------------------------------------------------------------------------

const labels = Int32Array.from([2, -100, 0, 6]); // one ignored row

test('logprob backward matches finite differences; ignored rows give 0', () => {
  const N = 4, V = 7, logits = uni(N * V, -3, 3), r = uni(N);
  const logp = new Float64Array(N), lse = new Float64Array(N);
  const loss = () => (K.logprobForward(N, V, logits, labels, logp, lse), dot(r, logp));
  loss();
  assert.equal(logp[1], 0);
  assert.ok(Number.isFinite(lse[1]) && lse[1] !== 0, 'lse is written for ignored rows too');
  const dlogits = new Float64Array(N * V).fill(NaN);
  K.logprobBackward(N, V, logits, labels, lse, r, dlogits);
  fdCheck('dlogits', logits, loss, dlogits);
  for (let v = 0; v < V; v++) assert.equal(dlogits[V + v], 0);
});

test('logprob equals logSoftmax gathered at the label, stably for huge logits', () => {
  const N = 2, V = 4, logits = Float64Array.from([1000, 999, 998, 0, -1, -2, -3, -4]);
  const logp = new Float64Array(N), lse = new Float64Array(N), ls = new Float64Array(N * V);
  K.logprobForward(N, V, logits, Int32Array.from([1, 3]), logp, lse);
  K.logSoftmaxForward(N, V, logits, ls);
  assertClose(logp, [ls[1], ls[V + 3]], 1e-14, 'logp');
  assert.ok(Math.abs(lse[0] - (1000 + Math.log(1 + Math.exp(-1) + Math.exp(-2) + Math.exp(-1000)))) < 1e-12);
});

test('linearLogprob backward matches finite differences for h and w (dw accumulated)', () => {
  const N = 4, Hd = 3, V = 7, h = uni(N * Hd, -2, 2), w = uni(V * Hd, -2, 2), r = uni(N);
  const logp = new Float64Array(N), lse = new Float64Array(N);
  const loss = () => (K.linearLogprobForward(N, Hd, V, h, w, labels, logp, lse), dot(r, logp));
  loss();
  const dh = new Float64Array(N * Hd).fill(NaN), dw = new Float64Array(V * Hd).fill(0.5);
  K.linearLogprobBackward(N, Hd, V, h, w, labels, lse, r, dh, dw);
  fdCheck('dh', h, loss, dh);
  fdCheck('dw', w, loss, dw.map((g) => g - 0.5));
  for (let k = 0; k < Hd; k++) assert.equal(dh[Hd + k], 0); // ignored row
});

test('linearLogprob equals logprob of the explicit logits h @ w^T', () => {
  const N = 4, Hd = 5, V = 9, h = uni(N * Hd, -2, 2), w = uni(V * Hd, -2, 2);
  const logits = new Float64Array(N * V);
  for (let i = 0; i < N; i++) for (let v = 0; v < V; v++) {
    logits[i * V + v] = dot(h.subarray(i * Hd, (i + 1) * Hd), w.subarray(v * Hd, (v + 1) * Hd));
  }
  const lab = Int32Array.from([8, 0, -1, 4]);
  const [a, la, b, lb] = [0, 1, 2, 3].map(() => new Float64Array(N));
  K.logprobForward(N, V, logits, lab, a, la);
  K.linearLogprobForward(N, Hd, V, h, w, lab, b, lb);
  assertClose(b, a, 1e-14, 'logp');
  assertClose(lb, Array.from(la, (l, i) => (lab[i] < 0 ? 0 : l)), 1e-14, 'lse (0 on the ignored row)');
  // Float32 buffers work and agree to float32 precision.
  const b32 = new Float32Array(N), lb32 = new Float32Array(N);
  K.linearLogprobForward(N, Hd, V, Float32Array.from(h), Float32Array.from(w), lab, b32, lb32);
  assertClose(b32, a, 1e-5, 'logp f32');
});

// ---- embedding -----------------------------------------------------------------------------------

test('embedding: forward gathers rows, backward (scatter-add over repeated ids) matches finite differences', () => {
  const V = 5, D = 3, ids = Int32Array.from([4, 1, 4, 0, 4, 1]), N = ids.length;
  const table = uni(V * D), R = uni(N * D), out = new Float64Array(N * D);
  K.embeddingForward(N, D, ids, table, out);
  assertClose(out.subarray(3 * D, 4 * D), table.subarray(0, D), 0, 'row of id 0');
  const dtable = new Float64Array(V * D).fill(2);
  K.embeddingBackward(N, D, ids, R, dtable);
  fdCheck('dtable', table, () => (K.embeddingForward(N, D, ids, table, out), dot(R, out)), dtable.map((g) => g - 2));
  for (let j = 0; j < D; j++) assert.equal(dtable[2 * D + j], 2); // id 2 unused: untouched
});

// ---- adamw ---------------------------------------------------------------------------------------

test('adamw: two steps against hand-computed values (PyTorch semantics)', () => {
  // lr 0.1, wd 0.01, constant grad 0.5: m̂ = 0.5 and v̂ = 0.25 at every step, so each step is
  // p <- p (1 - 0.001) - 0.1 * 0.5 / (0.5 + 1e-8).
  const param = Float64Array.from([1, -2]), grad = Float64Array.from([0.5, 0]);
  const m = new Float64Array(2), v = new Float64Array(2);
  const o = { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, step: 1 };
  adamw(2, param, grad, m, v, o);
  assertClose(param, [0.999 - 0.05 / (0.5 + 1e-8), -2 * 0.999], 1e-15, 'step 1 param');
  assertClose(m, [0.05, 0], 1e-15, 'm');
  assertClose(v, [0.00025, 0], 1e-15, 'v');
  adamw(2, param, grad, m, v, { ...o, step: 2 });
  const p1 = 0.999 - 0.05 / (0.5 + 1e-8);
  assertClose(param, [p1 * 0.999 - 0.05 / (0.5 + 1e-8), -2 * 0.999 * 0.999], 1e-15, 'step 2 param');
  assertClose(param.subarray(0, 1), [0.798101003998], 1e-10, 'step 2 decimal');
  // Float32 buffers are updated in place the same way.
  const p32 = Float32Array.from([1]);
  adamw(1, p32, Float32Array.from([0.5]), new Float32Array(1), new Float32Array(1), o);
  assert.ok(Math.abs(p32[0] - 0.899000002) < 1e-7);
});
