// Native fused attention (forward + backward) against straightforward float64 loops written here, on
// shapes that cross the 64-query / 128-key tiles: GQA, causal with cached keys (S > T), key padding
// with fully masked rows and fully padded key tiles, and the split-key-tile backward path (forced by
// pretending the pool has 4 threads).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AttentionShape } from '../src/tensor/backend.js';
import { nativeKernels as K } from '../src/tensor/native/kernels.js';
import { referenceKernels as R } from '../src/tensor/reference/kernels.js';
import { assertClose, dot, fdGrad, randF32, rng, withThreads } from './helpers/kernel-oracle.js';

type Arr = ArrayLike<number>;

function seesKey(s: AttentionShape, b: number, t: number, j: number): boolean {
  if (s.causal && j > t + s.S - s.T) return false;
  return s.keyMask === null || s.keyMask[b * s.S + j] !== 0;
}

/** Probabilities P (S) of query (b, t, h), or null when every key is masked; also returns lse. */
function probs(s: AttentionShape, q: Arr, k: Arr, b: number, t: number, h: number): { p: Float64Array; lse: number } | null {
  const { S, H, Hkv, D } = s, hk = Math.floor(h / (H / Hkv));
  const sc = new Float64Array(S).fill(-Infinity);
  let m = -Infinity;
  for (let j = 0; j < S; j++) {
    if (!seesKey(s, b, t, j)) continue;
    let d = 0;
    for (let e = 0; e < D; e++) d += q[((b * s.T + t) * H + h) * D + e] * k[((b * S + j) * Hkv + hk) * D + e];
    sc[j] = d * s.scale;
    m = Math.max(m, sc[j]);
  }
  if (m === -Infinity) return null;
  let z = 0;
  for (let j = 0; j < S; j++) z += Math.exp(sc[j] - m);
  const p = sc.map((x) => Math.exp(x - m) / z);
  return { p, lse: m + Math.log(z) };
}

function attnForward64(s: AttentionShape, q: Arr, k: Arr, v: Arr): { o: Float64Array; lse: Float64Array } {
  const { B, T, S, H, Hkv, D } = s;
  const o = new Float64Array(B * T * H * D), lse = new Float64Array(B * H * T);
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++)
      for (let t = 0; t < T; t++) {
        const r = probs(s, q, k, b, t, h);
        lse[(b * H + h) * T + t] = r ? r.lse : -Infinity;
        if (!r) continue;
        const hk = Math.floor(h / (H / Hkv));
        for (let j = 0; j < S; j++)
          for (let e = 0; e < D; e++) o[((b * T + t) * H + h) * D + e] += r.p[j] * v[((b * S + j) * Hkv + hk) * D + e];
      }
  return { o, lse };
}

/** dq, dk, dv of L = sum(dO * o), straight from the softmax Jacobian. */
function attnBackward64(s: AttentionShape, q: Arr, k: Arr, v: Arr, dO: Arr) {
  const { B, T, S, H, Hkv, D } = s;
  const dq = new Float64Array(B * T * H * D), dk = new Float64Array(B * S * Hkv * D), dv = new Float64Array(dk.length);
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++)
      for (let t = 0; t < T; t++) {
        const r = probs(s, q, k, b, t, h);
        if (!r) continue;
        const hk = Math.floor(h / (H / Hkv)), qo = ((b * T + t) * H + h) * D;
        const dp = new Float64Array(S);
        let di = 0;
        for (let j = 0; j < S; j++) {
          const ko = ((b * S + j) * Hkv + hk) * D;
          for (let e = 0; e < D; e++) {
            dp[j] += dO[qo + e] * v[ko + e];
            dv[ko + e] += r.p[j] * dO[qo + e];
          }
          di += r.p[j] * dp[j];
        }
        for (let j = 0; j < S; j++) {
          const ds = r.p[j] * (dp[j] - di) * s.scale, ko = ((b * S + j) * Hkv + hk) * D;
          for (let e = 0; e < D; e++) {
            dq[qo + e] += ds * k[ko + e];
            dk[ko + e] += ds * q[qo + e];
          }
        }
      }
  return { dq, dk, dv };
}

interface Case { name: string; B: number; T: number; S: number; H: number; Hkv: number; D: number; causal: boolean;
  pad?: (b: number, s: number) => boolean }

const cases: Case[] = [
  { name: 'GQA, non-causal, one tile', B: 2, T: 5, S: 5, H: 4, Hkv: 2, D: 8, causal: false },
  { name: 'GQA causal, cached keys (S > T), padding, fully masked rows', B: 2, T: 100, S: 260, H: 4, Hkv: 2, D: 16,
    causal: true, pad: (b, s) => b === 1 && s < 163 },
  { name: 'non-causal, one sequence fully padded', B: 2, T: 9, S: 140, H: 2, Hkv: 1, D: 6, causal: false,
    pad: (b, s) => b === 0 || s % 5 === 0 },
  { name: 'MHA causal S = T across tiles', B: 1, T: 200, S: 200, H: 2, Hkv: 2, D: 12, causal: true },
];

