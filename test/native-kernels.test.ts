// Native non-GEMM kernels (norms, rope, activations, softmax, log-probs, embedding, AdamW) against
// float64 loops written here, with backward kernels also checked by central finite differences of the
// float64 forward. Large sizes run with the pool set to 3 threads so the split/partial-sum paths run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Backend } from '../src/tensor/backend.js';
import { nativeKernels as K } from '../src/tensor/native/kernels.js';
import { referenceKernels as R } from '../src/tensor/reference/kernels.js';
import { assertClose, dot, fdGrad, randF32, rng, withThreads } from './helpers/kernel-oracle.js';

type Arr = ArrayLike<number>;
const r = rng(99);
const f64 = (a: Arr) => Float64Array.from(a);
const SIZES = [{ N: 7, D: 37, threads: 1 }, { N: 300, D: 130, threads: 3 }];

// ---- norms ---------------------------------------------------------------------------------------

function rms64(N: number, D: number, x: Arr, w: Arr, eps: number) {
  const y = new Float64Array(N * D), rstd = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    let ss = 0;
    for (let j = 0; j < D; j++) ss += x[i * D + j] ** 2;
    rstd[i] = 1 / Math.sqrt(ss / D + eps);
    for (let j = 0; j < D; j++) y[i * D + j] = w[j] * x[i * D + j] * rstd[i];
  }
  return { y, rstd };
}

function ln64(N: number, D: number, x: Arr, w: Arr, b: Arr, eps: number) {
  const y = new Float64Array(N * D), mean = new Float64Array(N), rstd = new Float64Array(N);
  for (let i = 0; i < N; i++) {
    let mu = 0, v = 0;
    for (let j = 0; j < D; j++) mu += x[i * D + j] / D;
    for (let j = 0; j < D; j++) v += (x[i * D + j] - mu) ** 2 / D;
    mean[i] = mu;
    rstd[i] = 1 / Math.sqrt(v + eps);
    for (let j = 0; j < D; j++) y[i * D + j] = (x[i * D + j] - mu) * rstd[i] * w[j] + b[j];
  }
  return { y, mean, rstd };
}

