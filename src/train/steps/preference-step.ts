// Pairwise preference step (DPO family): one policy pass over chosen and rejected rows (the data
// layer's chosen-then-rejected layout), reference log-probs from the provider, and any registered
// pairwise loss or weighted combination through computeLoss (TRL metric names).
import * as T from '../../tensor/index.js';
import type { PairBatch } from '../../data/index.js';
import { computeLoss, type LossInputs, type ResolvedLossConfig } from '../../losses/index.js';
import type { RowKeys, StepFn } from '../types.js';
import { completionLengths, completionLogprobs, labelMask, realTokens } from './forward.js';

export interface PairStepBatch {
  pairs: PairBatch;
  /** Row keys for the reference cache: chosen rows then rejected rows. */
  keys: RowKeys;
}

export function preferenceStep(loss: ResolvedLossConfig, opts: { needsReference: boolean }): StepFn<PairStepBatch> {
  return ({ pairs, keys }, ctx) => {
    const B = pairs.pairs;
    const lp = completionLogprobs(ctx.model, pairs);
    const inputs: LossInputs = {
      policyChosenLogps: T.slice(lp.sum, 0, 0, B), // (B,)
      policyRejectedLogps: T.slice(lp.sum, 0, B), // (B,)
      policyChosenTokenLogps: T.slice(lp.tokenLogprobs, 0, 0, B), // (B, T)
      policyRejectedTokenLogps: T.slice(lp.tokenLogprobs, 0, B), // (B, T)
      chosenMask: labelMask(pairs, [0, B]), // (B, T)
      rejectedMask: labelMask(pairs, [B, 2 * B]), // (B, T)
      chosenLengths: completionLengths(pairs, [0, B]), // (B,)
      rejectedLengths: completionLengths(pairs, [B, 2 * B]), // (B,)
    };
    if (pairs.preferenceProbability) inputs.softLabels = T.tensor(Array.from(pairs.preferenceProbability)); // (B,)
    if (pairs.margin) inputs.margin = T.tensor(Array.from(pairs.margin)); // (B,)
    if (opts.needsReference) {
      if (!ctx.ref) throw new Error(`loss_type [${loss.names.join(', ')}] needs reference log-probs but no reference was set up`);
      const ref = ctx.ref.sequenceLogps(pairs, keys); // (2B,)
      inputs.refChosenLogps = new T.Tensor(ref.slice(0, B), [B]); // (B,)
      inputs.refRejectedLogps = new T.Tensor(ref.slice(B, 2 * B), [B]); // (B,)
    }
    const out = computeLoss(loss, inputs);
    return { loss: out.loss, metrics: out.metrics, tokens: realTokens(pairs) };
  };
}
