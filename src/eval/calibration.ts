// Calibration of sequence likelihood against quality scores — "Calibrating Translation Decoding with
// Quality Estimation on LLMs" (arXiv 2504.19044; code moore3930/calibrating-llm-mt,
// train_utils.get_calibration_loss). For each prompt x with L ≥ 3 rated completions y_1..y_L and
// scores q_1..q_L:
//     s_j = log πθ(y_j|x)   (summed; the length-normalised variant uses s_j / |y_j|)
//     ρ(x) = Pearson(s, q)                                    (stats.ts)
//     L_cal(x) = − mean_j z^s_j · z^q_j,  z = (v − mean(v)) / (std(v) + 1e-6), std the sample std
//              ( = −((L−1)/L) ρ(x) up to the 1e-6 )
// Reported: the mean of ρ over groups (summed and length-normalised) and the mean L_cal. Groups with
// fewer than 3 completions, or constant scores or log-probs, have no correlation: they are counted
// in `skipped`, not averaged.

import { mean, pearson, sampleStd } from './stats.js';

export interface RatedGroup {
  /** Sequence log-prob per completion (summed over its tokens). */
  logps: number[];
  /** Completion lengths in tokens. */
  tokens: number[];
  /** Quality score per completion, higher is better. */
  scores: number[];
}

export interface Calibration {
  groups: number;
  skipped: number;
  /** Mean within-group Pearson(log π, score). */
  pearson: number;
  /** Same with length-normalised log-probs. */
  pearson_normalized: number;
  /** Mean calibration loss L_cal (item 19), lower is better calibrated. */
  calibration_loss: number;
  /** Per-group correlation (NaN for skipped groups), in input order. */
  per_group: number[];
}

function zScores(v: number[]): number[] {
  const m = mean(v);
  const s = sampleStd(v);
  return v.map((x) => (x - m) / (s + 1e-6));
}

/** L_cal of one group: − mean_j z^s_j z^q_j. */
export function calibrationLoss(logps: number[], scores: number[]): number {
  const zs = zScores(logps);
  const zq = zScores(scores);
  return -mean(zs.map((z, j) => z * zq[j]));
}

export function calibration(groups: RatedGroup[]): Calibration {
  const rho: number[] = [];
  const rhoNorm: number[] = [];
  const losses: number[] = [];
  const perGroup: number[] = [];
  let skipped = 0;
  for (const g of groups) {
    if (g.logps.length !== g.scores.length || g.logps.length !== g.tokens.length) {
      throw new RangeError(`calibration: a group has ${g.logps.length} log-probs, ${g.tokens.length} lengths and ${g.scores.length} scores`);
    }
    const r = g.logps.length >= 3 ? pearson(g.logps, g.scores) : NaN;
    perGroup.push(r);
    if (Number.isNaN(r)) {
      skipped++;
      continue;
    }
    rho.push(r);
    const rn = pearson(g.logps.map((s, j) => s / g.tokens[j]), g.scores);
    if (!Number.isNaN(rn)) rhoNorm.push(rn);
    losses.push(calibrationLoss(g.logps, g.scores));
  }
  return {
    groups: groups.length,
    skipped,
    pearson: mean(rho),
    pearson_normalized: mean(rhoNorm),
    calibration_loss: mean(losses),
    per_group: perGroup,
  };
}
