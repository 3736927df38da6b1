// Metrics that need a reward model r_φ(x, y) (a *ForSequenceClassification checkpoint: the reward is
// the score head applied to the hidden state of the sequence's last non-padding token).
//
// Reward-model accuracy (Bradley–Terry RM evaluation; Ouyang et al. 2022; TRL RewardTrainer):
//     acc = mean_i 1[ r(x_i, y_w,i) > r(x_i, y_l,i) ]    over pairs whose two rewards differ;
//     ties are left out of the mean and counted (TRL's compute_accuracy does the same).
// Mean reward of the policy's own samples: mean_i r(x_i, y_i), y_i ~ πθ(·|x_i).
// Win rate against the reference's samples (AlpacaEval-style head-to-head, judged by the RM):
//     w_i = 1 if r(x_i, y^θ_i) > r(x_i, y^ref_i), 1/2 on a tie, 0 otherwise;  win_rate = mean_i w_i
// with a seeded percentile-bootstrap confidence interval over prompts (bootstrap.ts).

import { bootstrapCi, type BootstrapOptions, type ConfidenceInterval } from './bootstrap.js';
import { mean, populationStd } from './stats.js';

export interface RewardAccuracy {
  accuracy: number;
  pairs: number;
  ties: number;
  /** mean r(y_w) − r(y_l) over all pairs. */
  mean_margin: number;
}

export function rewardModelAccuracy(chosen: ArrayLike<number>, rejected: ArrayLike<number>): RewardAccuracy {
  if (chosen.length !== rejected.length) throw new RangeError(`reward accuracy: ${chosen.length} chosen rewards but ${rejected.length} rejected`);
  let right = 0;
  let ties = 0;
  const margins: number[] = [];
  for (let i = 0; i < chosen.length; i++) {
    margins.push(chosen[i] - rejected[i]);
    if (chosen[i] === rejected[i]) ties++;
    else if (chosen[i] > rejected[i]) right++;
  }
  const decided = chosen.length - ties;
  return { accuracy: decided > 0 ? right / decided : NaN, pairs: chosen.length, ties, mean_margin: mean(margins) };
}

export interface MeanReward {
  mean: number;
  std: number;
  samples: number;
}

export function meanReward(rewards: ArrayLike<number>): MeanReward {
  return { mean: mean(rewards), std: populationStd(rewards), samples: rewards.length };
}

export interface WinRate extends ConfidenceInterval {
  wins: number;
  ties: number;
  losses: number;
}

/** Head-to-head win rate of policy samples over reference samples, prompt by prompt. */
export function winRate(policy: ArrayLike<number>, reference: ArrayLike<number>, opts: BootstrapOptions = {}): WinRate {
  if (policy.length !== reference.length) throw new RangeError(`win rate: ${policy.length} policy rewards but ${reference.length} reference rewards`);
  const w = new Float64Array(policy.length);
  let wins = 0;
  let ties = 0;
  for (let i = 0; i < policy.length; i++) {
    if (policy[i] > reference[i]) {
      w[i] = 1;
      wins++;
    } else if (policy[i] === reference[i]) {
      w[i] = 0.5;
      ties++;
    }
  }
  return { ...bootstrapCi(w, opts), wins, ties, losses: policy.length - wins - ties };
}
