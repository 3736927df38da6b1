// NCA, pairwise form (`nca_pair`).
//
// Paper: Chen et al., "Noise Contrastive Alignment of Language Models with Explicit Rewards", arXiv
// 2402.05369 (NCA with K = 2 responses): with s = beta * log-ratio of each response,
//   L = -log sigmoid(s_w) - 1/2 log sigmoid(-s_w) - 1/2 log sigmoid(-s_l)
// As TRL (scores are f-divergence scores times beta). No deviation.
import { add, logSigmoid, neg, scale } from '../tensor/index.js';
import { checkBeta } from './errors.js';
import { F_DIVERGENCE_DEFAULTS, F_DIVERGENCE_DOCS, validateFDivergence } from './f-divergence.js';
import { pairedOutput, pairedTerms } from './paired-terms.js';
import type { LossSpec } from './types.js';

export const ncaPairLoss: LossSpec<{ beta: number; f_divergence: string; f_alpha: number }> = {
  description: 'NCA (pairwise): -log sig(beta s_w) - 1/2 log sig(-beta s_w) - 1/2 log sig(-beta s_l)',
  paper: 'Chen et al., Noise Contrastive Alignment of Language Models with Explicit Rewards, arXiv 2402.05369',
  inputs: 'paired',
  needsReference: true,
  requires: ['policyChosenLogps', 'policyRejectedLogps', 'refChosenLogps', 'refRejectedLogps'],
  defaults: { beta: 0.1, ...F_DIVERGENCE_DEFAULTS },
  optionDocs: { beta: 'temperature, > 0', ...F_DIVERGENCE_DOCS },
  validate(o) {
    checkBeta('nca_pair', o);
    validateFDivergence('nca_pair', o);
  },
  fn(inputs, o) {
    const t = pairedTerms('nca_pair', inputs, o);
    const zw = scale(t.chosenScores, o.beta); // (B,)
    const zl = scale(t.rejectedScores, o.beta); // (B,)
    const up = neg(logSigmoid(zw)); // (B,)
    const down = scale(add(logSigmoid(neg(zw)), logSigmoid(neg(zl))), -0.5); // (B,)
    return pairedOutput(add(up, down), t); // (B,)
  },
};
