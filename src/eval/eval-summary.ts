// Per-example numbers -> every evaluation metric, as one JSON-ready object. Pure: no models, no
// files — evaluate.ts produces the inputs; tests feed hand-made ones. A metric whose inputs are
// missing (no reference, no reward model, no rated groups) is left out of `metrics` and named in
// `unavailable` with the reason.

import { calibration, type Calibration, type RatedGroup } from './calibration.js';
import type { ChesScore } from './ches.js';
import { implicitRewardMetrics, type ImplicitRewardMetrics } from './implicit-reward.js';
import { likelihoodDisplacement, type LikelihoodDisplacement } from './likelihood-displacement.js';
import { ensembleNoiseRate, lcpoNoiseEm, type EnsembleNoise, type LcpoEm } from './noise-rate.js';
import { hasRef, logRatioMargin, requireRef, type PairLogps } from './pair-logps.js';
import { preferenceStrength, summarizeStrength, type StrengthSummary } from './preference-strength.js';
import {
  idealizedOverBetaGrid,
  idealizedRankingAccuracy,
  rankingAccuracy,
  rankingFlips,
  type IdealizedOverGrid,
  type RankingAccuracy,
  type RankingFlips,
} from './ranking-accuracy.js';
import { meanReward, rewardModelAccuracy, winRate, type MeanReward, type RewardAccuracy, type WinRate } from './reward-metrics.js';
import { sampledKl, type SampledKl, type SampleLogps } from './sampled-kl.js';
import { sigmoid, summarize, type Summary } from './stats.js';

export interface RewardScores {
  /** r(x_i, y_w,i) and r(x_i, y_l,i) per pair, for one reward model. */
  chosen: number[];
  rejected: number[];
}

export interface SummaryInputs {
  pairs: PairLogps[];
  beta: number;
  /** Rater proportion α for idealized accuracy where a pair has none. */
  alpha: number;
  ches?: ChesScore[];
  /** One entry per reward model. */
  rewards?: RewardScores[];
  /** Log-probs of the policy's samples under policy and reference. */
  samples?: SampleLogps[];
  /** Rewards (first reward model) of the policy's and the reference's samples, prompt by prompt. */
  sampleRewards?: { policy: number[]; reference?: number[] };
  groups?: RatedGroup[];
  bootstrap?: { resamples: number; seed: number; confidence?: number };
}

type NoPosterior = Omit<LcpoEm, 'posterior'>;

export interface EvalMetrics {
  ranking_accuracy: {
    policy: RankingAccuracy;
    reference?: RankingAccuracy;
    idealized?: RankingAccuracy & { beta: number; alpha: number };
    idealized_grid?: IdealizedOverGrid;
    flips?: RankingFlips;
  };
  implicit_reward?: ImplicitRewardMetrics & { beta: number };
  likelihood_displacement?: LikelihoodDisplacement;
  sampled_kl?: SampledKl;
  reward_model?: {
    accuracy: RewardAccuracy[];
    policy_samples?: MeanReward;
    reference_samples?: MeanReward;
    win_rate?: WinRate;
  };
  ches?: { ches: Summary; ln_ches: Summary };
  preference_strength?: StrengthSummary & { source: 'reward_models' | 'implicit_reward' };
  noise?: { ensemble?: EnsembleNoise; lcpo_reward_model?: NoPosterior; lcpo_implicit_reward?: NoPosterior };
  calibration?: Calibration;
}

export interface PairRecord {
  policy_chosen: number;
  policy_rejected: number;
  chosen_tokens: number;
  rejected_tokens: number;
  ref_chosen?: number;
  ref_rejected?: number;
  /** β h: the implicit-reward margin. */
  implicit_margin?: number;
  /** r_m(y_w) − r_m(y_l), one per reward model. */
  reward_margins?: number[];
  ches?: number;
  ln_ches?: number;
  strength_mean?: number;
  strength_std?: number;
  /** LCPO posterior that the label is right (from the reward models, else the implicit reward). */
  label_posterior?: number;
}

export interface EvalSummary {
  metrics: EvalMetrics;
  unavailable: Record<string, string>;
  per_pair: PairRecord[];
}

const NEED_REF = 'needs a reference model (--ref DIR)';
const NEED_RM = 'needs a reward model (--reward-model DIR)';

function dropPosterior(e: LcpoEm): NoPosterior {
  const { posterior: _unused, ...rest } = e;
  return rest;
}

