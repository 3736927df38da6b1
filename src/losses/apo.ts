// Anchored Preference Optimization: `apo_zero` and `apo_down` (paired).
//
// Paper: D'Oosterlinck et al., "Anchored Preference Optimization and Contrastive Revisions: Addressing
// Underspecification in Alignment", arXiv 2408.06266:
//   apo_zero (Eq. 7):  L = (1 - sigmoid(beta rho_w)) + sigmoid(beta rho_l)
//       (use when chosen outputs are better than the model's own: raise chosen, lower rejected)
//   apo_down (Eq. 8):  L = sigmoid(beta rho_w) + (1 - sigmoid(beta Delta))
//       (use when chosen outputs are worse than the model's: lower both, keep the gap)
// As TRL 1.x: rho are raw log-ratios; Delta in apo_down uses the f-divergence scores. No deviation.
import { add, scale, sigmoid, sub } from '../tensor/index.js';
import { checkBeta } from './errors.js';
import { F_DIVERGENCE_DEFAULTS, F_DIVERGENCE_DOCS, validateFDivergence } from './f-divergence.js';
import { pairedOutput, pairedTerms } from './paired-terms.js';
import type { LossSpec } from './types.js';

const PAPER = "D'Oosterlinck et al., Anchored Preference Optimization and Contrastive Revisions, arXiv 2408.06266";
const REQUIRES = ['policyChosenLogps', 'policyRejectedLogps', 'refChosenLogps', 'refRejectedLogps'] as const;

export const apoZeroLoss: LossSpec<{ beta: number }> = {
  description: 'APO-zero: (1 - sigmoid(beta rho_w)) + sigmoid(beta rho_l)',
  paper: `${PAPER} (Eq. 7)`,
  inputs: 'paired',
  needsReference: true,
  requires: REQUIRES,
  defaults: { beta: 0.1 },
  optionDocs: { beta: 'temperature, > 0' },
  validate: (o) => checkBeta('apo_zero', o),
  fn(inputs, o) {
    const t = pairedTerms('apo_zero', inputs, o);
    const up = sub(1, sigmoid(scale(t.chosenLogratios, o.beta))); // (B,)
    const down = sigmoid(scale(t.rejectedLogratios, o.beta)); // (B,)
    return pairedOutput(add(up, down), t); // (B,)
  },
};

export const apoDownLoss: LossSpec<{ beta: number; f_divergence: string; f_alpha: number }> = {
  description: 'APO-down: sigmoid(beta rho_w) + (1 - sigmoid(beta Delta))',
  paper: `${PAPER} (Eq. 8)`,
  inputs: 'paired',
  needsReference: true,
  requires: REQUIRES,
  defaults: { beta: 0.1, ...F_DIVERGENCE_DEFAULTS },
  optionDocs: { beta: 'temperature, > 0', ...F_DIVERGENCE_DOCS },
  validate(o) {
    checkBeta('apo_down', o);
    validateFDivergence('apo_down', o);
  },
  fn(inputs, o) {
    const t = pairedTerms('apo_down', inputs, o);
    const down = sigmoid(scale(t.chosenLogratios, o.beta)); // (B,)
    const gap = sub(1, sigmoid(scale(t.delta, o.beta))); // (B,)
    return pairedOutput(add(down, gap), t); // (B,)
  },
};
