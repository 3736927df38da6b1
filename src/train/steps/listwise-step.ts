// Listwise step: B prompts with N ranked responses each (rows b * N + n), one policy pass, reference
// log-probs from the provider, any registered listwise loss (Plackett-Luce DPO, TPO, QE calibration)
// through computeLoss. Extra metric: rewards/top1_accuracy, the share of lists whose best-scored
// response has the highest implicit reward beta-free log-ratio (policy - reference, or policy alone).
import * as T from '../../tensor/index.js';
import type { SequenceBatch } from '../../data/index.js';
import { computeLoss, type LossInputs, type ResolvedLossConfig } from '../../losses/index.js';
import type { RowKeys, StepFn } from '../types.js';
import { completionLogprobs, realTokens } from './forward.js';

export interface ListStepBatch {
  /** B * N rows: list b's response n at row b * N + n. */
  seq: SequenceBatch;
  B: number;
  N: number;
  /** (B * N) quality scores, higher is better. */
  scores: Float32Array;
  keys: RowKeys;
}

function top1Accuracy(logRatios: ArrayLike<number>, scores: Float32Array, B: number, N: number): number {
  let right = 0;
  for (let b = 0; b < B; b++) {
    let best = 0;
    let top = 0;
    for (let n = 1; n < N; n++) {
      if (scores[b * N + n] > scores[b * N + best]) best = n;
      if (logRatios[b * N + n] > logRatios[b * N + top]) top = n;
    }
    if (best === top) right++;
  }
  return right / Math.max(B, 1);
}

export function listwiseStep(loss: ResolvedLossConfig, opts: { needsReference: boolean }): StepFn<ListStepBatch> {
  return ({ seq, B, N, scores, keys }, ctx) => {
    const lp = completionLogprobs(ctx.model, seq);
    const inputs: LossInputs = {
      policyListLogps: T.reshape(lp.sum, [B, N]), // (B, N)
      listScores: new T.Tensor(Float32Array.from(scores), [B, N]), // (B, N)
      listLengths: new T.Tensor(Float32Array.from(seq.completionLengths), [B, N]), // (B, N)
    };
    const ratio = Float32Array.from(lp.sum.data);
    if (opts.needsReference) {
      if (!ctx.ref) throw new Error(`loss_type [${loss.names.join(', ')}] needs reference log-probs but no reference was set up`);
      const ref = ctx.ref.sequenceLogps(seq, keys); // (B * N,)
      inputs.refListLogps = new T.Tensor(ref, [B, N]); // (B, N)
      ref.forEach((v, i) => (ratio[i] -= v));
    }
    const out = computeLoss(loss, inputs);
    let mean = 0;
    for (const v of lp.sum.data) mean += v / lp.sum.size;
    return { loss: out.loss, metrics: { ...out.metrics, 'rewards/top1_accuracy': top1Accuracy(ratio, scores, B, N), 'logps/mean': mean }, tokens: realTokens(seq) };
  };
}
