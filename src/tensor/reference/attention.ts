// Reference attention: a direct O(B·H·T·S·D) computation, one query row at a time, with a
// numerically stable softmax (scores minus their row max). All sums are JS doubles.
//
// Layouts (see backend.ts): q, o (B, T, H, D); k, v (B, S, Hkv, D); lse (B, H, T); keyMask (B, S).
import type { AttentionShape, Buf } from '../backend.js';

/** Whether query t of batch b may attend to key s (causal offset S - T for cached keys, padding mask). */
function visible(sh: AttentionShape, b: number, t: number, s: number): boolean {
  if (sh.causal && s > t + sh.S - sh.T) return false;
  if (sh.keyMask !== null && sh.keyMask[b * sh.S + s] === 0) return false;
  return true;
}

/** Offsets of the D-vectors: query/output row (b, t, h) and key/value row (b, s, kvh). */
function qOffset(sh: AttentionShape, b: number, t: number, h: number): number {
  return ((b * sh.T + t) * sh.H + h) * sh.D;
}
function kvOffset(sh: AttentionShape, b: number, s: number, kvh: number): number {
  return ((b * sh.S + s) * sh.Hkv + kvh) * sh.D;
}

/**
 * Scaled scores of query row (b, h, t) against every key, -Infinity where masked, into `scores` (S).
 * Returns the row max (-Infinity when every key is masked).
 */
function scoreRow(sh: AttentionShape, q: Buf, k: Buf, b: number, h: number, t: number, scores: Float64Array): number {
  const { S, D, scale } = sh;
  const kvh = Math.floor(h / (sh.H / sh.Hkv)); // GQA: groups of H / Hkv query heads share a kv head
  const qo = qOffset(sh, b, t, h);
  let max = -Infinity;
  for (let s = 0; s < S; s++) {
    if (!visible(sh, b, t, s)) {
      scores[s] = -Infinity;
      continue;
    }
    const ko = kvOffset(sh, b, s, kvh);
    let dot = 0;
    for (let d = 0; d < D; d++) dot += q[qo + d] * k[ko + d];
    const sc = dot * scale;
    scores[s] = sc;
    if (sc > max) max = sc;
  }
  return max;
}

export function attentionForward(sh: AttentionShape, q: Buf, k: Buf, v: Buf, o: Buf, lse: Buf): void {
  const { B, T, S, H, Hkv, D } = sh;
  const scores = new Float64Array(S);
  const acc = new Float64Array(D);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      const kvh = Math.floor(h / (H / Hkv));
      for (let t = 0; t < T; t++) {
        const max = scoreRow(sh, q, k, b, h, t, scores);
        const oo = qOffset(sh, b, t, h);
        const lo = (b * H + h) * T + t;
        if (max === -Infinity) {
          // Every key masked: defined as o = 0, lse = -Infinity (no NaN from 0/0).
          for (let d = 0; d < D; d++) o[oo + d] = 0;
          lse[lo] = -Infinity;
          continue;
        }
        let sum = 0;
        acc.fill(0);
        for (let s = 0; s < S; s++) {
          if (scores[s] === -Infinity) continue;
          const p = Math.exp(scores[s] - max); // unnormalised weight, <= 1
          sum += p;
          const vo = kvOffset(sh, b, s, kvh);
          for (let d = 0; d < D; d++) acc[d] += p * v[vo + d];
        }
        for (let d = 0; d < D; d++) o[oo + d] = acc[d] / sum;
        lse[lo] = max + Math.log(sum);
      }
    }
  }
}

/**
 * With P = softmax(scale · q kᵀ) recomputed from lse:
 *   dV = Pᵀ dO;  dP = dO Vᵀ;  dS = P ⊙ (dP - rowsum(P ⊙ dP));  dQ = scale · dS K;  dK = scale · dSᵀ Q.
 * rowsum(P ⊙ dP) is computed directly from P rather than as rowsum(dO ⊙ o), so this oracle does not
 * depend on the precision of the saved o. dk and dv sum over query heads of a GQA group and over
 * queries, so they are accumulated in float64 scratch and written once.
 */
export function attentionBackward(
  sh: AttentionShape, q: Buf, k: Buf, v: Buf, _o: Buf, lse: Buf, dO: Buf, dq: Buf, dk: Buf, dv: Buf,
): void {
  const { B, T, S, H, Hkv, D, scale } = sh;
  const scores = new Float64Array(S);
  const p = new Float64Array(S);
  const dp = new Float64Array(S);
  const dqRow = new Float64Array(D);
  const dkAcc = new Float64Array(dk.length);
  const dvAcc = new Float64Array(dv.length);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < H; h++) {
      const kvh = Math.floor(h / (H / Hkv));
      for (let t = 0; t < T; t++) {
        const qo = qOffset(sh, b, t, h);
        const l = lse[(b * H + h) * T + t];
        if (l === -Infinity) {
          // Fully masked row: o = 0 is constant, so every gradient through it is zero.
          for (let d = 0; d < D; d++) dq[qo + d] = 0;
          continue;
        }
        scoreRow(sh, q, k, b, h, t, scores);
        let delta = 0; // rowsum(P ⊙ dP)
        for (let s = 0; s < S; s++) {
          if (scores[s] === -Infinity) {
            p[s] = 0;
            dp[s] = 0;
            continue;
          }
          p[s] = Math.exp(scores[s] - l);
          const vo = kvOffset(sh, b, s, kvh);
          let dot = 0;
          for (let d = 0; d < D; d++) dot += dO[qo + d] * v[vo + d];
          dp[s] = dot;
          delta += p[s] * dot;
        }
        dqRow.fill(0);
        for (let s = 0; s < S; s++) {
          if (p[s] === 0) continue;
          const ds = p[s] * (dp[s] - delta) * scale;
          const ko = kvOffset(sh, b, s, kvh);
          for (let d = 0; d < D; d++) {
            dqRow[d] += ds * k[ko + d];
            dkAcc[ko + d] += ds * q[qo + d];
            dvAcc[ko + d] += p[s] * dO[qo + d];
          }
        }
        for (let d = 0; d < D; d++) dq[qo + d] = dqRow[d];
      }
    }
  }
  for (let i = 0; i < dk.length; i++) dk[i] = dkAcc[i];
  for (let i = 0; i < dv.length; i++) dv[i] = dvAcc[i];
}
