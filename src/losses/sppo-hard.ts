// SPPO with hard labels (`sppo_hard`).
//
// Paper: Wu et al., "Self-Play Preference Optimization for Language Model Alignment", arXiv 2405.00675:
// regress each log-ratio to eta * (P(y beats pi_t) - 1/2), eta = 1/beta. With hard labels (winner P = 1,
// loser P = 0) as TRL implements it:
//   L = (s_w - 1/(2 beta))^2 + (s_l + 1/(2 beta))^2
// No deviation from TRL.
import { add, square, sub } from '../tensor/index.js';
import { checkBeta } from './errors.js';
import { F_DIVERGENCE_DEFAULTS, F_DIVERGENCE_DOCS, validateFDivergence } from './f-divergence.js';
import { pairedOutput, pairedTerms } from './paired-terms.js';
import type { LossSpec } from './types.js';

export const sppoHardLoss: LossSpec<{ beta: number; f_divergence: string; f_alpha: number }> = {
  description: 'SPPO (hard labels): (s_w - 1/(2 beta))^2 + (s_l + 1/(2 beta))^2',
  paper: 'Wu et al., Self-Play Preference Optimization for Language Model Alignment, arXiv 2405.00675',
  inputs: 'paired',
  needsReference: true,
  requires: ['policyChosenLogps', 'policyRejectedLogps', 'refChosenLogps', 'refRejectedLogps'],
  defaults: { beta: 0.1, ...F_DIVERGENCE_DEFAULTS },
  optionDocs: { beta: 'temperature, > 0; targets are +-1/(2 beta)', ...F_DIVERGENCE_DOCS },
  validate(o) {
    checkBeta('sppo_hard', o);
    validateFDivergence('sppo_hard', o);
  },
  fn(inputs, o) {
    const t = pairedTerms('sppo_hard', inputs, o);
    const target = 1 / (2 * o.beta);
    const losses = add(square(sub(t.chosenScores, target)), square(add(t.rejectedScores, target))); // (B,)
    return pairedOutput(losses, t);
  },
};
