// Rationale-augmented preference optimisation (`rationale`, RDPO).
//
// Paper: Just et al., "Data-Centric Human Preference Optimization with Rationales", arXiv 2407.14477
// (COLM 2025). Preference model p(y_w > y_l, r | x) = p(y_w > y_l | x) p(r | x, y_w > y_l); the loss adds
// the policy's NLL of a rationale r explaining the preference:
//   L_i = L_base,i - rationale_gamma * log pi_theta(r_i | x, y_w > y_l)
// with L_base = DPO by default ("the same add-on is applied to ORPO and SimPO": any pairwise base works).
// UNCONFIRMED: gamma's value and the conditioning text. Design choices: gamma default 1; the rationale
// log-prob is summed as in the formula; rationale_length_normalize = true divides it by rationaleLengths (use it
// when rationales are long, or the NLL dominates). Special case: gamma = 0 is the base loss exactly.
import { add, div, mean, neg, scale } from '../tensor/index.js';
import { BASE_LOSS_OPTION, runBase } from './base-loss.js';
import { checkRange } from './errors.js';
import { need, sameBatch } from './inputs.js';
import type { LossOptions, LossSpec } from './types.js';

type RationaleOptions = { base_loss: string; rationale_gamma: number; rationale_length_normalize: boolean };

export const rationaleLoss: LossSpec<RationaleOptions> = {
  description: 'RDPO: pairwise loss + gamma * NLL of a rationale explaining the preference',
  paper: 'Just et al., Data-Centric Human Preference Optimization with Rationales, arXiv 2407.14477',
  inputs: 'paired',
  needsReference: false,
  requires: ['policyRationaleLogps'],
  optional: ['rationaleLengths'],
  defaults: { base_loss: 'sigmoid', rationale_gamma: 1, rationale_length_normalize: false },
  optionDocs: {
    base_loss: 'the pairwise loss the rationale term is added to; its options apply too',
    rationale_gamma: 'weight of the rationale NLL, >= 0 (0 = base loss)',
    rationale_length_normalize: 'divide the rationale log-prob by rationaleLengths',
  },
  baseLossOption: BASE_LOSS_OPTION,
  validate: (o) => checkRange('rationale', o, 'rationale_gamma', { ge: 0 }),
  fn(inputs, o) {
    const out = runBase('rationale', inputs, o as unknown as LossOptions);
    const logp = need('rationale', inputs, 'policyRationaleLogps'); // (B,)
    const lengths = o.rationale_length_normalize ? need('rationale', inputs, 'rationaleLengths') : undefined; // (B,)
    sameBatch('rationale', { policyRationaleLogps: logp, rationaleLengths: lengths, policyChosenLogps: inputs.policyChosenLogps });
    const nll = neg(lengths ? div(logp, lengths) : logp); // (B,)
    const losses = add(out.losses, scale(nll, o.rationale_gamma)); // (B,)
    return { ...out, loss: mean(losses), losses, metrics: { ...out.metrics, 'rationale/nll': mean(nll).item() } }; // loss ()
  },
};
