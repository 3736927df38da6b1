// Seeded percentile bootstrap (Efron 1979; Efron & Tibshirani 1993, ch. 13): resample the n
// observations with replacement R times, recompute the statistic, and take the (1−c)/2 and
// (1+c)/2 quantiles of the R replicates as the c-level confidence interval. The same seed gives the
// same interval on every machine (xoshiro128** from the tensor layer).

import { Rng } from '../tensor/index.js';
import { mean, quantile } from './stats.js';

export interface BootstrapOptions {
  /** Number of resamples R (default 1000). */
  resamples?: number;
  /** Confidence level c (default 0.95). */
  confidence?: number;
  seed?: number;
}

export interface ConfidenceInterval {
  estimate: number;
  low: number;
  high: number;
  confidence: number;
  resamples: number;
  seed: number;
}

/** Percentile-bootstrap CI of statistic(values); statistic defaults to the mean. */
export function bootstrapCi(
  values: ArrayLike<number>,
  opts: BootstrapOptions = {},
  statistic: (xs: Float64Array) => number = mean,
): ConfidenceInterval {
  const resamples = opts.resamples ?? 1000;
  const confidence = opts.confidence ?? 0.95;
  const seed = opts.seed ?? 0;
  if (!(resamples >= 1 && Number.isInteger(resamples))) throw new RangeError(`bootstrap: resamples must be a positive integer, got ${resamples}`);
  if (!(confidence > 0 && confidence < 1)) throw new RangeError(`bootstrap: confidence must be in (0, 1), got ${confidence}`);
  const n = values.length;
  const data = Float64Array.from(values);
  const estimate = statistic(data);
  if (n === 0) return { estimate, low: NaN, high: NaN, confidence, resamples, seed };
  const rng = new Rng(seed);
  const reps = new Float64Array(resamples);
  const draw = new Float64Array(n);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) draw[i] = data[rng.int(n)];
    reps[r] = statistic(draw);
  }
  const tail = (1 - confidence) / 2;
  return { estimate, low: quantile(reps, tail), high: quantile(reps, 1 - tail), confidence, resamples, seed };
}