for (const { N, D, threads } of SIZES) {
  test(`rmsNorm forward/backward (N=${N}, D=${D}, threads=${threads})`, () => withThreads(threads, () => {
    const x = randF32(r, N * D, -2, 2), w = randF32(r, D, 0.5, 1.5), dy = randF32(r, N * D), eps = 1e-5;
    const y = new Float32Array(N * D), rstd = new Float32Array(N);
    K.rmsNormForward(N, D, x, w, eps, y, rstd);
    const want = rms64(N, D, x, w, eps);
    assertClose(y, want.y, 1e-5, 'y');
    assertClose(rstd, want.rstd, 1e-5, 'rstd');
    const dx = new Float32Array(N * D).fill(3), dw = new Float32Array(D).fill(0.5);
    K.rmsNormBackward(N, D, x, w, rstd, dy, dx, dw);
    // Analytic float64: dx = r w dy - x r^3 / D sum(w dy x); dw = 0.5 + sum dy x r.
    const edx = new Float64Array(N * D), edw = new Float64Array(D).fill(0.5);
    for (let i = 0; i < N; i++) {
      const rr = want.rstd[i];
      let s = 0;
      for (let j = 0; j < D; j++) s += w[j] * dy[i * D + j] * x[i * D + j];
      for (let j = 0; j < D; j++) {
        edx[i * D + j] = rr * w[j] * dy[i * D + j] - (x[i * D + j] * rr ** 3 * s) / D;
        edw[j] += dy[i * D + j] * x[i * D + j] * rr;
      }
    }
    assertClose(dx, edx, 2e-5, 'dx');
    assertClose(dw, edw, 2e-5 * Math.sqrt(N), 'dw (+=)');
    if (N * D < 1000) {
      const x64 = f64(x), w64 = f64(w);
      const loss = () => dot(rms64(N, D, x64, w64, eps).y, dy);
      assertClose(dx, fdGrad(loss, x64), 1e-4, 'dx vs fd');
      assertClose(Float64Array.from(dw, (v) => v - 0.5), fdGrad(loss, w64), 1e-4, 'dw vs fd');
    }
  }));

  test(`layerNorm forward/backward (N=${N}, D=${D}, threads=${threads})`, () => withThreads(threads, () => {
    const x = randF32(r, N * D, -1, 3), w = randF32(r, D, 0.5, 1.5), b = randF32(r, D), dy = randF32(r, N * D);
    const eps = 1e-5;
    const y = new Float32Array(N * D), mean = new Float32Array(N), rstd = new Float32Array(N);
    K.layerNormForward(N, D, x, w, b, eps, y, mean, rstd);
    const want = ln64(N, D, x, w, b, eps);
    assertClose(y, want.y, 2e-5, 'y');
    assertClose(mean, want.mean, 1e-5, 'mean');
    assertClose(rstd, want.rstd, 1e-5, 'rstd');
    const dx = new Float32Array(N * D), dw = new Float32Array(D).fill(1), db = new Float32Array(D).fill(-1);
    K.layerNormBackward(N, D, x, w, mean, rstd, dy, dx, dw, db);
    const edx = new Float64Array(N * D), edw = new Float64Array(D).fill(1), edb = new Float64Array(D).fill(-1);
    for (let i = 0; i < N; i++) {
      const mu = want.mean[i], rr = want.rstd[i];
      let mg = 0, mgx = 0;
      for (let j = 0; j < D; j++) {
        const g = dy[i * D + j] * w[j], xh = (x[i * D + j] - mu) * rr;
        mg += g / D;
        mgx += (g * xh) / D;
      }
      for (let j = 0; j < D; j++) {
        const xh = (x[i * D + j] - mu) * rr;
        edx[i * D + j] = rr * (dy[i * D + j] * w[j] - mg - xh * mgx);
        edw[j] += dy[i * D + j] * xh;
        edb[j] += dy[i * D + j];
      }
    }
    assertClose(dx, edx, 5e-5, 'dx');
    assertClose(dw, edw, 2e-5 * Math.sqrt(N), 'dw (+=)');
    assertClose(db, edb, 2e-5 * Math.sqrt(N), 'db (+=)');
    if (N * D < 1000) {
      const x64 = f64(x), w64 = f64(w), b64 = f64(b);
      const loss = () => dot(ln64(N, D, x64, w64, b64, eps).y, dy);
      assertClose(dx, fdGrad(loss, x64), 1e-4, 'dx vs fd');
      assertClose(Float64Array.from(dw, (v) => v - 1), fdGrad(loss, w64), 1e-4, 'dw vs fd');
      assertClose(Float64Array.from(db, (v) => v + 1), fdGrad(loss, b64), 1e-4, 'db vs fd');
    }
  }));
}

// ---- rope ----------------------------------------------------------------------------------------

test('rope: rotate-half forward, inverse is the transpose, in place', () => {
  // Sparse positions take the per-token path; dense ones (t + small shift) the tabulated path.
  for (const [B, T, H, D, threads, sparse] of [[2, 3, 3, 10, 1, 1], [2, 64, 4, 64, 3, 0], [3, 5, 2, 6, 1, 0]]) {
    withThreads(threads, () => {
      const n = B * T * H * D, half = D / 2;
      const x = randF32(r, n);
      const pos = Int32Array.from({ length: B * T }, (_, i) => (sparse ? Math.floor(r() * 5000) : (i % T) + 2 * Math.floor(i / T)));
      const inv = Float32Array.from({ length: half }, (_, j) => 10000 ** ((-2 * j) / D));
      const y = new Float32Array(n);
      K.rope(B, T, H, D, x, pos, inv, false, y);
      const want = new Float64Array(n);
      for (let bt = 0; bt < B * T; bt++)
        for (let h = 0; h < H; h++)
          for (let j = 0; j < half; j++) {
            const a = Math.fround(pos[bt] * inv[j]), c = Math.cos(a), s = Math.sin(a), o = (bt * H + h) * D;
            want[o + j] = x[o + j] * c - x[o + j + half] * s;
            want[o + j + half] = x[o + j + half] * c + x[o + j] * s;
          }
      assertClose(y, want, 1e-5, 'rope y');
      // Backward = inverse rotation = transpose: <g, rope(x)> == <ropeInv(g), x>.
      const g = randF32(r, n), gi = new Float32Array(n);
      K.rope(B, T, H, D, g, pos, inv, true, gi);
      assert.ok(Math.abs(dot(g, want) - dot(gi, x)) < 1e-4 * Math.sqrt(n), 'inverse is the adjoint');
      const back = new Float32Array(n);
      K.rope(B, T, H, D, y, pos, inv, true, back);
      assertClose(back, x, 1e-5, 'inverse(rope(x))');
      const inplace = Float32Array.from(x);
      K.rope(B, T, H, D, inplace, pos, inv, false, inplace);
      assert.deepEqual(inplace, y, 'y aliasing x gives the same result');
    });
  }
});

