// Plackett-Luce listwise DPO (`plackett_luce`).
//
// Paper: Rafailov et al., DPO, arXiv 2305.18290, Appendix A.3 (Eq. 18-19): with a ranking
// tau(1) > ... > tau(N) of N responses and implicit rewards s_n = beta * (log pi(y_n) - log pi_ref(y_n)),
//   L = - sum_{k=1}^{K} [ s_tau(k) - log sum_{j >= k} exp(s_tau(j)) ]
// K = N - 1 (the last term is 0) or plackett_luce_top_k. The ranking is by listScores, best first; ties keep
// list order (design choice; PL has no ties). For N = 2 this is exactly DPO.
// The suffix log-sum-exp is one masked logsumexp over an (N, N) upper-triangular pattern (bias -1e30).
import { add, gather, indexTensor, logsumexp, mean, neg, scale, slice, sub, sum, tensor, unsqueeze } from '../tensor/index.js';
import { checkOptionalRange, checkBeta } from './errors.js';
import { need } from './inputs.js';
import { rankByScore, readList, sameList } from './list-inputs.js';
import type { LossSpec } from './types.js';

export const plackettLuceLoss: LossSpec<{ beta: number; plackett_luce_top_k: number | null }> = {
  description: 'Plackett-Luce listwise DPO over a ranked list of N responses (N = 2 is DPO)',
  paper: 'Rafailov et al., Direct Preference Optimization, arXiv 2305.18290 (App. A.3, Eq. 18-19)',
  inputs: 'listwise',
  needsReference: true,
  requires: ['policyListLogps', 'refListLogps', 'listScores'],
  defaults: { beta: 0.1, plackett_luce_top_k: null },
  optionDocs: {
    beta: 'temperature, > 0',
    plackett_luce_top_k: 'only the first K choices of the ranking (null = all N - 1), integer >= 1',
  },
  validate(o) {
    checkBeta('plackett_luce', o);
    checkOptionalRange('plackett_luce', o, 'plackett_luce_top_k', { ge: 1, integer: true });
  },
  fn(inputs, o) {
    const { policy, scores, B, N } = readList('plackett_luce', inputs);
    const ref = need('plackett_luce', inputs, 'refListLogps'); // (B, N)
    sameList('plackett_luce', { refListLogps: ref }, B, N);
    const s = scale(sub(policy, ref), o.beta); // (B, N)
    const order: number[] = [];
    for (let b = 0; b < B; b++) order.push(...rankByScore(scores, b));
    const ranked = gather(s, 1, indexTensor(order, [B, N])); // (B, N) best first
    const bias: number[] = [];
    for (let k = 0; k < N; k++) for (let j = 0; j < N; j++) bias.push(j >= k ? 0 : -1e30);
    const masked = add(unsqueeze(ranked, 1), tensor(bias, [N, N], { dtype: s.dtype })); // (B, N, N)
    const suffix = logsumexp(masked, 2); // (B, N) log sum_{j >= k} exp(s_j)
    const K = Math.min(o.plackett_luce_top_k ?? N - 1, N - 1);
    const terms = slice(sub(ranked, suffix), 1, 0, K); // (B, K)
    const losses = neg(sum(terms, 1)); // (B,)
    return { loss: mean(losses), losses, metrics: {} }; // loss ()
  },
};
