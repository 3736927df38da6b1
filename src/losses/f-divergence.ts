// f-divergence score transforms for DPO-family losses.
//
// Paper: Wang, Jiang, Yang, Liu, Chen, "Beyond Reverse KL: Generalizing Direct Preference Optimization
// with Diverse Divergence Constraints" (f-DPO), arXiv 2309.16240. Implemented as TRL 1.x does
// (trl-losses.md §0.1): the log-ratio rho = log pi(y) - log pi_ref(y) of each response is mapped to a score
//   reverse_kl        g(rho) = rho                                   (standard DPO)
//   forward_kl        g(rho) = -exp(-rho)
//   js_divergence     g(rho) = log sigmoid(rho)
//   alpha_divergence  g(rho) = exp((a - 1) rho) / (a - 1), a = f_alpha; rho itself if |a - 1| < 1e-6
// and the losses use Delta = g(rho_w) - g(rho_l) (and g(rho) wherever TRL uses per-response scores).
// Deviations: the exponent of forward_kl is clamped at 80 like TRL's alpha_divergence, so float32 never
// overflows (TRL leaves forward_kl unclamped). Squared losses of these scores (ipo, sppo_hard) still overflow
// float32 past |score| ~ 1.8e19 (rho < -44 with forward_kl), as in TRL. TRL 0.x used a = 1 - f_alpha; we
// follow 1.x and the golden file.
// Option names: `f_divergence` and `f_alpha` (golden file); TRL's `f_divergence_type` and
// `f_alpha_divergence_coef` are accepted as aliases by the registry.
import { logSigmoid, neg, scale, type Tensor } from '../tensor/index.js';
import { checkChoice, checkRange, LossError } from './errors.js';
import { clampedExp } from './stable-math.js';
import type { LossOptions } from './types.js';

export const F_DIVERGENCES = ['reverse_kl', 'forward_kl', 'js_divergence', 'alpha_divergence'] as const;
export type FDivergence = (typeof F_DIVERGENCES)[number];

export const F_DIVERGENCE_DEFAULTS = { f_divergence: 'reverse_kl', f_alpha: 0.5 };

export const F_DIVERGENCE_DOCS = {
  f_divergence: `score transform g(rho): ${F_DIVERGENCES.join(' | ')} (TRL f_divergence_type)`,
  f_alpha: 'alpha of alpha_divergence, g = exp((a-1) rho)/(a-1); finite (TRL f_alpha_divergence_coef)',
};

export function validateFDivergence(loss: string, options: LossOptions): void {
  checkChoice(loss, options, 'f_divergence', F_DIVERGENCES);
  checkRange(loss, options, 'f_alpha', {});
}

/** g(rho) elementwise, (B,) -> (B,). */
export function fScore(rho: Tensor, kind: string, alpha: number): Tensor {
  switch (kind as FDivergence) {
    case 'reverse_kl':
      return rho; // (B,)
    case 'forward_kl':
      return neg(clampedExp(neg(rho))); // (B,)
    case 'js_divergence':
      return logSigmoid(rho); // (B,)
    case 'alpha_divergence':
      if (Math.abs(alpha - 1) < 1e-6) return rho; // (B,)
      return scale(clampedExp(scale(rho, alpha - 1)), 1 / (alpha - 1)); // (B,)
    default:
      throw new LossError(`f_divergence = ${JSON.stringify(kind)} is not valid; expected one of: ${F_DIVERGENCES.join(', ')}`);
  }
}