// ---- activations ---------------------------------------------------------------------------------

const silu64 = (x: number) => x / (1 + Math.exp(-x));
const gelu64 = (x: number) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3)));
const deriv = (f: (x: number) => number, x: number) => (f(x + 1e-6) - f(x - 1e-6)) / 2e-6;

function activationInput(n: number): Float32Array {
  const x = randF32(r, n, -8, 8);
  x.set([0, -100, 100, -30, 30, 1e-4]);
  return x;
}

for (const [n, threads] of [[1001, 1], [70001, 3]]) {
  test(`silu / gelu / swiglu forward and backward (n=${n}, threads=${threads})`, () => withThreads(threads, () => {
    const x = activationInput(n), up = randF32(r, n, -2, 2), dy = randF32(r, n);
    const y = new Float32Array(n), dx = new Float32Array(n), du = new Float32Array(n);
    for (const [name, fwd, bwd, f] of [
      ['silu', K.siluForward, K.siluBackward, silu64],
      ['gelu', K.geluForward, K.geluBackward, gelu64],
    ] as const) {
      fwd(n, x, y);
      assertClose(y, Float64Array.from(x, f), 2e-6, `${name} y`);
      bwd(n, x, dy, dx);
      assertClose(dx, Float64Array.from(x, (v, i) => dy[i] * deriv(f, v)), 2e-5, `${name} dx vs fd`);
    }
    K.swigluForward(n, x, up, y);
    assertClose(y, Float64Array.from(x, (v, i) => silu64(v) * up[i]), 2e-6, 'swiglu y');
    K.swigluBackward(n, x, up, dy, dx, du);
    assertClose(dx, Float64Array.from(x, (v, i) => dy[i] * up[i] * deriv(silu64, v)), 4e-5, 'swiglu dgate');
    assertClose(du, Float64Array.from(x, (v, i) => dy[i] * silu64(v)), 2e-6, 'swiglu dup');
  }));
}

// ---- softmax and log-probs ---------------------------------------------------------------------

function logSoftmax64(N: number, V: number, x: Arr): Float64Array {
  const y = new Float64Array(N * V);
  for (let i = 0; i < N; i++) {
    let m = -Infinity, z = 0;
    for (let j = 0; j < V; j++) m = Math.max(m, x[i * V + j]);
    for (let j = 0; j < V; j++) z += Math.exp(x[i * V + j] - m);
    for (let j = 0; j < V; j++) y[i * V + j] = x[i * V + j] - m - Math.log(z);
  }
  return y;
}

for (const [N, V, threads] of [[5, 37, 1], [40, 1001, 3]]) {
  test(`softmax / logSoftmax forward and backward (N=${N}, V=${V}, threads=${threads})`, () =>
    withThreads(threads, () => {
      const x = randF32(r, N * V, -5, 5), dy = randF32(r, N * V);
      x[3] = 1000; // one huge logit: must stay finite (max-shifted)
      x[V + 1] = -Infinity; // a masked entry
      const lsm = logSoftmax64(N, V, x), sm = lsm.map(Math.exp);
      const y = new Float32Array(N * V), ly = new Float32Array(N * V), dx = new Float32Array(N * V);
      K.softmaxForward(N, V, x, y);
      assertClose(y, sm, 1e-6, 'softmax');
      K.logSoftmaxForward(N, V, x, ly);
      assertClose(ly, lsm, 1e-5, 'logSoftmax');
      const esm = new Float64Array(N * V), elsm = new Float64Array(N * V);
      for (let i = 0; i < N; i++) {
        let s = 0, sd = 0;
        for (let j = 0; j < V; j++) s += dy[i * V + j] * sm[i * V + j], sd += dy[i * V + j];
        for (let j = 0; j < V; j++) {
          esm[i * V + j] = sm[i * V + j] * (dy[i * V + j] - s);
          elsm[i * V + j] = dy[i * V + j] - sm[i * V + j] * sd;
        }
      }
      K.softmaxBackward(N, V, y, dy, dx);
      assertClose(dx, esm, 1e-5, 'softmax dx');
      K.logSoftmaxBackward(N, V, ly, dy, dx);
      assertClose(dx, elsm, 1e-5, 'logSoftmax dx');
      if (N * V < 1000) {
        const x64 = f64(x).map((v) => (Number.isFinite(v) ? v : -50)); // exp(-50 - max) ~ 0, as -inf
        assertClose(dx, fdGrad(() => dot(logSoftmax64(N, V, x64), dy), x64), 1e-4, 'logSoftmax dx vs fd');
      }
    }));
}

