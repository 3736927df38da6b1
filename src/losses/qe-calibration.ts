// Quality-calibration loss for translation (`qe_calibration`).
//
// Paper: "Calibrating Translation Decoding with Quality Estimation on LLMs", arXiv 2504.19044; authors'
// code moore3930/calibrating-llm-mt @99db305 (train_utils.get_calibration_loss). For each group of L
// candidates of one source with model log-probs s_i and quality scores q_i (e.g. CometKiwi):
//   z^p = (s - mean(s)) / (std(s) + 1e-6),   z^q = (q - mean(q)) / (std(q) + 1e-6)   (sample std, L - 1)
//   L_cal = -mean_i z^p_i z^q_i              (= -((L-1)/L) * Pearson(s, q))
//   L_nll = -(length-normalised log-prob of the candidate with the highest q)
//   L_cpo = -log sigmoid(0.1 s_best - 0.1 s_worst)
//   L = calibration_nll_weight * L_nll + L_cal + calibration_cpo_weight * L_cpo      (per group)
// s is the summed log-prob (code default normalize_prob = False) or, with calibration_normalize, the
// per-token mean. Defaults as the code (NLL and CPO weights 0; the paper's recipe uses NLL weight 1).
// Deviation: std = sqrt(var + 1e-12) so that a group of identical log-probs has a finite gradient.
import { add, div, gather, indexTensor, logSigmoid, mean, mul, neg, reshape, scale, sqrt, square, sub, sum, type Tensor } from '../tensor/index.js';
import { checkRange } from './errors.js';
import { need } from './inputs.js';
import { rankByScore, readList, sameList } from './list-inputs.js';
import type { LossSpec } from './types.js';

type CalOptions = { calibration_normalize: boolean; calibration_nll_weight: number; calibration_cpo_weight: number };

/** Row-wise standardisation (B, N) with the sample standard deviation. */
function standardise(x: Tensor, N: number): Tensor {
  const centred = sub(x, mean(x, 1, true)); // (B, N)
  const std = sqrt(add(scale(sum(square(centred), 1, true), 1 / (N - 1)), 1e-12)); // (B, 1)
  return div(centred, add(std, 1e-6)); // (B, N)
}

export const qeCalibrationLoss: LossSpec<CalOptions> = {
  description: 'MT calibration: maximise the Pearson correlation of log-likelihood and quality within each group',
  paper: 'Calibrating Translation Decoding with Quality Estimation on LLMs, arXiv 2504.19044 (authors\' code)',
  inputs: 'listwise',
  needsReference: false,
  requires: ['policyListLogps', 'listScores'],
  optional: ['listLengths'],
  defaults: { calibration_normalize: false, calibration_nll_weight: 0, calibration_cpo_weight: 0 },
  optionDocs: {
    calibration_normalize: 'use per-token mean log-probs (needs listLengths) instead of sums',
    calibration_nll_weight: 'weight of the NLL of the best candidate, >= 0 (paper recipe: 1)',
    calibration_cpo_weight: 'weight of -log sigmoid(0.1 (s_best - s_worst)), >= 0',
  },
  validate(o) {
    checkRange('qe_calibration', o, 'calibration_nll_weight', { ge: 0 });
    checkRange('qe_calibration', o, 'calibration_cpo_weight', { ge: 0 });
  },
  fn(inputs, o) {
    const { policy, scores, B, N } = readList('qe_calibration', inputs);
    const needLen = o.calibration_normalize || o.calibration_nll_weight > 0;
    const len = needLen ? need('qe_calibration', inputs, 'listLengths') : undefined; // (B, N)
    if (len) sameList('qe_calibration', { listLengths: len }, B, N);
    const s = o.calibration_normalize && len ? div(policy, len) : policy; // (B, N)
    const zq = standardise(scores.detach(), N); // (B, N)
    let losses = neg(mean(mul(standardise(s, N), zq), 1)); // (B,)
    const metrics: Record<string, number> = { 'calibration/loss': mean(losses).item() };
    if (o.calibration_nll_weight > 0 || o.calibration_cpo_weight > 0) {
      const best: number[] = [];
      const worst: number[] = [];
      for (let b = 0; b < B; b++) {
        const order = rankByScore(scores, b);
        best.push(order[0]);
        worst.push(order[N - 1]);
      }
      const pick = (t: Tensor, idx: number[]) => reshape(gather(t, 1, indexTensor(idx, [B, 1])), [B]); // (B,)
      if (o.calibration_nll_weight > 0) {
        const nll = neg(div(pick(policy, best), pick(len!, best))); // (B,)
        losses = add(losses, scale(nll, o.calibration_nll_weight)); // (B,)
      }
      if (o.calibration_cpo_weight > 0) {
        const cpo = neg(logSigmoid(scale(sub(pick(s, best), pick(s, worst)), 0.1))); // (B,)
        losses = add(losses, scale(cpo, o.calibration_cpo_weight)); // (B,)
      }
    }
    return { loss: mean(losses), losses, metrics }; // loss ()
  },
};
