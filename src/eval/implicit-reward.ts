// Implicit-reward metrics of a DPO-family policy, under TRL's names (DPOTrainer's logged metrics).
//
// DPO (Rafailov et al., arXiv 2305.18290) defines the implicit reward of a completion as
//     r(x, y) = β · [log πθ(y|x) − log π_ref(y|x)]            (β the DPO temperature)
// and TRL logs, as means over the evaluated pairs:
//     rewards/chosen     = mean_i β Δ_w,i
//     rewards/rejected   = mean_i β Δ_l,i
//     rewards/accuracies = mean_i 1[β Δ_w,i > β Δ_l,i]          (strict: a tie counts as wrong)
//     rewards/margins    = mean_i β (Δ_w,i − Δ_l,i) = mean_i β h_i
//     logps/chosen       = mean_i log πθ(y_w,i|x_i)
//     logps/rejected     = mean_i log πθ(y_l,i|x_i)
//     loss (sigmoid DPO) = mean_i −log σ(β h_i)
// with Δ = log πθ − log π_ref summed over completion tokens (see pair-logps.ts).

import { chosenLogRatio, logRatioMargin, rejectedLogRatio, requireRef, type PairLogps } from './pair-logps.js';
import { logSigmoid, mean } from './stats.js';

export interface ImplicitRewardMetrics {
  'rewards/chosen': number;
  'rewards/rejected': number;
  'rewards/accuracies': number;
  'rewards/margins': number;
  'logps/chosen': number;
  'logps/rejected': number;
  /** Sigmoid DPO loss at this β. */
  loss: number;
}

/** Per-pair implicit rewards β Δ_w and β Δ_l. */
export function implicitRewards(pairs: PairLogps[], beta: number): { chosen: number[]; rejected: number[] } {
  const withRef = requireRef(pairs, 'implicit rewards');
  return {
    chosen: withRef.map((p) => beta * chosenLogRatio(p)),
    rejected: withRef.map((p) => beta * rejectedLogRatio(p)),
  };
}

export function implicitRewardMetrics(pairs: PairLogps[], beta: number): ImplicitRewardMetrics {
  if (!(beta > 0)) throw new RangeError(`implicit rewards: beta must be > 0, got ${beta}`);
  const withRef = requireRef(pairs, 'implicit rewards');
  const { chosen, rejected } = implicitRewards(withRef, beta);
  return {
    'rewards/chosen': mean(chosen),
    'rewards/rejected': mean(rejected),
    'rewards/accuracies': mean(chosen.map((c, i) => (c > rejected[i] ? 1 : 0))),
    'rewards/margins': mean(chosen.map((c, i) => c - rejected[i])),
    'logps/chosen': mean(withRef.map((p) => p.policyChosen)),
    'logps/rejected': mean(withRef.map((p) => p.policyRejected)),
    loss: mean(withRef.map((p) => -logSigmoid(beta * logRatioMargin(p)))),
  };
}