function labelsFor(N: number, V: number): Int32Array {
  const y = Int32Array.from({ length: N }, () => Math.floor(r() * V));
  y[1] = -1;
  y[N - 1] = V - 1;
  if (N > 4) y[4] = -1;
  return y;
}

test('logprob forward/backward with ignored labels', () => withThreads(3, () => {
  for (const [N, V] of [[9, 1031], [40, 1001]]) {
    const x = randF32(r, N * V, -4, 4), labels = labelsFor(N, V), g = randF32(r, N);
    const lsm = logSoftmax64(N, V, x);
    const logp = new Float32Array(N), lse = new Float32Array(N), dl = new Float32Array(N * V).fill(9);
    K.logprobForward(N, V, x, labels, logp, lse);
    assertClose(logp, Array.from(labels, (y, i) => (y < 0 ? 0 : lsm[i * V + y])), 1e-5, 'logp');
    assertClose(lse, Array.from(lse, (_, i) => x[i * V] - lsm[i * V]), 1e-5, 'lse (written on ignored rows too)');
    K.logprobBackward(N, V, x, labels, lse, g, dl);
    const want = new Float64Array(N * V);
    for (let i = 0; i < N; i++)
      for (let j = 0; j < V; j++)
        want[i * V + j] = labels[i] < 0 ? 0 : g[i] * ((j === labels[i] ? 1 : 0) - Math.exp(lsm[i * V + j]));
    assertClose(dl, want, 1e-6, 'dlogits');
  }
}));

test('linearLogprob: chunked over V (V not a multiple of the chunk) forward/backward', () => withThreads(3, () => {
  for (const [N, Hd, V] of [[13, 24, 5000], [6, 5, 7]]) {
    const h = randF32(r, N * Hd), w = randF32(r, V * Hd, -0.5, 0.5), labels = labelsFor(N, V), g = randF32(r, N);
    labels[0] = 4500 % V; // a label in the last (partial) chunk
    const logits = new Float64Array(N * V);
    for (let i = 0; i < N; i++)
      for (let v = 0; v < V; v++) logits[i * V + v] = dot(h.subarray(i * Hd, (i + 1) * Hd), w.subarray(v * Hd, (v + 1) * Hd));
    const lsm = logSoftmax64(N, V, logits);
    const logp = new Float32Array(N), lse = new Float32Array(N);
    K.linearLogprobForward(N, Hd, V, h, w, labels, logp, lse);
    assertClose(logp, Array.from(labels, (y, i) => (y < 0 ? 0 : lsm[i * V + y])), 2e-5, 'logp');
    // Ignored rows (label < 0) are not computed: lse 0.
    assertClose(lse, Array.from(lse, (_, i) => (labels[i] < 0 ? 0 : logits[i * V] - lsm[i * V])), 2e-5, 'lse');
    const dh = new Float32Array(N * Hd).fill(5), dw = new Float32Array(V * Hd).fill(0.25);
    K.linearLogprobBackward(N, Hd, V, h, w, labels, lse, g, dh, dw);
    const edh = new Float64Array(N * Hd), edw = new Float64Array(V * Hd).fill(0.25);
    for (let i = 0; i < N; i++) {
      if (labels[i] < 0) continue;
      for (let v = 0; v < V; v++) {
        const gl = g[i] * ((v === labels[i] ? 1 : 0) - Math.exp(lsm[i * V + v]));
        for (let e = 0; e < Hd; e++) {
          edh[i * Hd + e] += gl * w[v * Hd + e];
          edw[v * Hd + e] += gl * h[i * Hd + e];
        }
      }
    }
    assertClose(dh, edh, 2e-5, 'dh (ignored rows 0)');
    assertClose(dw, edw, 2e-5, 'dw (+=)');
    if (V < 10) {
      const h64 = f64(h), w64 = f64(w);
      const loss = () => {
        let s = 0;
        for (let i = 0; i < N; i++) {
          if (labels[i] < 0) continue;
          const row = Array.from({ length: V }, (_, v) => dot(h64.subarray(i * Hd, (i + 1) * Hd), w64.subarray(v * Hd, (v + 1) * Hd)));
          s += g[i] * logSoftmax64(1, V, row)[labels[i]];
        }
        return s;
      };
      assertClose(dh, fdGrad(loss, h64), 1e-4, 'dh vs fd');
      assertClose(Float64Array.from(dw, (v) => v - 0.25), fdGrad(loss, w64), 1e-4, 'dw vs fd');
    }
    // Every row ignored: dh = 0, dw untouched.
    K.linearLogprobBackward(N, Hd, V, h, w, new Int32Array(N).fill(-1), lse, g, dh, dw);
    assert.ok(dh.every((v) => v === 0) && dw.every((v, i) => v === Math.fround(edw[i]) || Math.abs(v - edw[i]) < 1e-4));
  }
}));

