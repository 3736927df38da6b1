// SFT: the token-mean negative log-likelihood of the completions (TRL SFTTrainer with
// completion_only_loss; with completionOnly false the prompt tokens count too, BOS excepted).
import * as T from '../../tensor/index.js';
import type { SequenceBatch } from '../../data/index.js';
import type { StepFn } from '../types.js';
import { completionLogprobs, realTokens } from './forward.js';

export interface SftBatch {
  seq: SequenceBatch;
}

export function sftStep(opts: { completionOnly?: boolean } = {}): StepFn<SftBatch> {
  return ({ seq }, ctx) => {
    const mask = opts.completionOnly === false ? seq.attentionMask : seq.completionMask;
    const lp = completionLogprobs(ctx.model, seq, mask);
    let count = 0;
    for (const c of lp.counts) count += c;
    const loss = T.scale(T.sum(lp.sum), -1 / Math.max(count, 1)); // ()
    return { loss, metrics: { num_tokens: count }, tokens: realTokens(seq) };
  };
}
