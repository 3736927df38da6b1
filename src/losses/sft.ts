// Supervised NLL on the chosen completions (`sft`): RPO's NLL term, CPO's and ORPO's NLL term.
//
// Papers: Pang et al., "Iterative Reasoning Preference Optimization" (RPO), arXiv 2404.19733 (DPO + NLL);
// Xu et al., CPO, arXiv 2401.08417; Hong et al., ORPO, arXiv 2403.07691. TRL 1.x expresses all of them as
// `loss_type=[<preference loss>, "sft"]` with `loss_weights=[1, alpha]`:
//   L_sft = - sum_{i,t} m_it log p_it / sum_{i,t} m_it      (token mean over the chosen completions of the batch)
// From per-token log-probs and a mask when given, else from summed log-probs and lengths (the same number).
// Per-example losses: pair i gets -log pi(y_w,i) * B / sum_j |y_w,j|, its share of the batch token mean, so
// their mean is exactly TRL's scalar (TRL broadcasts the scalar to every pair instead).
// ORPO's NLL covers prompt + response: pass token log-probs and a mask over both.
import { mul, neg, scale, sum } from '../tensor/index.js';
import { expectShape, need, sameBatch } from './inputs.js';
import { pairedOutput } from './paired-terms.js';
import type { LossSpec } from './types.js';

export const sftLoss: LossSpec<Record<string, never>> = {
  description: 'NLL of the chosen completions, token mean over the batch (RPO / CPO / ORPO NLL term)',
  paper: 'Pang et al., Iterative Reasoning Preference Optimization (RPO), arXiv 2404.19733; TRL loss_type "sft"',
  inputs: 'paired-ref-free',
  needsReference: false,
  requires: ['policyChosenLogps', 'chosenLengths'],
  optional: ['policyChosenTokenLogps', 'chosenMask'],
  defaults: {},
  optionDocs: {},
  validate() {},
  fn(inputs) {
    if (inputs.policyChosenTokenLogps && inputs.chosenMask) {
      const tok = inputs.policyChosenTokenLogps; // (B, T)
      expectShape('sft', 'chosenMask', inputs.chosenMask, tok.shape);
      const B = tok.shape[0];
      const perSeq = sum(mul(tok, inputs.chosenMask), 1); // (B,)
      const tokens = sum(inputs.chosenMask).item();
      return pairedOutput(scale(neg(perSeq), B / Math.max(tokens, 1))); // (B,)
    }
    const logps = need('sft', inputs, 'policyChosenLogps'); // (B,)
    const lengths = need('sft', inputs, 'chosenLengths'); // (B,)
    const B = sameBatch('sft', { policyChosenLogps: logps, chosenLengths: lengths });
    const tokens = Math.max(sum(lengths).item(), 1);
    return pairedOutput(scale(neg(logps), B / tokens)); // (B,)
  },
};