function setup(c: Case, seed: number) {
  const r = rng(seed);
  let keyMask: Float32Array | null = null;
  if (c.pad) {
    keyMask = new Float32Array(c.B * c.S);
    for (let b = 0; b < c.B; b++) for (let j = 0; j < c.S; j++) keyMask[b * c.S + j] = c.pad(b, j) ? 0 : 1;
  }
  const s: AttentionShape = { ...c, scale: 1 / Math.sqrt(c.D), keyMask };
  const qn = c.B * c.T * c.H * c.D, kn = c.B * c.S * c.Hkv * c.D;
  return { s, q: randF32(r, qn, -2, 2), k: randF32(r, kn, -2, 2), v: randF32(r, kn), dO: randF32(r, qn), qn, kn };
}

function runNative(s: AttentionShape, q: Float32Array, k: Float32Array, v: Float32Array, dO: Float32Array) {
  const qn = q.length, kn = k.length;
  const o = new Float32Array(qn).fill(NaN), lse = new Float32Array(s.B * s.H * s.T).fill(NaN);
  K.attentionForward(s, q, k, v, o, lse);
  // Gradients are overwritten: start them as garbage to prove it.
  const dq = new Float32Array(qn).fill(7), dk = new Float32Array(kn).fill(7), dv = new Float32Array(kn).fill(7);
  K.attentionBackward(s, q, k, v, o, lse, dO, dq, dk, dv);
  return { o, lse, dq, dk, dv };
}

for (const c of cases) {
  test(`attention: ${c.name}`, () => {
    const { s, q, k, v, dO } = setup(c, 17);
    const want = attnForward64(s, q, k, v);
    const grads = attnBackward64(s, q, k, v, dO);
    for (const threads of [1, 4]) {
      const got = withThreads(threads, () => runNative(s, q, k, v, dO));
      const tag = `${c.name} (threads ${threads})`;
      assertClose(got.o, want.o, 1e-5 * 20, `o ${tag}`);
      assertClose(got.lse, want.lse, 1e-5 * 20, `lse ${tag}`);
      assertClose(got.dq, grads.dq, 3e-4, `dq ${tag}`);
      assertClose(got.dk, grads.dk, 3e-4, `dk ${tag}`);
      assertClose(got.dv, grads.dv, 3e-4, `dv ${tag}`);
    }
    if (c.pad) {
      // Rows that see no key at all: o = 0, lse = -inf, and no gradient flows through them.
      const masked = Array.from(want.lse).filter((x) => x === -Infinity).length;
      assert.ok(masked > 0, 'case should contain fully masked rows');
    }
  });
}

test('attention backward matches finite differences of the float64 forward', () => {
  const c: Case = { name: 'tiny', B: 1, T: 3, S: 5, H: 2, Hkv: 1, D: 3, causal: true, pad: (_b, j) => j === 1 };
  const { s, q, k, v, dO } = setup(c, 5);
  const got = runNative(s, q, k, v, dO);
  const q64 = Float64Array.from(q), k64 = Float64Array.from(k), v64 = Float64Array.from(v);
  const loss = () => dot(attnForward64(s, q64, k64, v64).o, dO);
  assertClose(got.dq, fdGrad(loss, q64), 1e-4, 'dq vs fd');
  assertClose(got.dk, fdGrad(loss, k64), 1e-4, 'dk vs fd');
  assertClose(got.dv, fdGrad(loss, v64), 1e-4, 'dv vs fd');
});

test('attention agrees with the reference backend', () => {
  const { s, q, k, v, dO } = setup(cases[1], 23);
  const nat = runNative(s, q, k, v, dO);
  const o = new Float32Array(q.length), lse = new Float32Array(s.B * s.H * s.T);
  R.attentionForward(s, q, k, v, o, lse);
  const dq = new Float32Array(q.length), dk = new Float32Array(k.length), dv = new Float32Array(k.length);
  R.attentionBackward(s, q, k, v, o, lse, dO, dq, dk, dv);
  assertClose(nat.o, o, 2e-5, 'o');
  assertClose(nat.lse, lse, 2e-5, 'lse');
  assertClose(nat.dq, dq, 3e-4, 'dq');
  assertClose(nat.dk, dk, 3e-4, 'dk');
  assertClose(nat.dv, dv, 3e-4, 'dv');
});

test('attention rejects bad shapes and float64 buffers', () => {
  const { s, q, k, v } = setup(cases[0], 3);
  const o = new Float32Array(q.length), lse = new Float32Array(s.B * s.H * s.T);
  assert.throws(() => K.attentionForward(s, q, k.subarray(1), v, o, lse), (e: Error) =>
    e instanceof RangeError && /'k'/.test(e.message));
  assert.throws(() => K.attentionForward({ ...s, Hkv: 3 }, q, k, v, o, lse), RangeError);
  assert.throws(() => K.attentionForward(s, Float64Array.from(q), k, v, o, lse), (e: Error) =>
    e instanceof TypeError && /float32 only/.test(e.message) && /PREFKIT_BACKEND=reference/.test(e.message));
});
