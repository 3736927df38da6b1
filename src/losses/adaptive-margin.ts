// Reward-model loss with an adaptive margin from ensemble preference strength (`adaptive_margin`).
//
// Paper: Wang et al., "Secrets of RLHF in Large Language Models Part II: Reward Modeling", arXiv 2401.06080,
// §2-3. M reward models trained with different seeds give d_{i,m} = r_m(y_c) - r_m(y_r); the preference
// strength of pair i is mu_i = mean_m d_{i,m} (sigma_i = population std, reported as a metric).
//   z_i = r_c - r_r - margin_scale * mu_i                     (adaptive margin, inside the sigmoid)
//   l_i = -(1 - eps_i) log sigmoid(z_i) - eps_i log sigmoid(-z_i),   eps_i = label_smoothing if mu_i < 0 else 0
// i.e. the "Soft Label + Margin" recipe (label smoothing only on pairs the ensemble thinks are mislabelled).
// UNCONFIRMED: the placement of mu (the OCR'd Eq. 6 puts it outside sigma; inside, as Llama 2's margin loss, is
// the standard reading, used here) and the smoothing value. The "Flip" recipe is a data step (swap pairs with
// mu < 0); see `preferenceStrength`. Input `margin` (B,) may replace ensembleMargins with precomputed mu.
// Special case: mu = 0 for all pairs gives Bradley-Terry without margin.
import { add, logSigmoid, lt, mean, mul, neg, scale, sqrt, square, sub, type Tensor } from '../tensor/index.js';
import { checkRange, LossError } from './errors.js';
import { expectShape, need, sameBatch } from './inputs.js';
import type { LossSpec } from './types.js';

/** Mean and population standard deviation over the ensemble axis: (B, M) -> (B,), (B,). */
export function preferenceStrength(ensembleMargins: Tensor): { mean: Tensor; std: Tensor } {
  const mu = mean(ensembleMargins, 1); // (B,)
  const centred = sub(ensembleMargins, mean(ensembleMargins, 1, true)); // (B, M)
  return { mean: mu, std: sqrt(mean(square(centred), 1)) }; // (B,), (B,)
}

export const adaptiveMarginLoss: LossSpec<{ margin_scale: number; label_smoothing: number }> = {
  description: 'RM loss with adaptive margin = ensemble preference strength; label smoothing on pairs with mu < 0',
  paper: 'Wang et al., Secrets of RLHF in Large Language Models Part II: Reward Modeling, arXiv 2401.06080',
  inputs: 'reward',
  needsReference: false,
  requires: ['chosenRewards', 'rejectedRewards'],
  optional: ['ensembleMargins', 'margin'],
  defaults: { margin_scale: 1, label_smoothing: 0 },
  optionDocs: {
    margin_scale: 'multiplier of the preference strength used as margin, >= 0',
    label_smoothing: 'smoothing alpha applied to pairs whose strength mu < 0, 0 <= alpha <= 0.5',
  },
  validate(o) {
    checkRange('adaptive_margin', o, 'margin_scale', { ge: 0 });
    checkRange('adaptive_margin', o, 'label_smoothing', { ge: 0, le: 0.5 });
  },
  fn(inputs, o) {
    const rc = need('adaptive_margin', inputs, 'chosenRewards'); // (B,)
    const rr = need('adaptive_margin', inputs, 'rejectedRewards'); // (B,)
    const B = sameBatch('adaptive_margin', { chosenRewards: rc, rejectedRewards: rr, margin: inputs.margin });
    let mu: Tensor;
    const metrics: Record<string, number> = {};
    if (inputs.ensembleMargins) {
      expectShape('adaptive_margin', 'ensembleMargins', inputs.ensembleMargins, [B, inputs.ensembleMargins.shape[1] ?? 0]);
      const st = preferenceStrength(inputs.ensembleMargins.detach());
      mu = st.mean; // (B,)
      metrics['strength/std'] = mean(st.std).item();
    } else if (inputs.margin) {
      mu = inputs.margin.detach(); // (B,)
    } else {
      throw new LossError("loss 'adaptive_margin': needs the preference strength: pass ensembleMargins (B, M) or margin (B,)", 'adaptive_margin');
    }
    metrics['strength/mean'] = mean(mu).item();
    const z = sub(sub(rc, rr), scale(mu, o.margin_scale)); // (B,)
    const eps = scale(lt(mu, 0), o.label_smoothing); // (B,) per-pair smoothing
    const losses = neg(add(mul(sub(1, eps), logSigmoid(z)), mul(eps, logSigmoid(neg(z))))); // (B,)
    return { loss: mean(losses), losses, chosenRewards: rc.detach(), rejectedRewards: rr.detach(), metrics }; // loss ()
  },
};
