// BCO: `bco_pair` (TRL DPOTrainer, no reward shift) and `bco` (BCOTrainer, running reward shift delta).
//
// Paper: Jung et al., "Binary Classifier Optimization for Large Language Model Alignment", arXiv 2404.04656:
// train a binary classifier whose logit is the implicit reward r = beta * rho, chosen as class 1 and
// rejected as class 0, with a reward shift delta (running mean of the rewards):
//   L = -log sigmoid(r_w - delta) - log sigmoid(-(r_l - delta))
// bco_pair (TRL 1.x): delta = 0 and r = beta * g(rho) (f-divergence scores).
// bco: delta = the running mean of cat(r_w, r_l) kept by the trainer (TRL RunningMoments, saved as
// running.json), passed as input `rewardShift`. Design choice: if rewardShift is absent, delta is the
// detached mean of this batch's rewards, which is what the running mean holds after its first update.
// Output metric `bco/reward_mean` (and `bco/reward_count`) feed `updateRunningMoments` for the next step.
// Not implemented: BCO's optional UDM density-ratio weights (need a prompt classifier; pass them as
// per-example `weights` instead).
import { add, concat, logSigmoid, mean, neg, noGrad, scale, sub, tensor } from '../tensor/index.js';
import { checkBeta } from './errors.js';
import { F_DIVERGENCE_DEFAULTS, F_DIVERGENCE_DOCS, validateFDivergence } from './f-divergence.js';
import { scalarValue } from './inputs.js';
import { pairedOutput, pairedTerms } from './paired-terms.js';
import type { LossInputs, LossOutput, LossSpec } from './types.js';

type BcoOptions = { beta: number; f_divergence: string; f_alpha: number };

function bco(name: string, inputs: LossInputs, o: BcoOptions, shift: boolean): LossOutput {
  const t = pairedTerms(name, inputs, o);
  const rw = scale(t.chosenScores, o.beta); // (B,)
  const rl = scale(t.rejectedScores, o.beta); // (B,)
  const batchMean = noGrad(() => mean(concat([rw, rl])).item());
  const delta = !shift ? 0 : inputs.rewardShift ? scalarValue(name, 'rewardShift', inputs.rewardShift) : batchMean;
  const losses = add(neg(logSigmoid(sub(rw, delta))), neg(logSigmoid(neg(sub(rl, delta))))); // (B,)
  const out = pairedOutput(losses, t);
  if (shift) out.metrics = { 'bco/delta': delta, 'bco/reward_mean': batchMean, 'bco/reward_count': 2 * rw.shape[0] };
  return out;
}

const REQUIRES = ['policyChosenLogps', 'policyRejectedLogps', 'refChosenLogps', 'refRejectedLogps'] as const;

export const bcoPairLoss: LossSpec<BcoOptions> = {
  description: 'BCO (pairwise, no shift): -log sig(beta s_w) - log sig(-beta s_l)',
  paper: 'Jung et al., Binary Classifier Optimization for Large Language Model Alignment, arXiv 2404.04656',
  inputs: 'paired',
  needsReference: true,
  requires: REQUIRES,
  defaults: { beta: 0.1, ...F_DIVERGENCE_DEFAULTS },
  optionDocs: { beta: 'temperature, > 0', ...F_DIVERGENCE_DOCS },
  validate(o) {
    checkBeta('bco_pair', o);
    validateFDivergence('bco_pair', o);
  },
  fn: (inputs, o) => bco('bco_pair', inputs, o, false),
};

export const bcoLoss: LossSpec<BcoOptions> = {
  description: 'BCO with running reward shift: -log sig(r_w - delta) - log sig(delta - r_l)',
  paper: 'Jung et al., Binary Classifier Optimization for Large Language Model Alignment, arXiv 2404.04656 (TRL BCOTrainer)',
  inputs: 'paired',
  needsReference: true,
  requires: REQUIRES,
  optional: ['rewardShift'],
  defaults: { beta: 0.1, ...F_DIVERGENCE_DEFAULTS },
  optionDocs: { beta: 'temperature, > 0', ...F_DIVERGENCE_DOCS },
  validate(o) {
    checkBeta('bco', o);
    validateFDivergence('bco', o);
  },
  fn: (inputs, o) => bco('bco', inputs, o, true),
};

/** Running mean / variance of the BCO rewards (TRL RunningMoments), a pure state update. */
export interface RunningMoments {
  mean: number;
  variance: number;
  count: number;
}

export function initRunningMoments(): RunningMoments {
  return { mean: 0, variance: 1, count: 1e-24 };
}

/** Parallel-Welford combine of the running state with a batch (mean, variance, count). */
export function updateRunningMoments(s: RunningMoments, batchMean: number, batchVariance: number, batchCount: number): RunningMoments {
  const total = s.count + batchCount;
  const d = batchMean - s.mean;
  const m2 = s.variance * s.count + batchVariance * batchCount + (d * d * s.count * batchCount) / total;
  return { mean: s.mean + (d * batchCount) / total, variance: m2 / total, count: total };
}

/** The reward shift as a tensor input. */
export function rewardShiftInput(s: RunningMoments): LossInputs['rewardShift'] {
  return tensor([s.mean]); // (1,)
}
