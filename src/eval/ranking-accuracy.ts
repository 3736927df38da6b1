// Ranking accuracy and idealized ranking accuracy — Chen et al., "Preference Learning Algorithms Do
// Not Learn Preference Rankings" (arXiv 2405.19534, NeurIPS 2024).
//
// Ranking accuracy (Eq. 1):        R(x, y_w, y_l; π) = 1[ π(y_w|x) > π(y_l|x) ]
//   summed form:                   1[ log π(y_w|x) > log π(y_l|x) ]
//   length-normalised R̃:           1[ log π(y_w|x)/|y_w| > log π(y_l|x)/|y_l| ]
//   (a tie counts as wrong; dataset accuracy = the mean over pairs)
//
// Idealized ranking accuracy (Theorem 3.1, Corollary 3.3, Eq. 3): the policy that perfectly
// optimises DPO/RLHF on ground-truth Bradley–Terry preferences with rater proportion α satisfies
//   π*(y_w)/π*(y_l) = [π_ref(y_w)/π_ref(y_l)] · [α/(1−α)]^{1/β}, so
//   R*(D; π_ref, β) = mean 1[ log π_ref(y_w) − log π_ref(y_l) + (1/β) log(α/(1−α)) > 0 ]
//   R̃* uses length-normalised reference log-probs in place of the sums.
// α = 1 makes the bonus +∞ (always right), α = 0 −∞ (always wrong), α = 0.5 leaves the reference
// ranking. When the data has no per-pair α, the authors' code simulates α = 0.75.
// The paper reports R* over the β grid {0.01, 0.1, 1, 5, 10} (min / median / max).
//
// Flips (Theorem 4.1): with c = log π_ref(y_l)/π_ref(y_w), the reference misranks the pair when
// c ≥ 0; a DPO model ranks it correctly iff L_DPO ≤ −log σ(β c), so pairs with large c rarely flip.
// We count how many reference-misranked pairs the policy ranks correctly and vice versa.

import { hasRef, requireRef, type PairLogps } from './pair-logps.js';
import { mean, median } from './stats.js';

export const CHEN_BETA_GRID = [0.01, 0.1, 1, 5, 10] as const;
export const DEFAULT_RATER_ALPHA = 0.75;

export interface RankingAccuracy {
  /** 1[log π(y_w) > log π(y_l)] averaged. */
  summed: number;
  /** 1[log π(y_w)/|y_w| > log π(y_l)/|y_l|] averaged. */
  normalized: number;
}

export type Side = 'policy' | 'reference';

function logps(p: PairLogps, side: Side): [number, number] {
  if (side === 'policy') return [p.policyChosen, p.policyRejected];
  if (!hasRef(p)) throw new Error('ranking accuracy of the reference: a pair has no reference log-probs (hint: pass --ref DIR)');
  return [p.refChosen, p.refRejected];
}

/** Per-pair correctness of the ranking (summed and length-normalised). */
export function rankingCorrect(p: PairLogps, side: Side = 'policy'): { summed: boolean; normalized: boolean } {
  const [w, l] = logps(p, side);
  return { summed: w > l, normalized: w / p.chosenTokens > l / p.rejectedTokens };
}

export function rankingAccuracy(pairs: PairLogps[], side: Side = 'policy'): RankingAccuracy {
  const c = pairs.map((p) => rankingCorrect(p, side));
  return { summed: mean(c.map((x) => (x.summed ? 1 : 0))), normalized: mean(c.map((x) => (x.normalized ? 1 : 0))) };
}

/** (1/β) log(α/(1−α)), with the α = 0 and α = 1 limits. */
export function idealBonus(alpha: number, beta: number): number {
  if (!(alpha >= 0 && alpha <= 1)) throw new RangeError(`idealized ranking accuracy: alpha must be in [0, 1], got ${alpha}`);
  if (!(beta > 0)) throw new RangeError(`idealized ranking accuracy: beta must be > 0, got ${beta}`);
  if (alpha === 1) return Infinity;
  if (alpha === 0) return -Infinity;
  return Math.log(alpha / (1 - alpha)) / beta;
}

/** Per-pair correctness of the idealized policy π* (Corollary 3.3). */
export function idealizedCorrect(p: PairLogps, beta: number, defaultAlpha = DEFAULT_RATER_ALPHA): { summed: boolean; normalized: boolean } {
  const [w, l] = logps(p, 'reference');
  const bonus = idealBonus(p.alpha ?? defaultAlpha, beta);
  return { summed: w - l + bonus > 0, normalized: w / p.chosenTokens - l / p.rejectedTokens + bonus > 0 };
}

export function idealizedRankingAccuracy(pairs: PairLogps[], beta: number, defaultAlpha = DEFAULT_RATER_ALPHA): RankingAccuracy {
  requireRef(pairs, 'idealized ranking accuracy');
  const c = pairs.map((p) => idealizedCorrect(p, beta, defaultAlpha));
  return { summed: mean(c.map((x) => (x.summed ? 1 : 0))), normalized: mean(c.map((x) => (x.normalized ? 1 : 0))) };
}

export interface IdealizedOverGrid {
  betas: number[];
  summed: number[];
  normalized: number[];
  min: RankingAccuracy;
  median: RankingAccuracy;
  max: RankingAccuracy;
}

/** R* and R̃* at each β of the grid, with min / median / max (the paper's Table 1 form). */
export function idealizedOverBetaGrid(pairs: PairLogps[], betas: readonly number[] = CHEN_BETA_GRID, defaultAlpha = DEFAULT_RATER_ALPHA): IdealizedOverGrid {
  const at = betas.map((b) => idealizedRankingAccuracy(pairs, b, defaultAlpha));
  const s = at.map((a) => a.summed);
  const n = at.map((a) => a.normalized);
  return {
    betas: [...betas],
    summed: s,
    normalized: n,
    min: { summed: Math.min(...s), normalized: Math.min(...n) },
    median: { summed: median(s), normalized: median(n) },
    max: { summed: Math.max(...s), normalized: Math.max(...n) },
  };
}

export interface RankingFlips {
  /** Pairs the reference misranks (c ≥ 0, summed log-probs). */
  referenceWrong: number;
  /** ... of which the policy ranks correctly (flipped to right). */
  fixed: number;
  /** Pairs the reference ranks correctly (c < 0). */
  referenceRight: number;
  /** ... of which the policy misranks (flipped to wrong). */
  broken: number;
  /** fixed / referenceWrong (NaN when the reference is never wrong). */
  fixedShare: number;
}

/** c = log π_ref(y_l|x) − log π_ref(y_w|x) per pair (Theorem 4.1). */
export function referenceGap(p: PairLogps): number {
  const [w, l] = logps(p, 'reference');
  return l - w;
}

export function rankingFlips(pairs: PairLogps[]): RankingFlips {
  requireRef(pairs, 'ranking flips');
  let referenceWrong = 0;
  let fixed = 0;
  let broken = 0;
  for (const p of pairs) {
    const policyRight = p.policyChosen > p.policyRejected;
    if (referenceGap(p) >= 0) {
      referenceWrong++;
      if (policyRight) fixed++;
    } else if (!policyRight) {
      broken++;
    }
  }
  return { referenceWrong, fixed, referenceRight: pairs.length - referenceWrong, broken, fixedShare: referenceWrong ? fixed / referenceWrong : NaN };
}
