// Reference fused lm-head + log-prob. Unlike the native kernel, which works chunk by chunk over V,
// the oracle simply materialises the whole (N, V) logits matrix in float64: obviously correct, and
// small enough for the shapes tests use.
import type { Buf } from '../backend.js';
import { logprobForward } from './logprob.js';

/** logits (N, V) = h (N, Hd) @ w (V, Hd)^T, dot products in doubles. */
function logitsOf(N: number, Hd: number, V: number, h: Buf, w: Buf): Float64Array {
  const logits = new Float64Array(N * V);
  for (let i = 0; i < N; i++) {
    for (let v = 0; v < V; v++) {
      let dot = 0;
      for (let k = 0; k < Hd; k++) dot += h[i * Hd + k] * w[v * Hd + k];
      logits[i * V + v] = dot;
    }
  }
  return logits;
}

export function linearLogprobForward(
  N: number, Hd: number, V: number, h: Buf, w: Buf, labels: Int32Array, logp: Buf, lse: Buf,
): void {
  logprobForward(N, V, logitsOf(N, Hd, V, h, w), labels, logp, lse);
  for (let i = 0; i < N; i++) if (labels[i] < 0) lse[i] = 0; // ignored rows: not computed (see backend.ts)
}

/**
 * G (N, V) = dlogits as in logprobBackward (0 on ignored rows); dh = G @ w (overwritten);
 * dw += Gᵀ @ h. Each output row is summed in doubles and written once.
 */
export function linearLogprobBackward(
  N: number, Hd: number, V: number, h: Buf, w: Buf, labels: Int32Array, lse: Buf, dlogp: Buf, dh: Buf, dw: Buf,
): void {
  const g = logitsOf(N, Hd, V, h, w); // overwritten in place with dlogits below
  for (let i = 0; i < N; i++) {
    const off = i * V;
    const y = labels[i];
    if (y < 0) {
      g.fill(0, off, off + V);
      continue;
    }
    const d = dlogp[i];
    const l = lse[i];
    for (let v = 0; v < V; v++) g[off + v] = -d * Math.exp(g[off + v] - l);
    g[off + y] += d;
  }
  const row = new Float64Array(Hd);
  for (let i = 0; i < N; i++) {
    row.fill(0);
    for (let v = 0; v < V; v++) {
      const gv = g[i * V + v];
      if (gv === 0) continue;
      for (let k = 0; k < Hd; k++) row[k] += gv * w[v * Hd + k];
    }
    for (let k = 0; k < Hd; k++) dh[i * Hd + k] = row[k];
  }
  for (let v = 0; v < V; v++) {
    row.fill(0);
    for (let i = 0; i < N; i++) {
      const gv = g[i * V + v];
      if (gv === 0) continue;
      for (let k = 0; k < Hd; k++) row[k] += gv * h[i * Hd + k];
    }
    for (let k = 0; k < Hd; k++) dw[v * Hd + k] += row[k];
  }
}
