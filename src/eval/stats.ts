// Descriptive statistics over plain number arrays (float64), shared by the evaluation metrics:
// means, standard deviations, quantiles, Pearson correlation, histograms and the logistic function.
// Empty inputs give NaN (never a thrown error): a report shows "n/a" for them.

export function mean(xs: ArrayLike<number>): number {
  if (xs.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s / xs.length;
}

/** sqrt( (1/n) Σ (x - mean)² ) — the population (biased) standard deviation. */
export function populationStd(xs: ArrayLike<number>): number {
  if (xs.length === 0) return NaN;
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i] - m) ** 2;
  return Math.sqrt(s / xs.length);
}

/** sqrt( (1/(n-1)) Σ (x - mean)² ) — the sample (unbiased-variance) standard deviation; NaN for n < 2. */
export function sampleStd(xs: ArrayLike<number>): number {
  if (xs.length < 2) return NaN;
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += (xs[i] - m) ** 2;
  return Math.sqrt(s / (xs.length - 1));
}

/** Standard error of the mean: sampleStd / sqrt(n). */
export function standardError(xs: ArrayLike<number>): number {
  return sampleStd(xs) / Math.sqrt(xs.length);
}

/** Quantile q in [0, 1] with linear interpolation between order statistics (R type 7, numpy default). */
export function quantile(xs: ArrayLike<number>, q: number): number {
  if (xs.length === 0) return NaN;
  const sorted = Float64Array.from(xs).sort();
  const pos = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function median(xs: ArrayLike<number>): number {
  return quantile(xs, 0.5);
}

/** Share of entries that are true (1) — the mean of an indicator; NaN when empty. */
export function share(flags: ArrayLike<boolean>): number {
  if (flags.length === 0) return NaN;
  let k = 0;
  for (let i = 0; i < flags.length; i++) if (flags[i]) k++;
  return k / flags.length;
}

/**
 * Pearson correlation  ρ = Σ (x - x̄)(y - ȳ) / sqrt( Σ (x - x̄)² · Σ (y - ȳ)² );
 * NaN when either side is constant or fewer than 2 points.
 */
export function pearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  if (x.length !== y.length) throw new RangeError(`pearson: ${x.length} x values but ${y.length} y values`);
  if (x.length < 2) return NaN;
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return NaN;
  return sxy / Math.sqrt(sxx * syy);
}

/** σ(z) = 1 / (1 + e^-z), evaluated without overflow. */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** log σ(z) = -softplus(-z), stable for large |z|. */
export function logSigmoid(z: number): number {
  return z >= 0 ? -Math.log1p(Math.exp(-z)) : z - Math.log1p(Math.exp(z));
}

export interface Histogram {
  /** bins + 1 edges, ascending. */
  edges: number[];
  counts: number[];
}

/**
 * Equal-width histogram. Values equal to the last edge fall in the last bin; non-finite values are
 * left out. min/max default to the data range (widened by 0.5 when the data is constant).
 */
export function histogram(values: ArrayLike<number>, bins = 20, min?: number, max?: number): Histogram {
  const finite = Array.from(values).filter(Number.isFinite);
  let lo = min ?? (finite.length ? Math.min(...finite) : 0);
  let hi = max ?? (finite.length ? Math.max(...finite) : 1);
  if (hi <= lo) {
    lo -= 0.5;
    hi += 0.5;
  }
  const width = (hi - lo) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => lo + i * width);
  const counts = new Array<number>(bins).fill(0);
  for (const v of finite) {
    if (v < lo || v > hi) continue;
    counts[Math.min(bins - 1, Math.floor((v - lo) / width))]++;
  }
  return { edges, counts };
}

/** A compact distribution summary for reports. */
export interface Summary {
  n: number;
  mean: number;
  std: number;
  min: number;
  p10: number;
  median: number;
  p90: number;
  max: number;
}

export function summarize(xs: ArrayLike<number>): Summary {
  return {
    n: xs.length,
    mean: mean(xs),
    std: populationStd(xs),
    min: quantile(xs, 0),
    p10: quantile(xs, 0.1),
    median: median(xs),
    p90: quantile(xs, 0.9),
    max: quantile(xs, 1),
  };
}
