// Shared forward passes of the step functions: policy log-probs of the completions of a collated
// batch (fused, never (B, T, V)), and reward-model scores read at each row's last real token.
import * as T from '../../tensor/index.js';
import type { DecoderModel } from '../../models/decoder-params.js';
import { decoderHidden } from '../../models/decoder.js';
import { lmHeadWeight } from '../../models/decoder-params.js';
import { sequenceLogprobs, type SequenceLogprobs } from '../../logprobs/sequence-logprobs.js';
import type { SequenceBatch } from '../../data/index.js';

/** Final hidden states (rows, T, H) of a right-padded batch. */
export function hiddenOf(model: DecoderModel, seq: SequenceBatch): T.Tensor {
  // Right padding + causal attention: real tokens never see padding, so no key mask is needed.
  return decoderHidden(model, { ids: seq.inputIds, B: seq.rows, T: seq.seqLen }); // (rows, T, H)
}

/** Completion log-probs of every row: per token (rows, T) and summed (rows,), differentiable. */
export function completionLogprobs(model: DecoderModel, seq: SequenceBatch, mask: Float32Array = seq.completionMask): SequenceLogprobs {
  const hidden = hiddenOf(model, seq); // (rows, T, H)
  return sequenceLogprobs(hidden, lmHeadWeight(model), { ids: seq.inputIds, B: seq.rows, T: seq.seqLen, completionMask: mask });
}

/**
 * The mask aligned with tokenLogprobs (entry t scores token t + 1): 1 where token t + 1 is a completion
 * token. This is what per-token losses multiply with.
 */
export function labelMask(seq: SequenceBatch, rows: [number, number] = [0, seq.rows]): T.Tensor {
  const Tn = seq.seqLen;
  const [r0, r1] = rows;
  const out = new Float32Array((r1 - r0) * Tn);
  for (let r = r0; r < r1; r++) {
    for (let t = 0; t + 1 < Tn; t++) out[(r - r0) * Tn + t] = seq.completionMask[r * Tn + t + 1];
  }
  return new T.Tensor(out, [r1 - r0, Tn]); // (rows, T)
}

/** Completion tokens of each row (rows,) as a tensor (what length-normalised losses read). */
export function completionLengths(seq: SequenceBatch, rows: [number, number]): T.Tensor {
  return T.tensor(Array.from(seq.completionLengths.subarray(rows[0], rows[1])), [rows[1] - rows[0]]); // (n,)
}

/** Real tokens in the batch (for tokens/s). */
export function realTokens(seq: SequenceBatch): number {
  let n = 0;
  for (let i = 0; i < seq.rows; i++) n += seq.lengths[i];
  return n;
}

/**
 * Reward-model scores (rows,): hidden at each row's last real token @ score^T, as HF
 * *ForSequenceClassification with num_labels = 1 reads them (right padding).
 */
export function rewardScores(model: DecoderModel, seq: SequenceBatch): T.Tensor {
  const score = model.params.score;
  if (!score) throw new Error('reward step: the model has no score head (params.score); create one with addScoreHead(model, seed)');
  const hidden = hiddenOf(model, seq); // (rows, T, H)
  const H = hidden.shape[2];
  const flat = T.reshape(hidden, [seq.rows * seq.seqLen, H]); // (rows * T, H)
  const last = Array.from({ length: seq.rows }, (_, r) => r * seq.seqLen + Math.max(0, seq.lengths[r] - 1));
  const picked = T.indexSelect(flat, 0, last); // (rows, H)
  return T.reshape(T.linear(picked, score), [seq.rows]); // (rows,)
}

/** A fresh (1, H) score head, normal with std 1 / sqrt(H), seeded. */
export function addScoreHead(model: DecoderModel, seed: number): void {
  const H = model.config.hidden;
  model.params.score = T.randn([1, H], { rng: new T.Rng(seed), std: 1 / Math.sqrt(H), requiresGrad: true });
}
