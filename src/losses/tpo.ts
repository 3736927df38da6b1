// TPO: preference-list ranking loss (`tpo`).
//
// Paper: Liao, Chu, Wang, "TPO: Aligning Large Language Models with Multi-branch & Multi-step Preference
// Trees", arXiv 2410.12854 (ICLR 2025); authors' code MrBlankness/TPO @ba87a23 (loss.py).
// Response rewards (Adaptive Step Reward): with per-step mean log-ratios m_{n,s} and step weights
// w_{n,s} = cos(h_{n,s}, h_{0,s}) + 1 (input stepWeights, see `tpoStepWeights`):
//   r_n = sum_s w_{n,s} m_{n,s} / sum_s w_{n,s}
// Without step inputs: r_n = (log pi(y_n) - log pi_ref(y_n)) / |y_n| (length-normalised log-ratio).
// List ranking over all pairs with different scores:
//   L = sum_{i,j: v_i > v_j} lambda_ij * (-log sigmoid(beta (r_i - r_j))) / #pairs
// Design choices (methods.md §13): lambda_ij = 1 (the code-equivalent core; default); `ndcg` gives the
// LambdaRank |Delta NDCG| weights (paper variant, UNCONFIRMED) with gains 2^v - 1 and positions ranked by the
// current rewards. The code's extra -log sigmoid(beta * P) wrapper around the pair loss is NOT reproduced.
// A list whose scores are all tied contributes 0. Special case: N = 2 with lengths is `sigmoid_norm`.
// Default beta = 0.5 (the authors' dpo_train.py).
import { div, logSigmoid, mean, mul, neg, scale, sub, sum, tensor, unsqueeze, type Tensor } from '../tensor/index.js';
import { checkBeta, checkChoice, LossError } from './errors.js';
import { need } from './inputs.js';
import { readList, row, sameList } from './list-inputs.js';
import type { LossInputs, LossSpec } from './types.js';

function rewards(inputs: LossInputs, policy: Tensor, B: number, N: number): Tensor {
  if (inputs.stepLogRatios) {
    const m = inputs.stepLogRatios; // (B, N, S)
    if (m.ndim !== 3 || m.shape[0] !== B || m.shape[1] !== N) {
      throw new LossError(`loss 'tpo': stepLogRatios must be (${B}, ${N}, S)`, 'tpo');
    }
    const w = inputs.stepWeights ?? tensor(new Array(m.size).fill(1), m.shape, { dtype: m.dtype }); // (B, N, S)
    return div(sum(mul(w, m), 2), sum(w, 2)); // (B, N)
  }
  const ref = need('tpo', inputs, 'refListLogps'); // (B, N)
  const len = need('tpo', inputs, 'listLengths'); // (B, N)
  sameList('tpo', { refListLogps: ref, listLengths: len }, B, N);
  return div(sub(policy, ref), len); // (B, N)
}

/** Pair weights lambda_ij (B, N, N): nonzero where v_i > v_j, normalised by the list's pair count. */
function pairWeights(scores: Tensor, r: Tensor, B: number, N: number, ndcg: boolean): number[] {
  const out: number[] = [];
  for (let b = 0; b < B; b++) {
    const v = row(scores, b);
    const rr = row(r, b);
    const pos = new Array<number>(N);
    rr.map((_, i) => i).sort((i, j) => rr[j] - rr[i] || i - j).forEach((i, k) => { pos[i] = k; });
    const ideal = [...v].sort((x, y) => y - x).reduce((acc, x, k) => acc + (2 ** x - 1) / Math.log2(k + 2), 0);
    const w = new Array<number>(N * N).fill(0);
    let pairs = 0;
    for (let i = 0; i < N; i++) {
      for (let j = 0; j < N; j++) {
        if (!(v[i] > v[j])) continue;
        pairs++;
        w[i * N + j] = !ndcg ? 1 : Math.abs((2 ** v[i] - 2 ** v[j]) *
          (1 / Math.log2(pos[i] + 2) - 1 / Math.log2(pos[j] + 2))) / (ideal > 0 ? ideal : 1);
      }
    }
    out.push(...w.map((x) => x / Math.max(pairs, 1)));
  }
  return out;
}

export const tpoLoss: LossSpec<{ beta: number; tpo_lambda_weighting: string }> = {
  description: 'TPO list ranking: pairwise logistic loss over all ordered pairs of a scored list of responses',
  paper: 'Liao, Chu, Wang, TPO: Multi-branch & Multi-step Preference Trees, arXiv 2410.12854 (authors\' loss.py)',
  inputs: 'listwise',
  needsReference: true,
  requires: ['policyListLogps', 'listScores'],
  optional: ['refListLogps', 'listLengths', 'stepLogRatios', 'stepWeights'],
  defaults: { beta: 0.5, tpo_lambda_weighting: 'none' },
  optionDocs: {
    beta: 'temperature, > 0 (authors: 0.5)',
    tpo_lambda_weighting: 'pair weights: none (lambda = 1) | ndcg (LambdaRank |Delta NDCG|, unverified paper variant)',
  },
  validate(o) {
    checkBeta('tpo', o);
    checkChoice('tpo', o, 'tpo_lambda_weighting', ['none', 'ndcg']);
  },
  fn(inputs, o) {
    const { policy, scores, B, N } = readList('tpo', inputs);
    const r = rewards(inputs, policy, B, N); // (B, N)
    const w = tensor(pairWeights(scores, r.detach(), B, N, o.tpo_lambda_weighting === 'ndcg'), [B, N, N], { dtype: r.dtype }); // (B, N, N)
    const diff = sub(unsqueeze(r, 2), unsqueeze(r, 1)); // (B, N, N) r_i - r_j
    const pairLoss = neg(logSigmoid(scale(diff, o.beta))); // (B, N, N)
    const losses = sum(mul(w, pairLoss), [1, 2]); // (B,)
    return { loss: mean(losses), losses, metrics: {} }; // loss ()
  },
};

/** TPO step weights w_{n,s} = cos(h_{n,s}, h_{0,s}) + 1 from mean step hidden states (B, N, S, H); detached. */
export function tpoStepWeights(stepHidden: Tensor): Tensor {
  const [B, N, S, H] = stepHidden.shape;
  const d = stepHidden.data;
  const out = new Array<number>(B * N * S);
  for (let b = 0; b < B; b++) {
    for (let n = 0; n < N; n++) {
      for (let s = 0; s < S; s++) {
        const a = ((b * N + n) * S + s) * H;
        const z = ((b * N + 0) * S + s) * H;
        let dot = 0, na = 0, nz = 0;
        for (let h = 0; h < H; h++) {
          dot += d[a + h] * d[z + h];
          na += d[a + h] ** 2;
          nz += d[z + h] ** 2;
        }
        out[(b * N + n) * S + s] = dot / Math.max(Math.sqrt(na * nz), 1e-12) + 1;
      }
    }
  }
  return tensor(out, [B, N, S], { dtype: stepHidden.dtype }); // (B, N, S)
}
