// Reference row softmax and log-softmax over x (N, V). Every row is shifted by its max before exp,
// and results are formed from (x - max) rather than x - lse: x - lse loses bits when |lse| is large.
// rowMax / sumExpShifted are shared with logprob.ts.
import type { Buf } from '../backend.js';

/** max_j x[off + j], j < n (-Infinity for an all -Infinity row). */
export function rowMax(x: Buf, off: number, n: number): number {
  let max = -Infinity;
  for (let j = 0; j < n; j++) if (x[off + j] > max) max = x[off + j];
  return max;
}

/** Σ_j exp(x[off + j] - max), j < n. */
export function sumExpShifted(x: Buf, off: number, n: number, max: number): number {
  let sum = 0;
  for (let j = 0; j < n; j++) sum += Math.exp(x[off + j] - max);
  return sum;
}

export function softmaxForward(N: number, V: number, x: Buf, y: Buf): void {
  for (let i = 0; i < N; i++) {
    const off = i * V;
    const max = rowMax(x, off, V);
    const sum = sumExpShifted(x, off, V, max);
    for (let j = 0; j < V; j++) y[off + j] = Math.exp(x[off + j] - max) / sum;
  }
}

/** dx = y ⊙ (dy - Σ_j dy_j y_j) per row. */
export function softmaxBackward(N: number, V: number, y: Buf, dy: Buf, dx: Buf): void {
  for (let i = 0; i < N; i++) {
    const off = i * V;
    let dot = 0;
    for (let j = 0; j < V; j++) dot += dy[off + j] * y[off + j];
    for (let j = 0; j < V; j++) dx[off + j] = y[off + j] * (dy[off + j] - dot);
  }
}

export function logSoftmaxForward(N: number, V: number, x: Buf, y: Buf): void {
  for (let i = 0; i < N; i++) {
    const off = i * V;
    const max = rowMax(x, off, V);
    const logSum = Math.log(sumExpShifted(x, off, V, max));
    for (let j = 0; j < V; j++) y[off + j] = x[off + j] - max - logSum;
  }
}

/** dx = dy - exp(y) Σ_j dy_j per row. */
export function logSoftmaxBackward(N: number, V: number, y: Buf, dy: Buf, dx: Buf): void {
  for (let i = 0; i < N; i++) {
    const off = i * V;
    let sum = 0;
    for (let j = 0; j < V; j++) sum += dy[off + j];
    for (let j = 0; j < V; j++) dx[off + j] = dy[off + j] - Math.exp(y[off + j]) * sum;
  }
}
