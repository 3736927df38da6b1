// LoRA (Hu et al., 2021): y = x W^T + (alpha / r) * dropout(x) A^T B^T with A (r, in), B (out, r).
// B starts at zero, so a fresh adapter leaves the model unchanged. PEFT's layout and names.
import { linear, mul, Rng, scale, Tensor, tensor, zeros } from '../tensor/index.js';

export interface LoraAdapter {
  a: Tensor; // (r, in)
  b: Tensor; // (out, r)
  rank: number;
  alpha: number;
  dropout: number;
  /** Seeded generator for dropout masks (training only). */
  rng: Rng;
  /** Apply dropout (training) or not (evaluation). */
  training: boolean;
  /** false turns the adapter off (the base model, e.g. as the DPO reference). */
  enabled: boolean;
}

export interface LoraOptions {
  rank: number;
  alpha: number;
  dropout?: number;
  seed?: number;
}

/** A fresh adapter for a (out, in) weight: A ~ kaiming-uniform-like N(0, 1/in), B = 0 (as PEFT). */
export function createLora(outFeatures: number, inFeatures: number, opts: LoraOptions): LoraAdapter {
  if (!Number.isInteger(opts.rank) || opts.rank <= 0) throw new Error(`lora: rank must be a positive integer, got ${opts.rank}`);
  if (opts.dropout !== undefined && (opts.dropout < 0 || opts.dropout >= 1)) {
    throw new Error(`lora: dropout must be in [0, 1), got ${opts.dropout}`);
  }
  const rng = new Rng(opts.seed ?? 0);
  const bound = 1 / Math.sqrt(inFeatures);
  const a = tensor(Array.from({ length: opts.rank * inFeatures }, () => (2 * rng.uniform() - 1) * bound), [opts.rank, inFeatures], { requiresGrad: true });
  const b = zeros([outFeatures, opts.rank], { requiresGrad: true });
  return { a, b, rank: opts.rank, alpha: opts.alpha, dropout: opts.dropout ?? 0, rng, training: true, enabled: true };
}

/** (alpha / r) * dropout(x) A^T B^T: x (..., in) -> (..., out). */
export function applyLoraDelta(l: LoraAdapter, x: Tensor): Tensor {
  let h = x;
  if (l.training && l.dropout > 0) {
    const keep = 1 - l.dropout;
    const m = new Float32Array(x.size);
    for (let i = 0; i < m.length; i++) m[i] = l.rng.uniform() < keep ? 1 / keep : 0;
    h = mul(x, new Tensor(m, x.shape));
  }
  return scale(linear(linear(h, l.a), l.b), l.alpha / l.rank); // (..., out)
}

/** W + (alpha / r) B A, as a new (out, in) array (for merging into the base weight). */
export function mergedWeight(weight: Tensor, l: LoraAdapter): Float32Array {
  const [out, inF] = weight.shape;
  const s = l.alpha / l.rank;
  const merged = new Float32Array(weight.size);
  for (let o = 0; o < out; o++) {
    for (let i = 0; i < inF; i++) {
      let d = 0;
      for (let r = 0; r < l.rank; r++) d += l.b.data[o * l.rank + r] * l.a.data[r * inF + i];
      merged[o * inF + i] = weight.data[o * inF + i] + s * d;
    }
  }
  return merged;
}