// ---- embedding, adamw --------------------------------------------------------------------------

test('embedding forward/backward with repeated ids', () => {
  for (const [N, D, Vt, threads] of [[11, 5, 4, 1], [300, 130, 50, 3]]) {
    withThreads(threads, () => {
      const table = randF32(r, Vt * D), ids = Int32Array.from({ length: N }, () => Math.floor(r() * Vt));
      ids[0] = ids[1];
      const out = new Float32Array(N * D), dout = randF32(r, N * D), dt = new Float32Array(Vt * D).fill(1);
      K.embeddingForward(N, D, ids, table, out);
      for (let i = 0; i < N; i++) assert.deepEqual(out.subarray(i * D, (i + 1) * D), table.subarray(ids[i] * D, (ids[i] + 1) * D));
      K.embeddingBackward(N, D, ids, dout, dt);
      const want = new Float64Array(Vt * D).fill(1);
      for (let i = 0; i < N; i++) for (let d = 0; d < D; d++) want[ids[i] * D + d] += dout[i * D + d];
      assertClose(dt, want, 1e-5, 'dtable (+=)');
    });
  }
});

test('adamw matches the PyTorch update over several steps', () => {
  for (const [n, threads] of [[1001, 1], [40001, 3]]) {
    withThreads(threads, () => {
      const o = { lr: 1e-2, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1, step: 0 };
      const p = randF32(r, n), m = new Float32Array(n), v = new Float32Array(n);
      const p64 = f64(p), m64 = new Float64Array(n), v64 = new Float64Array(n);
      for (let step = 1; step <= 3; step++) {
        const g = randF32(r, n, -3, 3);
        K.adamwMany([{ param: p, grad: g, m, v, weightDecay: o.weightDecay }], { ...o, step });
        for (let i = 0; i < n; i++) {
          p64[i] -= o.lr * o.weightDecay * p64[i];
          m64[i] = o.beta1 * m64[i] + (1 - o.beta1) * g[i];
          v64[i] = o.beta2 * v64[i] + (1 - o.beta2) * g[i] ** 2;
          p64[i] -= (o.lr * (m64[i] / (1 - o.beta1 ** step))) / (Math.sqrt(v64[i] / (1 - o.beta2 ** step)) + o.eps);
        }
      }
      assertClose(p, p64, 1e-5, 'param');
      assertClose(m, m64, 1e-5, 'm');
      assertClose(v, v64, 1e-5, 'v');
    });
  }
});

// ---- errors and agreement with the reference backend -------------------------------------------