export function summarizeEvaluation(inp: SummaryInputs): EvalSummary {
  const { pairs, beta, alpha } = inp;
  const unavailable: Record<string, string> = {};
  const withRef = pairs.length > 0 && pairs.every(hasRef);
  const perPair: PairRecord[] = pairs.map((p) => ({
    policy_chosen: p.policyChosen,
    policy_rejected: p.policyRejected,
    chosen_tokens: p.chosenTokens,
    rejected_tokens: p.rejectedTokens,
    ...(hasRef(p) ? { ref_chosen: p.refChosen, ref_rejected: p.refRejected, implicit_margin: beta * logRatioMargin(p) } : {}),
  }));
  const metrics: EvalMetrics = { ranking_accuracy: { policy: rankingAccuracy(pairs) } };
  if (withRef) {
    metrics.ranking_accuracy.reference = rankingAccuracy(pairs, 'reference');
    metrics.ranking_accuracy.idealized = { ...idealizedRankingAccuracy(pairs, beta, alpha), beta, alpha };
    metrics.ranking_accuracy.idealized_grid = idealizedOverBetaGrid(pairs, undefined, alpha);
    metrics.ranking_accuracy.flips = rankingFlips(pairs);
    metrics.implicit_reward = { ...implicitRewardMetrics(pairs, beta), beta };
    metrics.likelihood_displacement = likelihoodDisplacement(pairs);
  } else {
    for (const k of ['ranking_accuracy.reference', 'ranking_accuracy.idealized', 'implicit_reward', 'likelihood_displacement']) unavailable[k] = NEED_REF;
  }

  if (inp.ches) {
    inp.ches.forEach((c, i) => Object.assign(perPair[i], { ches: c.ches, ln_ches: c.ln_ches }));
    metrics.ches = { ches: summarize(inp.ches.map((c) => c.ches)), ln_ches: summarize(inp.ches.map((c) => c.ln_ches)) };
  } else unavailable.ches = 'hidden states were not computed';

  if (inp.samples && inp.samples.length > 0) metrics.sampled_kl = sampledKl(inp.samples);
  else unavailable.sampled_kl = withRef ? 'no samples were drawn (--samples 0)' : NEED_REF;

  // Reward models: accuracy, sample rewards, win rate, preference strength, noise.
  const rewards = inp.rewards ?? [];
  const margins = pairs.map((_, i) => rewards.map((r) => r.chosen[i] - r.rejected[i]));
  if (rewards.length > 0) {
    const rm: NonNullable<EvalMetrics['reward_model']> = { accuracy: rewards.map((r) => rewardModelAccuracy(r.chosen, r.rejected)) };
    margins.forEach((m, i) => (perPair[i].reward_margins = m));
    const sr = inp.sampleRewards;
    if (sr && sr.policy.length > 0) {
      rm.policy_samples = meanReward(sr.policy);
      if (sr.reference) {
        rm.reference_samples = meanReward(sr.reference);
        rm.win_rate = winRate(sr.policy, sr.reference, inp.bootstrap);
      } else unavailable['reward_model.win_rate'] = NEED_REF;
    } else unavailable['reward_model.samples'] = 'no samples were drawn (--samples 0)';
    metrics.reward_model = rm;
  } else unavailable.reward_model = NEED_RM;

  const noise: NonNullable<EvalMetrics['noise']> = {};
  let posterior: number[] | undefined;
  if (rewards.length > 0 && pairs.length > 0) {
    const strength = preferenceStrength(margins);
    strength.forEach((s, i) => Object.assign(perPair[i], { strength_mean: s.mean, strength_std: s.std }));
    metrics.preference_strength = { ...summarizeStrength(strength, rewards.length), source: 'reward_models' };
    noise.ensemble = ensembleNoiseRate(margins);
    const em = lcpoNoiseEm(strength.map((s) => sigmoid(s.mean)));
    noise.lcpo_reward_model = dropPosterior(em);
    posterior = em.posterior;
  } else {
    unavailable['noise.ensemble'] = NEED_RM;
  }
  if (withRef) {
    const h = requireRef(pairs, 'noise').map((p) => beta * logRatioMargin(p));
    if (!metrics.preference_strength) {
      const strength = preferenceStrength(h.map((x) => [x]));
      strength.forEach((s, i) => Object.assign(perPair[i], { strength_mean: s.mean, strength_std: s.std }));
      metrics.preference_strength = { ...summarizeStrength(strength, 1), source: 'implicit_reward' };
    }
    const em = lcpoNoiseEm(h.map(sigmoid));
    noise.lcpo_implicit_reward = dropPosterior(em);
    posterior ??= em.posterior;
  } else unavailable['noise.lcpo_implicit_reward'] = NEED_REF;
  if (posterior) posterior.forEach((q, i) => (perPair[i].label_posterior = q));
  if (Object.keys(noise).length > 0) metrics.noise = noise;
  if (!metrics.preference_strength) unavailable.preference_strength = `${NEED_RM} or a reference model (--ref DIR)`;

  if (inp.groups && inp.groups.length > 0) metrics.calibration = calibration(inp.groups);
  else unavailable.calibration = 'needs rated data: ranked examples with scores, or prompts with 3 or more compared completions';
  return { metrics, unavailable, per_pair: perPair };
}
