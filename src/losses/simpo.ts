// SimPO (`simpo`) and AlphaPO (`alphapo`): reference-free, length-normalised margins.
//
// SimPO: Meng, Xia, Chen, "SimPO: Simple Preference Optimization with a Reference-Free Reward", arXiv
// 2405.14734, Eq. 6, with a_y = log pi(y) / |y| (average token log-prob):
//   L = -log sigmoid(beta (a_w - a_l) - gamma)
// As TRL's CPOTrainer: u = a_w - a_l - simpo_gamma / beta, L = -(1-eps) log sig(beta u) - eps log sig(-beta u).
// AlphaPO: Gupta et al., "AlphaPO: Reward Shape Matters for LLM Alignment", arXiv 2501.03884: reward
//   r(y) = (1 - p(y)^(-alpha)) / alpha,  p(y) = exp(a_y)   =>  r = -expm1(-alpha a_y) / alpha
// and u = r_w - r_l - gamma/beta (TRL: loss_type "alphapo" = simpo with alpha, cpo_alpha = 0).
// Design choices: `alphapo` defaults alpha = 0.25 (UNCONFIRMED: the AlphaPO paper tunes alpha per model;
// TRL's default 0 would make alphapo identical to simpo); alpha = 0 gives SimPO exactly. The exponent
// -alpha * a_y is clamped at 80 (float32). The NLL term of CPO-SimPO is `sft` in the loss_type list.
// Rewards for metrics: beta * a (beta * r for AlphaPO), as TRL logs them.
import { scale, sub, type Tensor } from '../tensor/index.js';
import { checkBeta, checkRange } from './errors.js';
import { pairedOutput, policyPair } from './paired-terms.js';
import { clampedExp, smoothedLogistic } from './stable-math.js';
import type { LossInputs, LossOutput, LossSpec } from './types.js';

type SimpoOptions = { beta: number; simpo_gamma: number; label_smoothing: number; alpha: number };

/** AlphaPO reward shape r(a) = (1 - exp(-alpha a)) / alpha; identity for alpha = 0. */
function alphaReward(a: Tensor, alpha: number): Tensor {
  if (alpha === 0) return a; // (B,)
  return scale(sub(1, clampedExp(scale(a, -alpha))), 1 / alpha); // (B,)
}

function simpo(name: string, inputs: LossInputs, o: SimpoOptions): LossOutput {
  const avg = policyPair(name, inputs, true);
  const rw = alphaReward(avg.chosen, o.alpha); // (B,)
  const rl = alphaReward(avg.rejected, o.alpha); // (B,)
  const u = sub(sub(rw, rl), o.simpo_gamma / o.beta); // (B,)
  const losses = smoothedLogistic(scale(u, o.beta), o.label_smoothing); // (B,)
  return pairedOutput(losses, { chosenRewards: scale(rw, o.beta).detach(), rejectedRewards: scale(rl, o.beta).detach() }); // (B,) each
}

const DOCS = {
  beta: 'reward scale, > 0 (TRL default 0.1; the SimPO paper uses 2-2.5)',
  simpo_gamma: 'target reward margin gamma (TRL subtracts gamma / beta inside), >= 0',
  label_smoothing: 'eps of the smoothed logistic loss, 0 <= eps <= 0.5',
  alpha: 'AlphaPO reward-shape exponent; 0 = SimPO',
};

function validate(name: string, o: SimpoOptions): void {
  checkBeta(name, o);
  checkRange(name, o, 'simpo_gamma', { ge: 0 });
  checkRange(name, o, 'label_smoothing', { ge: 0, le: 0.5 });
  checkRange(name, o, 'alpha', { ge: -10, le: 10 });
}

const REQUIRES = ['policyChosenLogps', 'policyRejectedLogps', 'chosenLengths', 'rejectedLengths'] as const;

export const simpoLoss: LossSpec<SimpoOptions> = {
  description: 'SimPO (reference-free): -log sigmoid(beta (avg logp_w - avg logp_l) - gamma)',
  paper: 'Meng, Xia, Chen, SimPO: Simple Preference Optimization with a Reference-Free Reward, arXiv 2405.14734 (Eq. 6)',
  inputs: 'paired-ref-free',
  needsReference: false,
  requires: REQUIRES,
  defaults: { beta: 0.1, simpo_gamma: 0.5, label_smoothing: 0, alpha: 0 },
  optionDocs: DOCS,
  validate: (o) => validate('simpo', o),
  fn: (inputs, o) => simpo('simpo', inputs, o),
};

export const alphapoLoss: LossSpec<SimpoOptions> = {
  description: 'AlphaPO (reference-free): SimPO with reward shape r = (1 - p^-alpha)/alpha',
  paper: 'Gupta et al., AlphaPO: Reward Shape Matters for LLM Alignment, arXiv 2501.03884',
  inputs: 'paired-ref-free',
  needsReference: false,
  requires: REQUIRES,
  defaults: { beta: 0.1, simpo_gamma: 0.5, label_smoothing: 0, alpha: 0.25 },
  optionDocs: DOCS,
  validate: (o) => validate('alphapo', o),
  fn: (inputs, o) => simpo('alphapo', inputs, o),
};

