// Parameter initialisation, seeded.
import { full, randn, Rng, Tensor } from '../tensor/index.js';

/** Normal(0, std) weights, trainable. */
export function normalParam(shape: number[], std: number, rng: Rng): Tensor {
  return randn(shape, { rng, std, requiresGrad: true });
}

export function constantParam(shape: number[], value: number): Tensor {
  return full(shape, value, { requiresGrad: true });
}
