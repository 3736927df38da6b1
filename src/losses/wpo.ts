// WPO weighting (`use_weighting`): reweights every per-pair loss by how likely the pair is under the policy.
//
// Paper: Zhou et al., "WPO: Enhancing RLHF with Weighted Preference Optimization", arXiv 2406.11827.
// As TRL 1.x (trl-losses.md §1.1), per sequence, with z_t the policy logits at completion token t:
//   log_denom_t = logsumexp(2 z_t) - 2 logsumexp(z_t)          (= log sum_v p_v^2)
//   w(y) = exp( sum_t m_t (log p_t - log_denom_t) / |y| )
//   W_i = w(y_w,i) * w(y_l,i)          (detached; multiplies l_k(i) for every loss type)
// Inputs: per-token policy log-probs, completion masks and per-token log_denom (computed by the log-prob layer
// next to the log-probs, or by `wpoTokenLogDenom` from logits for small vocabularies). Refused with aot and
// aot_unpaired (their per-example losses are in sorted order). TRL 0.28 used clamp(exp(.), max=1) instead.
import { clamp, div, exp, logsumexp, mul, noGrad, scale, sub, sum, type Tensor } from '../tensor/index.js';
import { LossError } from './errors.js';
import { expectShape, need } from './inputs.js';
import type { LossInputs } from './types.js';

function sequenceWeight(logps: Tensor, mask: Tensor, logDenom: Tensor): Tensor {
  const len = clamp(sum(mask, 1), 1); // (B,) |y| >= 1
  return exp(div(sum(mul(mask, sub(logps, logDenom)), 1), len)); // (B,)
}

/** W (B,) = w(y_w) * w(y_l), detached. */
export function wpoWeights(inputs: LossInputs): Tensor {
  return noGrad(() => {
    const sides = (['Chosen', 'Rejected'] as const).map((C) => {
      const lower = C === 'Chosen' ? 'chosen' : 'rejected';
      const logps = need('use_weighting', inputs, `policy${C}TokenLogps`); // (B, T)
      const mask = need('use_weighting', inputs, `${lower}Mask`); // (B, T)
      const denom = need('use_weighting', inputs, `${lower}TokenLogDenom`); // (B, T)
      expectShape('use_weighting', `${lower}Mask`, mask, logps.shape);
      expectShape('use_weighting', `${lower}TokenLogDenom`, denom, logps.shape);
      return sequenceWeight(logps.detach(), mask, denom); // (B,)
    });
    if (sides[0].shape[0] !== sides[1].shape[0]) {
      throw new LossError('use_weighting: chosen and rejected token inputs have different batch sizes');
    }
    return mul(sides[0], sides[1]); // (B,)
  });
}

/** log sum_v p_v^2 per position from logits (B, T, V) -> (B, T), detached. */
export function wpoTokenLogDenom(logits: Tensor): Tensor {
  return noGrad(() => sub(logsumexp(scale(logits, 2), -1), scale(logsumexp(logits, -1), 2))); // (B, T)
}
