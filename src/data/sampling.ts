// Seeded shuffling, batching and a deterministic train/eval split. The generator is SplitMix32 on a
// 32-bit seed: the same seed gives the same order on every machine and Node version.
// The split keeps all examples of one prompt on the same side (pairs built from one ranked prompt
// must not leak between train and eval): groups are shuffled with the seed and whole groups go to
// eval until it holds at least the requested share.

export type Rng = () => number;

/** SplitMix32: uniform floats in [0, 1) from a 32-bit seed. */
export function createRng(seed: number): Rng {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    z = (z ^ (z >>> 16)) >>> 0;
    return z / 4294967296;
  };
}

/** A permutation of 0..n-1 (Fisher–Yates). `epoch` gives each epoch its own order from one seed. */
export function shuffledIndices(n: number, seed: number, epoch = 0): Int32Array {
  const rng = createRng((seed ^ Math.imul(epoch + 1, 0x27d4eb2d)) >>> 0);
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = idx[i];
    idx[i] = idx[j];
    idx[j] = t;
  }
  return idx;
}

/** Consecutive slices of `order`; the last, shorter one is kept unless dropLast. */
export function batchIndices(order: ArrayLike<number>, batchSize: number, dropLast = false): Int32Array[] {
  if (!(batchSize >= 1)) throw new RangeError(`batchIndices: batchSize must be >= 1, got ${batchSize}`);
  const out: Int32Array[] = [];
  for (let i = 0; i < order.length; i += batchSize) {
    const end = Math.min(i + batchSize, order.length);
    if (end - i < batchSize && dropLast) break;
    out.push(Int32Array.from({ length: end - i }, (_, k) => order[i + k]));
  }
  return out;
}

export interface SplitOptions {
  /** Share of examples for eval, in (0, 1). */
  evalFraction?: number;
  /** Or an exact-ish count (whole groups, so possibly a little more). */
  evalSize?: number;
  seed: number;
  /** Examples with the same key stay on one side. Default: each example is its own group. */
  groupKey?: (index: number) => string;
}

export function splitTrainEval(n: number, opts: SplitOptions): { train: number[]; eval: number[] } {
  const target = opts.evalSize ?? Math.round((opts.evalFraction ?? 0) * n);
  if (opts.evalSize === undefined && !(opts.evalFraction !== undefined && opts.evalFraction > 0 && opts.evalFraction < 1)) {
    throw new RangeError(`splitTrainEval: evalFraction must be in (0, 1), got ${opts.evalFraction}`);
  }
  if (target < 0 || target > n) throw new RangeError(`splitTrainEval: evalSize ${target} is outside 0..${n}`);
  const groups = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const k = opts.groupKey ? opts.groupKey(i) : String(i);
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(i);
  }
  const keys = [...groups.keys()];
  const order = shuffledIndices(keys.length, opts.seed);
  const isEval = new Uint8Array(n);
  let count = 0;
  for (let i = 0; i < order.length && count < target; i++) {
    for (const idx of groups.get(keys[order[i]]) as number[]) {
      isEval[idx] = 1;
      count++;
    }
  }
  const train: number[] = [];
  const evalIdx: number[] = [];
  for (let i = 0; i < n; i++) (isEval[i] ? evalIdx : train).push(i);
  return { train, eval: evalIdx };
}
