// Reward-model step: Bradley-Terry (or any registered reward loss) on the scores of chosen and
// rejected rows from the backbone + score head; per-pair margins when the data has them, reward
// centring through the loss option center_rewards_coefficient. Metrics: TRL's accuracy / margin /
// min,mean,max_reward plus rewards/chosen, rewards/rejected, rewards/accuracies, rewards/margins.
import * as T from '../../tensor/index.js';
import { computeLoss, type ResolvedLossConfig } from '../../losses/index.js';
import type { StepFn } from '../types.js';
import type { PairStepBatch } from './preference-step.js';
import { realTokens, rewardScores } from './forward.js';

export function rewardStep(loss: ResolvedLossConfig): StepFn<PairStepBatch> {
  return ({ pairs }, ctx) => {
    const B = pairs.pairs;
    const scores = rewardScores(ctx.model, pairs); // (2B,)
    const out = computeLoss(loss, {
      chosenRewards: T.slice(scores, 0, 0, B), // (B,)
      rejectedRewards: T.slice(scores, 0, B), // (B,)
      ...(pairs.margin ? { margin: T.tensor(Array.from(pairs.margin)) } : {}), // (B,)
    });
    return { loss: out.loss, metrics: out.metrics, tokens: realTokens(pairs) };
  };
}
