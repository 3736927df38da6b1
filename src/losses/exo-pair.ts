// EXO, pairwise form (`exo_pair`).
//
// Paper: Ji et al., "Towards Efficient Exact Optimization of Language Model Alignment", arXiv 2402.00856,
// Eq. 16 with K = 2: reverse KL between the model's pair distribution q = sigmoid(beta Delta) and the
// smoothed label distribution (1 - eps, eps):
//   L = q (log q - log(1 - eps)) + (1 - q) (log(1 - q) - log eps)
// computed with log q = log sigmoid(beta Delta) and log(1 - q) = log sigmoid(-beta Delta).
// As TRL 1.x: label_smoothing = 0 is an error (log 0); the paper uses eps = 1e-3. (TRL 0.28 silently
// replaced 0 by 1e-3; we refuse, and say so.)
import { add, logSigmoid, mul, neg, scale, sigmoid, sub } from '../tensor/index.js';
import { checkBeta, checkRange } from './errors.js';
import { F_DIVERGENCE_DEFAULTS, F_DIVERGENCE_DOCS, validateFDivergence } from './f-divergence.js';
import { pairedOutput, pairedTerms } from './paired-terms.js';
import type { LossSpec } from './types.js';

export const exoPairLoss: LossSpec<{ beta: number; label_smoothing: number; f_divergence: string; f_alpha: number }> = {
  description: 'EXO (pairwise): KL(sigmoid(beta Delta) || (1-eps, eps)); needs label_smoothing > 0',
  paper: 'Ji et al., Towards Efficient Exact Optimization of Language Model Alignment, arXiv 2402.00856 (Eq. 16)',
  inputs: 'paired',
  needsReference: true,
  requires: ['policyChosenLogps', 'policyRejectedLogps', 'refChosenLogps', 'refRejectedLogps'],
  defaults: { beta: 0.1, label_smoothing: 1e-3, ...F_DIVERGENCE_DEFAULTS },
  optionDocs: {
    beta: 'temperature, > 0',
    label_smoothing: 'eps of the smoothed target distribution, 0 < eps < 1 (paper: 1e-3)',
    ...F_DIVERGENCE_DOCS,
  },
  validate(o) {
    checkBeta('exo_pair', o);
    checkRange('exo_pair', o, 'label_smoothing', { gt: 0, lt: 1, hint: 'exo_pair takes log(label_smoothing); the EXO paper uses 1e-3' });
    validateFDivergence('exo_pair', o);
  },
  fn(inputs, o) {
    const t = pairedTerms('exo_pair', inputs, o);
    const z = scale(t.delta, o.beta); // (B,)
    const eps = o.label_smoothing;
    const win = mul(sigmoid(z), sub(logSigmoid(z), Math.log(1 - eps))); // (B,)
    const lose = mul(sigmoid(neg(z)), sub(logSigmoid(neg(z)), Math.log(eps))); // (B,)
    return pairedOutput(add(win, lose), t); // (B,)
  },
};