test('bad buffers are RangeErrors naming the buffer; float64 is a TypeError with a hint', () => {
  const x = new Float32Array(12), w = new Float32Array(4);
  assert.throws(() => K.rmsNormForward(3, 4, x, w, 1e-5, new Float32Array(11), new Float32Array(3)),
    (e: Error) => e instanceof RangeError && /'y'/.test(e.message));
  assert.throws(() => K.logprobForward(3, 4, x, Int32Array.of(0, 4, 1), new Float32Array(3), new Float32Array(3)),
    (e: Error) => e instanceof RangeError && /labels/.test(e.message));
  assert.throws(() => K.embeddingForward(2, 4, Int32Array.of(0, 3), x, new Float32Array(8)),
    (e: Error) => e instanceof RangeError && /ids/.test(e.message));
  assert.throws(() => K.siluForward(12, new Float64Array(12), x),
    (e: Error) => e instanceof TypeError && /float32 only/.test(e.message));
});

test('native agrees with the reference backend on every kernel', () => {
  const N = 6, D = 20, V = 33, n = N * D;
  const x = randF32(r, n), w = randF32(r, D), b = randF32(r, D), dy = randF32(r, n), lg = randF32(r, N * V);
  const labels = labelsFor(N, V), g = randF32(r, N), ids = Int32Array.of(1, 0, 3, 1, 2, 0), W = randF32(r, V * D);
  const inv = Float32Array.from({ length: D / 2 }, (_, j) => 10000 ** ((-2 * j) / D)), pos = Int32Array.of(0, 5, 9, 2, 7, 4000);
  const run = (B: Omit<Backend, 'name' | 'gemm'>): Float32Array[] => {
    const o = (k: number) => new Float32Array(k).fill(0.5);
    const y = o(n), rs = o(N), mu = o(N), dx = o(n), dw = o(D), db = o(D), sm = o(N * V), lp = o(N), lse = o(N);
    const outs = [y, rs, dx, dw];
    B.rmsNormForward(N, D, x, w, 1e-6, y, rs);
    B.rmsNormBackward(N, D, x, w, rs, dy, dx, dw);
    const [y2, dx2, dw2] = [o(n), o(n), o(D)];
    B.layerNormForward(N, D, x, w, b, 1e-6, y2, mu, rs);
    B.layerNormBackward(N, D, x, w, mu, rs, dy, dx2, dw2, db);
    const rope = o(n);
    B.rope(2, 3, 1, D, x, pos, inv, false, rope);
    const [a1, a2, a3, a4, a5] = [o(n), o(n), o(n), o(n), o(n)];
    B.geluForward(n, x, a1);
    B.geluBackward(n, x, dy, a2);
    B.swigluBackward(n, x, dy, x, a3, a4); // gate = x, up = dy, dy = x
    B.siluBackward(n, x, dy, a5);
    const [s1, s2, s3] = [o(N * V), o(N * V), o(N * V)];
    B.softmaxForward(N, V, lg, sm);
    B.softmaxBackward(N, V, sm, lg, s1);
    B.logSoftmaxForward(N, V, lg, s2);
    B.logprobForward(N, V, lg, labels, lp, lse);
    B.logprobBackward(N, V, lg, labels, lse, g, s3);
    const [lp2, lse2, dh, dW] = [o(N), o(N), o(n), o(V * D)];
    B.linearLogprobForward(N, D, V, x, W, labels, lp2, lse2);
    B.linearLogprobBackward(N, D, V, x, W, labels, lse2, g, dh, dW);
    const [emb, dt] = [o(n), o(4 * D)];
    B.embeddingForward(N, D, ids, x.subarray(0, 4 * D), emb);
    B.embeddingBackward(N, D, ids, dy, dt);
    const [p, m, v] = [Float32Array.from(x), o(n), o(n)];
    B.adamwMany([{ param: p, grad: dy, m, v, weightDecay: 0.01 }], { lr: 0.1, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0, step: 2 });
    return [...outs, y2, dx2, dw2, db, mu, rope, a1, a2, a3, a4, a5, sm, s1, s2, lp, lse, s3, lp2, lse2, dh, dW, emb,
      dt, p, m, v];
  };
  const nat = run(K), ref = run(R);
  nat.forEach((a, i) => assertClose(a, ref[i], 3e-5, `output #${i}`));
});
