// Linear layer in nn.Linear layout: weight (out, in), optional bias (out), optional LoRA adapter.
import { add, linear, Rng, Tensor } from '../tensor/index.js';
import { constantParam, normalParam } from './init.js';
import { applyLoraDelta, type LoraAdapter } from './lora.js';

export interface LinearParams {
  weight: Tensor;
  bias?: Tensor | null;
  /** Low-rank adapter added to the output (see lora.ts). */
  lora?: LoraAdapter | null;
}

export function createLinear(inFeatures: number, outFeatures: number, rng: Rng, opts: { bias?: boolean; std?: number } = {}): LinearParams {
  const std = opts.std ?? 1 / Math.sqrt(inFeatures);
  return {
    weight: normalParam([outFeatures, inFeatures], std, rng),
    bias: opts.bias ? constantParam([outFeatures], 0) : null,
  };
}

/** x (..., in) -> (..., out) */
export function applyLinear(p: LinearParams, x: Tensor): Tensor {
  const y = linear(x, p.weight, p.bias); // (..., out)
  return p.lora && p.lora.enabled ? add(y, applyLoraDelta(p.lora, x)) : y;
}
