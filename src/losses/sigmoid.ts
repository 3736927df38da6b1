// DPO (`sigmoid`), conservative DPO (`sigmoid` with label_smoothing > 0) and length-normalised DPO
// (`sigmoid_norm`).
//
// Paper: Rafailov, Sharma, Mitchell, Ermon, Manning, Finn, "Direct Preference Optimization: Your Language
// Model is Secretly a Reward Model", arXiv 2305.18290, Eq. 7:
//   L = -log sigmoid(beta * Delta),  Delta = (log pi(y_w) - log pi_ref(y_w)) - (log pi(y_l) - log pi_ref(y_l))
// cDPO (Mitchell, "A note on DPO with noisy preferences", 2023), label smoothing eps:
//   L = -(1 - eps) log sigmoid(beta Delta) - eps log sigmoid(-beta Delta)
// sigmoid_norm (TRL >= 1.4, Tulu-3 / SimPO-style length normalisation, with the reference kept):
//   L = -log sigmoid(beta * (s_w / |y_w| - s_l / |y_l|))
// Delta and s use the f-divergence scores of f-divergence.ts (identity for reverse_kl).
// Deviations: TRL 1.x dropped label smoothing from `sigmoid`; we keep TRL 0.28's cDPO semantics, as the
// golden file does. label_smoothing is limited to [0, 0.5] (above 0.5 the preference is inverted).
import { div, scale, sub } from '../tensor/index.js';
import { checkBeta, checkRange } from './errors.js';
import { F_DIVERGENCE_DEFAULTS, F_DIVERGENCE_DOCS, validateFDivergence } from './f-divergence.js';
import { pairedOutput, pairedTerms, pairLengths } from './paired-terms.js';
import { smoothedLogistic } from './stable-math.js';
import type { LossSpec } from './types.js';

const PAPER_DPO = 'Rafailov et al., Direct Preference Optimization, arXiv 2305.18290 (Eq. 7); cDPO: Mitchell 2023';

export const sigmoidLoss: LossSpec<{ beta: number; label_smoothing: number; f_divergence: string; f_alpha: number }> = {
  description: 'DPO: -log sigmoid(beta * Delta); with label_smoothing > 0 it is cDPO',
  paper: PAPER_DPO,
  inputs: 'paired',
  needsReference: true,
  requires: ['policyChosenLogps', 'policyRejectedLogps', 'refChosenLogps', 'refRejectedLogps'],
  defaults: { beta: 0.1, label_smoothing: 0, ...F_DIVERGENCE_DEFAULTS },
  optionDocs: {
    beta: 'temperature of the implicit reward, > 0',
    label_smoothing: 'cDPO: assumed probability that a label is flipped, 0 <= eps <= 0.5 (0 = DPO)',
    ...F_DIVERGENCE_DOCS,
  },
  validate(o) {
    checkBeta('sigmoid', o);
    checkRange('sigmoid', o, 'label_smoothing', { ge: 0, le: 0.5 });
    validateFDivergence('sigmoid', o);
  },
  fn(inputs, o) {
    const t = pairedTerms('sigmoid', inputs, o);
    const losses = smoothedLogistic(scale(t.delta, o.beta), o.label_smoothing); // (B,)
    return pairedOutput(losses, t);
  },
};

export const sigmoidNormLoss: LossSpec<{ beta: number; f_divergence: string; f_alpha: number }> = {
  description: 'length-normalised DPO: -log sigmoid(beta * (s_w/|y_w| - s_l/|y_l|))',
  paper: 'TRL sigmoid_norm (PR #5406); Tulu 3 (Lambert et al., arXiv 2411.15124) length-normalised DPO',
  inputs: 'paired',
  needsReference: true,
  requires: ['policyChosenLogps', 'policyRejectedLogps', 'refChosenLogps', 'refRejectedLogps', 'chosenLengths', 'rejectedLengths'],
  defaults: { beta: 0.1, ...F_DIVERGENCE_DEFAULTS },
  optionDocs: { beta: 'temperature, > 0', ...F_DIVERGENCE_DOCS },
  validate(o) {
    checkBeta('sigmoid_norm', o);
    validateFDivergence('sigmoid_norm', o);
  },
  fn(inputs, o) {
    const t = pairedTerms('sigmoid_norm', inputs, o);
    const len = pairLengths('sigmoid_norm', inputs);
    const margin = sub(div(t.chosenScores, len.chosen), div(t.rejectedScores, len.rejected)); // (B,)
    const losses = smoothedLogistic(scale(margin, o.beta), 0); // (B,)
    return pairedOutput(losses, t);
  },
};
