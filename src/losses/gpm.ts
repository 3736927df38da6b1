// General Preference Model loss (`gpm`): skew-symmetric preference score on preference embeddings.
//
// Paper: Zhang, Zhang, Wu, Xu, Gu, "Beyond Bradley-Terry Models: A General Preference Model for Language
// Model Alignment", arXiv 2410.02197 (ICML 2025); authors' code general-preference/general-preference-model
// @a376d95 (loss.py, gpm_example_usage.py). Each response has an embedding v in R^{2k} (L2-normalised by the
// value head); R = blockdiag([[0, -1], [1, 0]] x k); optional prompt gates lambda_l(x) >= 0:
//   s(y_w > y_l) = sum_l lambda_l (v_w[2l] v_l[2l+1] - v_w[2l+1] v_l[2l])      (0-based; s(i,j) = -s(j,i))
//   L = -log sigmoid(s / gpm_tau - margin)
// Design choices: gpm_normalize (default true) L2-normalises the embeddings here (idempotent if the head
// already did); margin is the optional per-pair `margin` input (default 0). Special case: k = 1, v = [r, 1]
// unnormalised, tau = 1 gives Bradley-Terry on r.
import { add, div, gt, logSigmoid, mean, mul, neg, reshape, scale, slice, sqrt, square, sub, sum, type Tensor } from '../tensor/index.js';
import { checkRange, LossError } from './errors.js';
import { expectShape, need } from './inputs.js';
import type { LossSpec } from './types.js';

/** v / |v| per row, (B, D) -> (B, D). */
function l2normalise(v: Tensor): Tensor {
  const norm = sqrt(add(sum(square(v), 1, true), 1e-12)); // (B, 1)
  return div(v, norm); // (B, D)
}

/** The skew-symmetric score s(a > b) (B,) from (B, 2k) embeddings and optional (B, k) gates. */
export function gpmScore(a: Tensor, b: Tensor, gates?: Tensor): Tensor {
  const B = a.shape[0];
  const k = a.shape[1] / 2;
  const even = (t: Tensor) => reshape(slice(reshape(t, [B, k, 2]), 2, 0, 1), [B, k]); // (B, k)
  const odd = (t: Tensor) => reshape(slice(reshape(t, [B, k, 2]), 2, 1, 2), [B, k]); // (B, k)
  const blocks = sub(mul(even(a), odd(b)), mul(odd(a), even(b))); // (B, k)
  return sum(gates ? mul(gates, blocks) : blocks, 1); // (B,)
}

export const gpmLoss: LossSpec<{ gpm_tau: number; gpm_normalize: boolean }> = {
  description: 'GPM: -log sigmoid(s(y_w > y_l) / tau), s a skew-symmetric score of 2k-dim preference embeddings',
  paper: 'Zhang et al., Beyond Bradley-Terry Models: A General Preference Model, arXiv 2410.02197 (authors\' loss.py)',
  inputs: 'reward',
  needsReference: false,
  requires: ['chosenEmbeddings', 'rejectedEmbeddings'],
  optional: ['eigenGates', 'margin'],
  defaults: { gpm_tau: 0.1, gpm_normalize: true },
  optionDocs: {
    gpm_tau: 'temperature tau of P = sigmoid(s / tau), > 0',
    gpm_normalize: 'L2-normalise the embeddings before scoring',
  },
  validate: (o) => checkRange('gpm', o, 'gpm_tau', { gt: 0 }),
  fn(inputs, o) {
    let a = need('gpm', inputs, 'chosenEmbeddings'); // (B, D)
    let b = need('gpm', inputs, 'rejectedEmbeddings'); // (B, D)
    if (a.ndim !== 2 || a.shape[1] % 2 !== 0 || a.shape[1] === 0) {
      throw new LossError(`loss 'gpm': chosenEmbeddings must be (B, 2k) with an even, positive width; got (${a.shape.join(', ')})`, 'gpm');
    }
    const [B, D] = a.shape;
    expectShape('gpm', 'rejectedEmbeddings', b, [B, D]);
    if (inputs.eigenGates) expectShape('gpm', 'eigenGates', inputs.eigenGates, [B, D / 2]);
    if (inputs.margin) expectShape('gpm', 'margin', inputs.margin, [B]);
    if (o.gpm_normalize) {
      a = l2normalise(a); // (B, D)
      b = l2normalise(b); // (B, D)
    }
    const s = gpmScore(a, b, inputs.eigenGates); // (B,)
    const z = scale(s, 1 / o.gpm_tau); // (B,)
    const losses = neg(logSigmoid(inputs.margin ? sub(z, inputs.margin) : z)); // (B,)
    return {
      loss: mean(losses), // ()
      losses,
      metrics: { accuracy: mean(gt(s.detach(), 0)).item(), 'gpm/score': mean(s.detach()).item() },
    };
  },
};
