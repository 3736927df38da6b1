// SLiC / RSO hinge loss (`hinge`).
//
// Papers: Zhao et al., "SLiC-HF: Sequence Likelihood Calibration with Human Feedback", arXiv 2305.10425;
// Liu et al., "Statistical Rejection Sampling Improves Preference Optimization" (RSO), arXiv 2309.06657,
// "hinge-norm" loss:  L = max(0, 1 - gamma * Delta)  with Delta the DPO log-ratio margin.
// TRL: relu(1 - beta * Delta), beta = gamma = 1 / margin (RSO default gamma = 0.05). No deviation.
import { relu, scale, sub } from '../tensor/index.js';
import { checkBeta } from './errors.js';
import { F_DIVERGENCE_DEFAULTS, F_DIVERGENCE_DOCS, validateFDivergence } from './f-divergence.js';
import { pairedOutput, pairedTerms } from './paired-terms.js';
import type { LossSpec } from './types.js';

export const hingeLoss: LossSpec<{ beta: number; f_divergence: string; f_alpha: number }> = {
  description: 'SLiC / RSO hinge-norm: relu(1 - beta * Delta)',
  paper: 'Liu et al., RSO, arXiv 2309.06657 (hinge-norm); Zhao et al., SLiC-HF, arXiv 2305.10425',
  inputs: 'paired',
  needsReference: true,
  requires: ['policyChosenLogps', 'policyRejectedLogps', 'refChosenLogps', 'refRejectedLogps'],
  defaults: { beta: 0.1, ...F_DIVERGENCE_DEFAULTS },
  optionDocs: { beta: 'inverse margin gamma = 1/margin, > 0 (RSO uses 0.05)', ...F_DIVERGENCE_DOCS },
  validate(o) {
    checkBeta('hinge', o);
    validateFDivergence('hinge', o);
  },
  fn(inputs, o) {
    const t = pairedTerms('hinge', inputs, o);
    const losses = relu(sub(1, scale(t.delta, o.beta))); // (B,)
    return pairedOutput(losses, t);
  },
};
