// Sampled estimate of KL(πθ ‖ π_ref) — the quantity the RLHF objective penalises
// (max E[r] − β KL(πθ‖π_ref); Ziegler et al. 2019, Ouyang et al. 2022; DPO optimises the same
// objective in closed form). With completions y_i ~ πθ(·|x_i) sampled at temperature 1 with no
// top-k/top-p filter (anything else samples another distribution), and the per-sequence log-ratio
//     ℓ_i = log πθ(y_i|x_i) − log π_ref(y_i|x_i)      (summed over the sampled tokens incl. EOS)
// the estimators are (Schulman, "Approximating KL divergence", 2020):
//     k1 = mean_i ℓ_i                                   unbiased, can be negative per sample
//     k3 = mean_i [ (e^{−ℓ_i} − 1) + ℓ_i ]              unbiased, every term ≥ 0, lower variance
// k1's standard error (sample std / √n) is reported too; per_token = Σ ℓ_i / Σ |y_i|.

import { mean, standardError } from './stats.js';

export interface SampledKl {
  samples: number;
  k1: number;
  k1_stderr: number;
  k3: number;
  /** Σ ℓ_i / Σ |y_i| (nats per sampled token). */
  per_token: number;
}

export interface SampleLogps {
  /** log πθ(y|x) of a completion sampled from πθ. */
  policy: number;
  /** log π_ref(y|x) of the same completion. */
  ref: number;
  /** Completion length in tokens. */
  tokens: number;
}

export function sampledKl(samples: SampleLogps[]): SampledKl {
  const ratios = samples.map((s) => s.policy - s.ref);
  let tokens = 0;
  for (const s of samples) tokens += s.tokens;
  return {
    samples: samples.length,
    k1: mean(ratios),
    k1_stderr: standardError(ratios),
    k3: mean(ratios.map((l) => Math.expm1(-l) + l)),
    per_token: tokens > 0 ? ratios.reduce((a, b) => a + b, 0) / tokens : NaN,
  };
}
