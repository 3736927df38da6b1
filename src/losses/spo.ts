// SPO: self-supervised preference-degree term added to a pairwise loss (`spo`).
//
// Paper: Li et al., "Self-supervised Preference Optimization: Enhance Your Language Model with Preference
// Degree Awareness", arXiv 2409.17791 (code not released). Confirmed: variants of a response are made by
// removing different amounts of its key content (RAKE keyphrases); a classifier on the LLM's representations
// predicts the degree; its cross-entropy is added to the alignment loss and both are optimised jointly.
// UNCONFIRMED (design choices): number of classes K, the classifier head, the weight. Here the loss is a pure
// function of the classifier's logits:
//   L_i = L_base,i + spo_lambda * CE(degreeLogits_i, degreeLabels_i)
// degreeLogits (B, K) come from the model's head (e.g. linear on mean-pooled hidden states), degreeLabels (B,)
// are the deletion levels 0..K-1. Default spo_lambda = 1 (UNCONFIRMED). Special case: spo_lambda = 0 is the
// base loss exactly.
import { add, gather, indexTensor, logSoftmax, mean, neg, reshape, scale } from '../tensor/index.js';
import { BASE_LOSS_OPTION, runBase } from './base-loss.js';
import { checkRange, LossError } from './errors.js';
import { expectShape, need } from './inputs.js';
import type { LossOptions, LossSpec } from './types.js';

type SpoOptions = { base_loss: string; spo_lambda: number };

export const spoLoss: LossSpec<SpoOptions> = {
  description: 'SPO: pairwise loss + lambda * cross-entropy of a preference-degree classifier',
  paper: 'Li et al., Self-supervised Preference Optimization, arXiv 2409.17791 (details UNCONFIRMED)',
  inputs: 'paired',
  needsReference: false,
  requires: ['degreeLogits', 'degreeLabels'],
  defaults: { base_loss: 'sigmoid', spo_lambda: 1 },
  optionDocs: {
    base_loss: 'the alignment loss the degree term is added to; its options apply too',
    spo_lambda: 'weight of the degree cross-entropy, >= 0 (0 = base loss)',
  },
  baseLossOption: BASE_LOSS_OPTION,
  validate: (o) => checkRange('spo', o, 'spo_lambda', { ge: 0 }),
  fn(inputs, o) {
    const out = runBase('spo', inputs, o as unknown as LossOptions);
    const logits = need('spo', inputs, 'degreeLogits'); // (B, K)
    const labels = need('spo', inputs, 'degreeLabels'); // (B,)
    const B = out.losses.shape[0];
    if (logits.ndim !== 2) throw new LossError(`loss 'spo': degreeLogits must be (B, K)`, 'spo');
    expectShape('spo', 'degreeLogits', logits, [B, logits.shape[1]]);
    expectShape('spo', 'degreeLabels', labels, [B]);
    const K = logits.shape[1];
    labels.data.forEach((v, i) => {
      if (!Number.isInteger(v) || v < 0 || v >= K) {
        throw new LossError(`loss 'spo': degreeLabels[${i}] = ${v}; expected an integer class in 0..${K - 1}`, 'spo');
      }
    });
    const picked = gather(logSoftmax(logits), 1, indexTensor(labels.data, [B, 1])); // (B, 1)
    const ce = neg(reshape(picked, [B])); // (B,)
    const losses = add(out.losses, scale(ce, o.spo_lambda)); // (B,)
    return { ...out, loss: mean(losses), losses, metrics: { ...out.metrics, 'spo/degree_ce': mean(ce).item() } }; // loss ()
  },
};
