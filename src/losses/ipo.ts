// IPO (`ipo`).
//
// Paper: Azar et al., "A General Theoretical Paradigm to Understand Learning from Human Preferences",
// arXiv 2310.12036, Eq. 17:  L = (h - 1/(2 tau))^2,  h = DPO log-ratio margin, tau = beta.
// As TRL (trl-losses.md §1): each response's score is divided by its completion length,
//   L = (s_w/|y_w| - s_l/|y_l| - 1/(2 beta))^2
// (TRL's code comment: token-level normalisation "confirmed with the IPO authors"; the paper uses sums).
// To get the paper's summed form, pass lengths of 1.
import { div, scale, square, sub } from '../tensor/index.js';
import { checkBeta } from './errors.js';
import { F_DIVERGENCE_DEFAULTS, F_DIVERGENCE_DOCS, validateFDivergence } from './f-divergence.js';
import { pairedOutput, pairedTerms, pairLengths } from './paired-terms.js';
import type { LossSpec } from './types.js';

export const ipoLoss: LossSpec<{ beta: number; f_divergence: string; f_alpha: number }> = {
  description: 'IPO: (s_w/|y_w| - s_l/|y_l| - 1/(2 beta))^2, length-normalised as in TRL',
  paper: 'Azar et al., A General Theoretical Paradigm to Understand Learning from Human Preferences, arXiv 2310.12036 (Eq. 17)',
  inputs: 'paired',
  needsReference: true,
  requires: ['policyChosenLogps', 'policyRejectedLogps', 'refChosenLogps', 'refRejectedLogps', 'chosenLengths', 'rejectedLengths'],
  defaults: { beta: 0.1, ...F_DIVERGENCE_DEFAULTS },
  optionDocs: { beta: 'regularisation tau of IPO, > 0; the target margin is 1/(2 beta)', ...F_DIVERGENCE_DOCS },
  validate(o) {
    checkBeta('ipo', o);
    validateFDivergence('ipo', o);
  },
  fn(inputs, o) {
    const t = pairedTerms('ipo', inputs, o);
    const len = pairLengths('ipo', inputs);
    const h = sub(div(t.chosenScores, len.chosen), div(t.rejectedScores, len.rejected)); // (B,)
    const losses = square(sub(h, 1 / (2 * o.beta))); // (B,)
    return pairedOutput(losses, t);
  },
};
