// Reward-model loss (`bradley_terry`).
//
// Papers: Bradley & Terry (1952); Ouyang et al., InstructGPT, arXiv 2203.02155 (Eq. 1); margin as in
// Touvron et al., Llama 2, arXiv 2307.09288 (Eq. 2); reward centring as in Eisenstein et al., "Helping or
// Herding?", arXiv 2312.09244. As TRL's RewardTrainer (trl-losses.md §7), per pair:
//   l_i = -log sigmoid(r_w - r_l - margin_i) + center_rewards_coefficient * (r_w + r_l)^2
//   L = mean_i l_i
// (TRL adds c * mean((r_w + r_l)^2) to the mean; folding it into each pair gives the same L.) margin is an
// optional per-pair input (0 when absent). Metrics as TRL: accuracy, margin, min/mean/max_reward.
import { add, concat, mean, max, min, neg, logSigmoid, scale, square, sub, gt } from '../tensor/index.js';
import { checkRange } from './errors.js';
import { need, sameBatch } from './inputs.js';
import type { LossSpec } from './types.js';

export const bradleyTerryLoss: LossSpec<{ center_rewards_coefficient: number }> = {
  description: 'Bradley-Terry reward-model loss: -log sigmoid(r_w - r_l - margin) + c (r_w + r_l)^2',
  paper: 'Ouyang et al., InstructGPT, arXiv 2203.02155 (Eq. 1); margin: Llama 2, arXiv 2307.09288; centring: Eisenstein et al., arXiv 2312.09244',
  inputs: 'reward',
  needsReference: false,
  requires: ['chosenRewards', 'rejectedRewards'],
  optional: ['margin'],
  defaults: { center_rewards_coefficient: 0 },
  optionDocs: { center_rewards_coefficient: 'weight c of the centring term c (r_w + r_l)^2, >= 0 (recommended 0.01)' },
  validate: (o) => checkRange('bradley_terry', o, 'center_rewards_coefficient', { ge: 0 }),
  fn(inputs, o) {
    const rw = need('bradley_terry', inputs, 'chosenRewards'); // (B,)
    const rl = need('bradley_terry', inputs, 'rejectedRewards'); // (B,)
    sameBatch('bradley_terry', { chosenRewards: rw, rejectedRewards: rl, margin: inputs.margin });
    const gap = sub(rw, rl); // (B,)
    const shifted = inputs.margin ? sub(gap, inputs.margin) : gap; // (B,)
    let losses = neg(logSigmoid(shifted)); // (B,)
    if (o.center_rewards_coefficient > 0) {
      losses = add(losses, scale(square(add(rw, rl)), o.center_rewards_coefficient)); // (B,)
    }
    const all = concat([rw, rl]).detach(); // (2B,)
    return {
      loss: mean(losses), // ()
      losses,
      chosenRewards: rw.detach(),
      rejectedRewards: rl.detach(),
      metrics: {
        accuracy: mean(gt(rw.detach(), rl.detach())).item(),
        margin: mean(gap.detach()).item(),
        min_reward: min(all).item(),
        mean_reward: mean(all).item(),
        max_reward: max(all).item(),
      },
    };
  },
};
