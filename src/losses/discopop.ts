// DiscoPOP / LRML (`discopop`).
//
// Paper: Chris Lu et al., "Discovering Preference Optimization Algorithms with and for Large Language
// Models", arXiv 2406.08414, Eq. 5 (log-ratio modulated loss): with z = beta * Delta, w = sigmoid(z / tau),
//   L = (1 - w) * (-log sigmoid(z)) + w * exp(-z)
// Stable form (deviation in arithmetic only, same function): w * exp(-z) = exp(log sigmoid(z/tau) - z) and
// 1 - w = sigmoid(-z/tau), so neither term overflows for very negative z (where w -> 0, exp(-z) -> inf).
import { add, exp, logSigmoid, mul, neg, scale, sigmoid, sub } from '../tensor/index.js';
import { checkBeta, checkRange } from './errors.js';
import { F_DIVERGENCE_DEFAULTS, F_DIVERGENCE_DOCS, validateFDivergence } from './f-divergence.js';
import { pairedOutput, pairedTerms } from './paired-terms.js';
import type { LossSpec } from './types.js';

export const discopopLoss: LossSpec<{ beta: number; discopop_tau: number; f_divergence: string; f_alpha: number }> = {
  description: 'DiscoPOP / LRML: mix of logistic and exponential loss gated by sigmoid(beta Delta / tau)',
  paper: 'Lu et al., Discovering Preference Optimization Algorithms with and for LLMs, arXiv 2406.08414 (Eq. 5)',
  inputs: 'paired',
  needsReference: true,
  requires: ['policyChosenLogps', 'policyRejectedLogps', 'refChosenLogps', 'refRejectedLogps'],
  defaults: { beta: 0.1, discopop_tau: 0.05, ...F_DIVERGENCE_DEFAULTS },
  optionDocs: {
    beta: 'temperature, > 0',
    discopop_tau: 'temperature tau of the gate sigmoid(z / tau), > 0',
    ...F_DIVERGENCE_DOCS,
  },
  validate(o) {
    checkBeta('discopop', o);
    checkRange('discopop', o, 'discopop_tau', { gt: 0 });
    validateFDivergence('discopop', o);
  },
  fn(inputs, o) {
    const t = pairedTerms('discopop', inputs, o);
    const z = scale(t.delta, o.beta); // (B,)
    const gate = scale(z, 1 / o.discopop_tau); // (B,)
    const logistic = mul(sigmoid(neg(gate)), neg(logSigmoid(z))); // (B,) (1 - w) * -log sig(z)
    const exponential = exp(sub(logSigmoid(gate), z)); // (B,) w * exp(-z)
    return pairedOutput(add(logistic, exponential), t); // (B,)
  },
};
