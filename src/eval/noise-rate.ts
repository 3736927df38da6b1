// Label-noise rate of a preference dataset, two ways.
//
// 1. Reward-model ensemble (Wang et al., Secrets of RLHF Part II, arXiv 2401.06080): a pair whose
//    ensemble-mean margin μ̂_i (preference-strength.ts) is negative is taken as mislabeled:
//        noise_mean_margin = mean_i 1[μ̂_i < 0]
//    and, as a vote-based variant, the share of pairs where a strict majority of the M models
//    prefers the rejected response:  noise_majority = mean_i 1[ #{m : d_{i,m} < 0} > M/2 ].
//
// 2. LCPO's EM (Cao et al., "Latent Collective Preference Optimization", arXiv 2509.24159; the
//    standard EM instantiation of the model described there — exact paper equations unconfirmed).
//    Latent z_i = "label i is correct", P(z_i = 1) = η; the model's probability that the observed
//    order is right is p_i (for DPO p_i = σ(β h_i); for a reward model p_i = σ(r_w − r_l)). Then
//        E-step:  q_i = η p_i / [ η p_i + (1 − η)(1 − p_i) ]
//        M-step:  η ← mean_i q_i
//    iterated to a fixed point (with p fixed this is EM for a two-component mixture weight: it
//    climbs Σ_i log(η p_i + (1 − η)(1 − p_i)), which is concave in η, to its maximum). The noise
//    estimate is 1 − η; q_i is each pair's posterior probability of being correctly labeled.

import { mean, share } from './stats.js';

export interface EnsembleNoise {
  noise_mean_margin: number;
  noise_majority: number;
  pairs: number;
  models: number;
}

/** margins[i][m] = r_m(x_i, y_w) − r_m(x_i, y_l). */
export function ensembleNoiseRate(margins: ArrayLike<number>[]): EnsembleNoise {
  const models = margins[0]?.length ?? 0;
  const mu = margins.map((d) => mean(d));
  const against = margins.map((d) => {
    let k = 0;
    for (let m = 0; m < d.length; m++) if (d[m] < 0) k++;
    return k > d.length / 2;
  });
  return { noise_mean_margin: share(mu.map((m) => m < 0)), noise_majority: share(against), pairs: margins.length, models };
}

export interface LcpoEmOptions {
  /** Initial reliability η₀ (default 0.9). */
  init?: number;
  /** Stop when |η_{k+1} − η_k| < tol (default 1e-12). */
  tol?: number;
  maxIter?: number;
}

export interface LcpoEm {
  /** Estimated reliability η = P(label correct). */
  reliability: number;
  /** 1 − η. */
  noise_rate: number;
  iterations: number;
  converged: boolean;
  /** Posterior q_i per pair. */
  posterior: number[];
}

export function lcpoNoiseEm(p: ArrayLike<number>, opts: LcpoEmOptions = {}): LcpoEm {
  const tol = opts.tol ?? 1e-12;
  const maxIter = opts.maxIter ?? 20000;
  let eta = opts.init ?? 0.9;
  if (!(eta > 0 && eta < 1)) throw new RangeError(`LCPO EM: initial reliability must be in (0, 1), got ${eta}`);
  for (let i = 0; i < p.length; i++) {
    if (!(p[i] >= 0 && p[i] <= 1)) throw new RangeError(`LCPO EM: p[${i}] = ${p[i]} is not a probability`);
  }
  const posterior = (e: number): number[] =>
    Array.from(p, (pi) => {
      const right = e * pi;
      const wrong = (1 - e) * (1 - pi);
      return right + wrong > 0 ? right / (right + wrong) : e;
    });
  let iterations = 0;
  let converged = p.length === 0;
  while (!converged && iterations < maxIter) {
    const next = mean(posterior(eta));
    iterations++;
    converged = Math.abs(next - eta) < tol;
    eta = next;
  }
  return { reliability: eta, noise_rate: 1 - eta, iterations, converged, posterior: posterior(eta) };
}
