// Alignment via Optimal Transport: `aot` (paired) and `aot_unpaired`.
//
// Paper: Melnyk et al., "Distributional Preference Alignment of LLMs via Optimal Transport", arXiv
// 2406.05882. First-order stochastic dominance of chosen over rejected reward distributions, relaxed with a
// logistic loss on the sorted (1-D optimal transport) coupling across the batch:
//   aot:           d = sort_B(log pi(y_w) - log pi(y_l)) - sort_B(log pi_ref(y_w) - log pi_ref(y_l))
//   aot_unpaired:  d = sort_B(rho_w) - sort_B(rho_l)
//   L_i = -(1 - eps) log sigmoid(beta d_i) - eps log sigmoid(-beta d_i)
// As TRL: raw log-probs (no f-divergence scores). The per-example losses follow SORTED order, not the
// order of the pairs, so per-example weights (and WPO) are refused for these two losses. Ties sort stably.
import { scale, sort, sub } from '../tensor/index.js';
import { checkBeta, checkRange } from './errors.js';
import { pairedOutput, pairedTerms } from './paired-terms.js';
import { smoothedLogistic } from './stable-math.js';
import type { LossInputs, LossOutput, LossSpec } from './types.js';

type AotOptions = { beta: number; label_smoothing: number };

function aot(name: string, inputs: LossInputs, o: AotOptions, paired: boolean): LossOutput {
  const t = pairedTerms(name, inputs, { beta: o.beta });
  const a = paired ? sub(t.policyChosen, t.policyRejected) : t.chosenLogratios; // (B,)
  const b = paired ? sub(t.refChosen, t.refRejected) : t.rejectedLogratios; // (B,)
  const d = sub(sort(a, 0).values, sort(b, 0).values); // (B,) in sorted order
  return pairedOutput(smoothedLogistic(scale(d, o.beta), o.label_smoothing), t); // (B,)
}

const REQUIRES = ['policyChosenLogps', 'policyRejectedLogps', 'refChosenLogps', 'refRejectedLogps'] as const;
const PAPER = 'Melnyk et al., Distributional Preference Alignment of LLMs via Optimal Transport, arXiv 2406.05882';
const DOCS = {
  beta: 'temperature, > 0',
  label_smoothing: 'eps of the smoothed logistic loss, 0 <= eps <= 0.5',
};

function validate(name: string, o: AotOptions): void {
  checkBeta(name, o);
  checkRange(name, o, 'label_smoothing', { ge: 0, le: 0.5 });
}

export const aotLoss: LossSpec<AotOptions> = {
  description: 'AOT (paired): logistic loss on sorted policy margins minus sorted reference margins',
  paper: PAPER,
  inputs: 'paired',
  needsReference: true,
  requires: REQUIRES,
  defaults: { beta: 0.1, label_smoothing: 0 },
  optionDocs: DOCS,
  validate: (o) => validate('aot', o),
  fn: (inputs, o) => aot('aot', inputs, o, true),
};

export const aotUnpairedLoss: LossSpec<AotOptions> = {
  description: 'AOT (unpaired): logistic loss on sorted chosen log-ratios minus sorted rejected log-ratios',
  paper: PAPER,
  inputs: 'paired',
  needsReference: true,
  requires: REQUIRES,
  defaults: { beta: 0.1, label_smoothing: 0 },
  optionDocs: DOCS,
  validate: (o) => validate('aot_unpaired', o),
  fn: (inputs, o) => aot('aot_unpaired', inputs, o, false),
};
