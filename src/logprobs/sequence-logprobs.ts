// Per-token and per-sequence log-probs from final hidden states through the lm head, fused: the
// (B, T, V) logits are never materialised (chunked over V in the kernel, forward and backward).
import * as T from '../tensor/index.js';

export interface SequenceBatch {
  /** Token ids, row-major (B, T). */
  ids: Int32Array;
  B: number;
  T: number;
  /**
   * (B, T) 1 where token t counts (a completion token), 0 elsewhere (prompt, padding). Token 0 of a
   * row never counts: nothing predicts it.
   */
  completionMask: Float32Array;
}

export interface SequenceLogprobs {
  /** (B, T): entry t is log p(token t+1 | tokens <= t) where token t+1 is masked in, 0 elsewhere. Differentiable. */
  tokenLogprobs: T.Tensor;
  /** (B,) sum over the completion. Differentiable. */
  sum: T.Tensor;
  /** (B,) number of completion tokens. */
  counts: Float32Array;
}

/** Labels aligned with hidden positions: position t predicts token t+1 when that token is masked in. */
export function shiftedLabels(batch: SequenceBatch): Int32Array {
  const { ids, B, T: Tn, completionMask } = batch;
  const labels = new Int32Array(B * Tn).fill(-1);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t + 1 < Tn; t++) {
      const next = b * Tn + t + 1;
      if (completionMask[next] !== 0) labels[b * Tn + t] = ids[next];
    }
  }
  return labels;
}

/**
 * hidden (B, T, H) and lm head (V, H) -> log-probs of the masked tokens. Entry t of tokenLogprobs holds
 * log p(token t+1 | tokens <= t) (HF's shifted convention: position t predicts token t+1).
 */
export function sequenceLogprobs(hidden: T.Tensor, lmHead: T.Tensor, batch: SequenceBatch): SequenceLogprobs {
  const { B, T: Tn } = batch;
  if (hidden.ndim !== 3 || hidden.shape[0] !== B || hidden.shape[1] !== Tn) {
    throw new T.ShapeError('sequenceLogprobs', `hidden ${T.formatShape(hidden.shape)} does not match the batch (${B}, ${Tn}, H)`);
  }
  if (batch.completionMask.length !== B * Tn) {
    throw new T.ShapeError('sequenceLogprobs', `completionMask has ${batch.completionMask.length} entries, expected ${B * Tn}`);
  }
  const labels = shiftedLabels(batch);
  const tokenLogprobs = T.linearLogprob(hidden, lmHead, labels); // (B, T); 0 where the label is ignored
  const sum = T.sum(tokenLogprobs, 1); // (B,)
  const counts = new Float32Array(B);
  for (let i = 0; i < labels.length; i++) if (labels[i] >= 0) counts[Math.floor(i / Tn)]++;
  return { tokenLogprobs, sum, counts };
}
