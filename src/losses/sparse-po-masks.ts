// Helpers that build SparsePO's inputs from model outputs (pure tensor functions, no model access):
// - tokenKl: k_t = sum_v p_ref(v) (log p(v) - log p_ref(v)) per position, from policy and reference logits
//   (this materialises (B, T, V): for small vocabularies and tests; large models compute it chunked).
// - mapoMask: the MaPO reference-activation mask ("zn_rescale", mapo_trainer.apply_activation_mapping):
//   per sequence, z-normalise activations over completion tokens, then min-max rescale to [0, 1];
//   average over layers when given (L, B, T). Computed without gradient (the reference is frozen).
import { add, div, exp, logSoftmax, max, min, mul, noGrad, reshape, scale, slice, sqrt, square, sub, sum, type Tensor } from '../tensor/index.js';
import { LossError } from './errors.js';

/** (B, T, V) logits of policy and reference -> (B, T) token KL term (<= 0). */
export function tokenKl(policyLogits: Tensor, refLogits: Tensor): Tensor {
  const lp = logSoftmax(policyLogits); // (B, T, V)
  const lr = logSoftmax(refLogits.detach()); // (B, T, V)
  return sum(mul(exp(lr), sub(lp, lr)), 2); // (B, T)
}

/** Reference activations (B, T) or (L, B, T) and completion mask (B, T) -> mask in [0, 1] (B, T). */
export function mapoMask(activations: Tensor, completionMask: Tensor): Tensor {
  if (activations.ndim !== 2 && activations.ndim !== 3) {
    throw new LossError(`mapoMask: activations must be (B, T) or (L, B, T); got ${activations.ndim} axes`);
  }
  return noGrad(() => {
    if (activations.ndim === 2) return rescale(activations, completionMask); // (B, T)
    const [L, B, T] = activations.shape;
    let acc = rescale(reshape(slice(activations, 0, 0, 1), [B, T]), completionMask); // (B, T)
    for (let l = 1; l < L; l++) {
      acc = add(acc, rescale(reshape(slice(activations, 0, l, l + 1), [B, T]), completionMask)); // (B, T)
    }
    return scale(acc, 1 / L); // (B, T) mean over layers
  });
}

/** z-normalise over completion tokens, then min-max to [0, 1]; 0 outside the completion. */
function rescale(a: Tensor, m: Tensor): Tensor {
  const count = add(sum(m, 1, true), 1e-12); // (B, 1)
  const mu = div(sum(mul(a, m), 1, true), count); // (B, 1)
  const sd = sqrt(add(div(sum(mul(square(sub(a, mu)), m), 1, true), count), 1e-12)); // (B, 1)
  const z = div(sub(a, mu), sd); // (B, T)
  const big = 1e30;
  const lo = min(add(mul(z, m), mul(sub(1, m), big)), 1, true); // (B, 1) min over completion tokens
  const hi = max(sub(mul(z, m), mul(sub(1, m), big)), 1, true); // (B, 1)
  return mul(div(sub(z, lo), add(sub(hi, lo), 1e-12)), m); // (B, T)
}
