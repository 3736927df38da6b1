// Unpaired step (KTO family): policy log-probs of each (prompt, completion) with gradients, and — for
// KTO's reference point z0 — policy log-probs of mismatched pairs (prompt i with the completion of
// another example; see kl-rows.ts) without gradients, as TRL's KTOTrainer. Reference log-probs of
// both from the provider.
import * as T from '../../tensor/index.js';
import type { SequenceBatch, UnpairedBatch } from '../../data/index.js';
import { computeLoss, type LossInputs, type ResolvedLossConfig } from '../../losses/index.js';
import type { RowKeys, StepFn } from '../types.js';
import { completionLogprobs, realTokens } from './forward.js';

export interface UnpairedStepBatch {
  examples: UnpairedBatch;
  keys: RowKeys;
  /** Mismatched (prompt, completion) rows for the KL estimate, when the loss uses it. */
  kl?: { seq: SequenceBatch; keys: RowKeys };
}

export function unpairedStep(loss: ResolvedLossConfig): StepFn<UnpairedStepBatch> {
  return ({ examples, keys, kl }, ctx) => {
    if (!ctx.ref) throw new Error(`loss_type [${loss.names.join(', ')}] needs reference log-probs but no reference was set up`);
    const B = examples.rows;
    const lp = completionLogprobs(ctx.model, examples);
    const inputs: LossInputs = {
      policyLogps: lp.sum, // (B,)
      refLogps: new T.Tensor(ctx.ref.sequenceLogps(examples, keys), [B]), // (B,)
      labels: T.tensor(Array.from(examples.labels)), // (B,)
    };
    let tokens = realTokens(examples);
    if (kl) {
      inputs.policyKlLogps = T.noGrad(() => completionLogprobs(ctx.model, kl.seq).sum); // (B,)
      inputs.refKlLogps = new T.Tensor(ctx.ref.sequenceLogps(kl.seq, kl.keys), [kl.seq.rows]); // (B,)
      tokens += realTokens(kl.seq);
    }
    const out = computeLoss(loss, inputs);
    const metrics = { ...out.metrics };
    const classMean = (label: number): number => {
      let s = 0;
      let n = 0;
      examples.labels.forEach((l, i) => {
        if (l === label) {
          s += lp.sum.data[i];
          n++;
        }
      });
      return n ? s / n : NaN;
    };
    metrics['logps/chosen'] = classMean(1);
    metrics['logps/rejected'] = classMean(0);
    metrics['count/desirable'] = examples.labels.reduce((a, l) => a + l, 0);
    metrics['count/undesirable'] = B - metrics['count/desirable'];
    return { loss: out.loss, metrics, tokens };
  };
}
