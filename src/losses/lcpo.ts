// LCPO: EM noise-aware weighting wrapped around any pairwise loss (`lcpo`).
//
// Paper: Cao et al., "Latent Collective Preference Optimization" (v1 "Robust Preference Optimization",
// v3 "RE-PO"), arXiv 2509.24159. The full equations were not available; this is the standard EM reading of
// the described model (methods.md §7, exact forms UNCONFIRMED). A latent z_i says whether label i is right;
// eta = P(label right) is the annotators' reliability. The base loss L turns into a probability of each
// ordering by a Gibbs form:
//   p_i = exp(-L(y_w > y_l)) / (exp(-L(y_w > y_l)) + exp(-L(y_l > y_w))) = sigmoid(L_l - L_w)
//         (for DPO this is exactly sigmoid(beta h))
//   E-step: q_i = eta p_i / (eta p_i + (1 - eta)(1 - p_i))            (no gradient)
//   M-step: L_i = q_i L(y_w > y_l) + (1 - q_i) L(y_l > y_w)           (lcpo_flip_term = true)
//           L_i = q_i L(y_w > y_l)                                     (lcpo_flip_term = false, pure re-weighting)
//   eta update (by the trainer): eta <- m eta + (1 - m) mean(q)  — `updateLcpoEta`, fed by metric lcpo/q_mean.
// Design choices: flip term on by default (soft-label reading); eta is an option (the trainer's current
// estimate), default 0.9 (UNCONFIRMED). Special case: eta = 1 gives q = 1: the base loss exactly.
// Base losses: any per-pair aligned pairwise loss (not sft, aot, aot_unpaired, bco, nor another wrapper).
import { add, div, mean, mul, noGrad, scale, sigmoid, sub } from '../tensor/index.js';
import { BASE_LOSS_OPTION, runBase } from './base-loss.js';
import { checkRange } from './errors.js';
import { swapChosenRejected } from './swap.js';
import type { LossOptions, LossSpec } from './types.js';

type LcpoOptions = { base_loss: string; lcpo_eta: number; lcpo_flip_term: boolean };

export const lcpoLoss: LossSpec<LcpoOptions> = {
  description: 'LCPO: EM noise-aware soft labels q = P(label right | model) around any pairwise loss',
  paper: 'Cao et al., Latent Collective Preference Optimization, arXiv 2509.24159 (EM form UNCONFIRMED)',
  inputs: 'paired',
  needsReference: false,
  requires: [],
  defaults: { base_loss: 'sigmoid', lcpo_eta: 0.9, lcpo_flip_term: true },
  optionDocs: {
    base_loss: 'the pairwise loss to wrap (any paired loss except sft, aot, aot_unpaired, bco); its options apply too',
    lcpo_eta: 'current label reliability eta = P(label correct), 0.5 < eta <= 1 (1 = base loss)',
    lcpo_flip_term: 'true: q L(w>l) + (1-q) L(l>w); false: q L(w>l)',
  },
  baseLossOption: BASE_LOSS_OPTION,
  validate(o) {
    checkRange('lcpo', o, 'lcpo_eta', { gt: 0.5, le: 1, hint: 'below 0.5 the labels would be mostly wrong' });
  },
  fn(inputs, o) {
    const base = o as unknown as LossOptions;
    const forward = runBase('lcpo', inputs, base);
    const flipped = runBase('lcpo', swapChosenRejected(inputs), base);
    const q = noGrad(() => {
      const p = sigmoid(sub(flipped.losses, forward.losses)); // (B,) P(y_w > y_l) under the model
      const num = scale(p, o.lcpo_eta); // (B,)
      return div(num, add(num, scale(sub(1, p), 1 - o.lcpo_eta))); // (B,)
    });
    let losses = mul(q, forward.losses); // (B,)
    if (o.lcpo_flip_term) losses = add(losses, mul(sub(1, q), flipped.losses)); // (B,)
    return {
      loss: mean(losses), // ()
      losses,
      chosenRewards: forward.chosenRewards,
      rejectedRewards: forward.rejectedRewards,
      metrics: { ...forward.metrics, 'lcpo/q_mean': mean(q).item(), 'lcpo/eta': o.lcpo_eta },
    };
  },
};

/** The M-step for the reliability: exponential moving average of the batch mean of q. */
export function updateLcpoEta(eta: number, qMean: number, momentum = 0.9): number {
  return momentum * eta + (1 - momentum) * qMean;
}
