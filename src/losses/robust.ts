// Robust DPO (`robust`, rDPO).
//
// Paper: Chowdhury, Kini, Natarajan, "Provably Robust DPO: Aligning Language Models with Noisy Feedback",
// arXiv 2403.00409: unbiased estimate of the clean DPO loss when each label is flipped with probability eps,
//   L = [ (1 - eps) * l(beta Delta) - eps * l(-beta Delta) ] / (1 - 2 eps),   l(z) = -log sigmoid(z)
// Note the MINUS on the flipped term (cDPO adds it). eps = label_smoothing must be in [0, 0.5); TRL only
// warns outside that range, we refuse (the estimator divides by 1 - 2 eps).
import { scale, sub, neg, logSigmoid } from '../tensor/index.js';
import { checkBeta, checkRange } from './errors.js';
import { F_DIVERGENCE_DEFAULTS, F_DIVERGENCE_DOCS, validateFDivergence } from './f-divergence.js';
import { pairedOutput, pairedTerms } from './paired-terms.js';
import type { LossSpec } from './types.js';

export const robustLoss: LossSpec<{ beta: number; label_smoothing: number; f_divergence: string; f_alpha: number }> = {
  description: 'rDPO: [(1-eps) l(beta Delta) - eps l(-beta Delta)] / (1 - 2 eps), l = -log sigmoid',
  paper: 'Chowdhury, Kini, Natarajan, Provably Robust DPO, arXiv 2403.00409',
  inputs: 'paired',
  needsReference: true,
  requires: ['policyChosenLogps', 'policyRejectedLogps', 'refChosenLogps', 'refRejectedLogps'],
  defaults: { beta: 0.1, label_smoothing: 0, ...F_DIVERGENCE_DEFAULTS },
  optionDocs: {
    beta: 'temperature, > 0',
    label_smoothing: 'assumed label-flip rate eps, 0 <= eps < 0.5 (typical 0.1)',
    ...F_DIVERGENCE_DOCS,
  },
  validate(o) {
    checkBeta('robust', o);
    checkRange('robust', o, 'label_smoothing', { ge: 0, lt: 0.5, hint: 'rDPO divides by 1 - 2 eps' });
    validateFDivergence('robust', o);
  },
  fn(inputs, o) {
    const t = pairedTerms('robust', inputs, o);
    const z = scale(t.delta, o.beta); // (B,)
    const eps = o.label_smoothing;
    const clean = scale(neg(logSigmoid(z)), 1 - eps); // (B,)
    const flipped = scale(neg(logSigmoid(neg(z))), eps); // (B,)
    return pairedOutput(scale(sub(clean, flipped), 1 / (1 - 2 * eps)), t); // (B,)
  },
};
