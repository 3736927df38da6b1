// Reference gathered log-probs: logp[i] = logits[i, labels[i]] - logsumexp(logits[i, :]).
// labels[i] < 0 marks an ignored position (HF's -100): logp = 0 and a zero gradient, lse still written.
import type { Buf } from '../backend.js';
import { rowMax, sumExpShifted } from './softmax.js';

/** logits (N, V), labels (N) -> logp (N), lse (N). */
export function logprobForward(N: number, V: number, logits: Buf, labels: Int32Array, logp: Buf, lse: Buf): void {
  for (let i = 0; i < N; i++) {
    const off = i * V;
    const max = rowMax(logits, off, V);
    const logSum = Math.log(sumExpShifted(logits, off, V, max));
    lse[i] = max + logSum;
    const y = labels[i];
    // (logit - max) - logSum, not logit - lse: exact to the last bits even for large logits.
    logp[i] = y < 0 ? 0 : logits[off + y] - max - logSum;
  }
}

/** dlogits[i, v] = dlogp[i] (onehot(labels[i])[v] - exp(logits[i, v] - lse[i])); 0 on ignored rows. */
export function logprobBackward(
  N: number, V: number, logits: Buf, labels: Int32Array, lse: Buf, dlogp: Buf, dlogits: Buf,
): void {
  for (let i = 0; i < N; i++) {
    const off = i * V;
    const y = labels[i];
    if (y < 0) {
      for (let v = 0; v < V; v++) dlogits[off + v] = 0;
      continue;
    }
    const g = dlogp[i];
    const l = lse[i];
    for (let v = 0; v < V; v++) dlogits[off + v] = -g * Math.exp(logits[off + v] - l);
    dlogits[off + y] += g;
  }
}
