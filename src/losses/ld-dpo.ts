// LD-DPO length desensitisation (`ld_alpha`): down-weights the log-probs of the tokens a response has
// beyond the length it shares with the other response of its pair.
//
// Paper: Liu et al., "Length Desensitization in Directed Preference Optimization", arXiv 2409.06411.
// As TRL 1.x (trl-losses.md §0): with l_p = min(|y_w|, |y_l|) per pair,
//   log pi(y) = sum_{t <= l_p} log p_t + ld_alpha * sum_{t > l_p} log p_t
// (t counts completion tokens in order), applied to the policy AND, when reference per-token log-probs are
// given, to the reference (TRL 1.x; TRL 0.28 did the policy only). When only summed reference log-probs are
// given they are taken as already desensitised (as TRL's precompute stores them). ld_alpha = 1 changes nothing.
import { mul, sum, tensor, type Tensor } from '../tensor/index.js';
import { expectShape, need } from './inputs.js';
import type { LossInputs } from './types.js';

/** Per-token weights (B, T): mask * (1 for the first shared[b] completion tokens, alpha after). */
function ldWeights(mask: Tensor, shared: number[], alpha: number): Tensor {
  const [B, T] = mask.shape;
  const w = new Array<number>(B * T).fill(0);
  for (let b = 0; b < B; b++) {
    let k = 0;
    for (let t = 0; t < T; t++) {
      const m = mask.data[b * T + t];
      if (m === 0) continue;
      k++;
      w[b * T + t] = m * (k <= shared[b] ? 1 : alpha);
    }
  }
  return tensor(w, [B, T], { dtype: mask.dtype }); // (B, T)
}

function completionLengths(mask: Tensor): number[] {
  const [B, T] = mask.shape;
  const out: number[] = [];
  for (let b = 0; b < B; b++) {
    let n = 0;
    for (let t = 0; t < T; t++) if (mask.data[b * T + t] !== 0) n++;
    out.push(n);
  }
  return out;
}

/** The inputs with summed log-probs recomputed under LD-DPO weights. */
export function applyLdAlpha(inputs: LossInputs, alpha: number): LossInputs {
  const pc = need('ld_alpha', inputs, 'policyChosenTokenLogps'); // (B, T)
  const pr = need('ld_alpha', inputs, 'policyRejectedTokenLogps'); // (B, T')
  const mc = need('ld_alpha', inputs, 'chosenMask'); // (B, T)
  const mr = need('ld_alpha', inputs, 'rejectedMask'); // (B, T')
  expectShape('ld_alpha', 'chosenMask', mc, pc.shape);
  expectShape('ld_alpha', 'rejectedMask', mr, pr.shape);
  const lc = completionLengths(mc);
  const lr = completionLengths(mr);
  const shared = lc.map((n, b) => Math.min(n, lr[b]));
  const wc = ldWeights(mc, shared, alpha); // (B, T)
  const wr = ldWeights(mr, shared, alpha); // (B, T')
  const out: LossInputs = {
    ...inputs,
    policyChosenLogps: sum(mul(pc, wc), 1), // (B,)
    policyRejectedLogps: sum(mul(pr, wr), 1), // (B,)
  };
  if (inputs.refChosenTokenLogps && inputs.refRejectedTokenLogps) {
    expectShape('ld_alpha', 'refChosenTokenLogps', inputs.refChosenTokenLogps, pc.shape);
    expectShape('ld_alpha', 'refRejectedTokenLogps', inputs.refRejectedTokenLogps, pr.shape);
    out.refChosenLogps = sum(mul(inputs.refChosenTokenLogps, wc), 1); // (B,)
    out.refRejectedLogps = sum(mul(inputs.refRejectedTokenLogps, wr), 1); // (B,)
  }
  return out;
}
