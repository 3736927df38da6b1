// MADPO: margin-adaptive instance weights on the DPO loss (`madpo`).
//
// Paper: Hyung Gyu Rho, "Margin Adaptive DPO", arXiv 2510.05342; formulas from the authors' code
// (sirano1004/Margin-Apative-Direct-Preference-Optimization @389e654, utils/loss_functions.py MADPOLoss).
// A reward model gives the margin Delta_r = r(y_w) - r(y_l) (input `rewardMargins`, detached). Then
//   coef(|Delta_r|) = c_min + (c_max - c_min) / (1 + k exp(lambda (|Delta_r| - tau))),  k = (c_max - 1)/(1 - c_min)
//     (-> c_max for hard pairs |Delta_r| << tau, -> c_min for easy pairs, exactly 1 at |Delta_r| = tau)
//   w = sigmoid(coef * Delta_r) / sigmoid(Delta_r)  if Delta_r > -tau, else 1        (a constant)
//   L = w * (-log sigmoid(beta * Delta))
// Defaults from the authors' notebook: c_max = 2, c_min = 1/c_max, lambda = 1, tau = log(0.999/0.001).
// Special case: c_max = 1 or c_min = 1 makes coef = 1, w = 1: plain DPO.
import { abs, add, div, exp, full, gt, mean, mul, noGrad, scale, sigmoid, sub, where } from '../tensor/index.js';
import { checkBeta, checkRange } from './errors.js';
import { need, sameBatch } from './inputs.js';
import { pairedOutput, pairedTerms } from './paired-terms.js';
import { smoothedLogistic } from './stable-math.js';
import type { LossSpec } from './types.js';

type MadpoOptions = { beta: number; madpo_c_max: number; madpo_c_min: number; madpo_lambda: number; madpo_tau: number };

export const madpoLoss: LossSpec<MadpoOptions> = {
  description: 'MADPO: DPO with per-pair weights from a reward-model margin (amplify hard pairs, damp easy ones)',
  paper: 'Rho, Margin Adaptive DPO, arXiv 2510.05342 (authors\' code MADPOLoss)',
  inputs: 'paired',
  needsReference: true,
  requires: ['policyChosenLogps', 'policyRejectedLogps', 'refChosenLogps', 'refRejectedLogps', 'rewardMargins'],
  defaults: { beta: 0.1, madpo_c_max: 2, madpo_c_min: 0.5, madpo_lambda: 1, madpo_tau: Math.log(0.999 / 0.001) },
  optionDocs: {
    beta: 'temperature, > 0',
    madpo_c_max: 'coefficient for the hardest pairs, >= 1 (1 = DPO)',
    madpo_c_min: 'coefficient for the easiest pairs, 0 < c_min <= 1 (1 = DPO)',
    madpo_lambda: 'steepness lambda of the transition, > 0',
    madpo_tau: 'reward margin tau where the coefficient is 1, > 0',
  },
  validate(o) {
    checkBeta('madpo', o);
    checkRange('madpo', o, 'madpo_c_max', { ge: 1 });
    checkRange('madpo', o, 'madpo_c_min', { gt: 0, le: 1 });
    checkRange('madpo', o, 'madpo_lambda', { gt: 0 });
    checkRange('madpo', o, 'madpo_tau', { gt: 0 });
  },
  fn(inputs, o) {
    const t = pairedTerms('madpo', inputs, o);
    const margins = need('madpo', inputs, 'rewardMargins'); // (B,)
    sameBatch('madpo', { rewardMargins: margins, policyChosenLogps: t.policyChosen });
    const w = noGrad(() => {
      const m = margins.detach(); // (B,)
      if (o.madpo_c_max === 1 || o.madpo_c_min === 1) return full(m.shape, 1, { dtype: m.dtype }); // (B,) all ones
      const k = (o.madpo_c_max - 1) / (1 - o.madpo_c_min);
      const gate = scale(exp(scale(sub(abs(m), o.madpo_tau), o.madpo_lambda)), k); // (B,)
      const coef = add(div(o.madpo_c_max - o.madpo_c_min, add(gate, 1)), o.madpo_c_min); // (B,)
      const ratio = div(sigmoid(mul(coef, m)), sigmoid(m)); // (B,)
      return where(gt(m, -o.madpo_tau), ratio, 1); // (B,)
    });
    const losses = mul(w, smoothedLogistic(scale(t.delta, o.beta), 0)); // (B,)
    const out = pairedOutput(losses, t);
    out.metrics = { 'madpo/weight_mean': mean(w).item() };
    return out;
  },
};
