// Per-pair preference strength — Wang et al., "Secrets of RLHF in Large Language Models Part II:
// Reward Modeling" (arXiv 2401.06080), §2. With M reward models r_1..r_M (the paper trains 10 on
// the same data in different orders) and d_{i,m} = r_m(x_i, y_c) − r_m(x_i, y_r):
//     μ̂_i = (1/M) Σ_m d_{i,m}                       mean margin  = preference strength
//     σ̂_i = sqrt( (1/M) Σ_m (d_{i,m} − μ̂_i)² )      spread (population std, divides by M)
// The paper reads the lowest 20% of μ̂ (μ̂ < 0) as likely incorrect labels, 20–40% (μ̂ ≈ 0) as
// ambiguous, the rest as normal/strong preferences. With one model σ̂ = 0 (no spread information).

import { mean, populationStd, quantile, share } from './stats.js';

export interface PairStrength {
  mean: number;
  std: number;
}

/** margins[i][m] = d_{i,m}; every pair needs the same M ≥ 1. */
export function preferenceStrength(margins: ArrayLike<number>[]): PairStrength[] {
  return margins.map((d, i) => {
    if (d.length === 0) throw new RangeError(`preference strength: pair ${i} has no margins`);
    if (d.length !== margins[0].length) throw new RangeError(`preference strength: pair ${i} has ${d.length} margins, pair 0 has ${margins[0].length}`);
    return { mean: mean(d), std: populationStd(d) };
  });
}

export interface StrengthSummary {
  pairs: number;
  models: number;
  mean_strength: number;
  mean_spread: number;
  /** Share of pairs with μ̂ < 0 (the ensemble prefers the rejected side). */
  negative_share: number;
  /** μ̂ at the 20% and 40% quantiles: the paper's "incorrect" / "ambiguous" boundaries. */
  p20: number;
  p40: number;
  median: number;
}

export function summarizeStrength(strength: PairStrength[], models: number): StrengthSummary {
  const mu = strength.map((s) => s.mean);
  return {
    pairs: strength.length,
    models,
    mean_strength: mean(mu),
    mean_spread: mean(strength.map((s) => s.std)),
    negative_share: share(mu.map((m) => m < 0)),
    p20: quantile(mu, 0.2),
    p40: quantile(mu, 0.4),
    median: quantile(mu, 0.5),
  };
}
