// Step 4 of the demo: one preference-optimisation run. The policy starts as a trainable copy of the
// reference; the reference itself is never run during training: its log-probs of every pair row are
// computed once (referenceTable) and served by the train layer's precomputed provider, as DESIGN asks.
// The loop is the train layer's train() with its preferenceStep and the loss registry's computeLoss,
// so every method here is exactly what `prefkit train dpo` runs with the same loss_type and options.
import { collatePairs, type TokenizedPair } from '../data/index.js';
import { getLoss, resolveLossConfig, type LossConfig } from '../losses/index.js';
import type { DecoderModel } from '../models/decoder-params.js';
import { namedParams, setTrainable } from '../nn/params.js';
import { createAdamW } from '../optim/optimizer.js';
import { learningRateAt } from '../optim/schedule.js';
import {
  cloneFrozen, createLoader, pairKeys, precomputedReference, preferenceStep, scoreRows, sequentialBatches, train, type PairStepBatch,
} from '../train/index.js';
import type { DemoConfig, DemoMethod } from './demo-config.js';
import type { StageBar } from './progress.js';

const PAD = 256;

/** Reference log-probs of every pair row: entry 2i = chosen of pair i, 2i + 1 = rejected (pairKeys' layout). */
export function referenceTable(ref: DecoderModel, pairs: TokenizedPair[], batchSize = 32, onBatch?: (done: number) => void): Float32Array {
  const table = new Float32Array(2 * pairs.length);
  for (const idx of sequentialBatches(pairs.length, batchSize)) {
    const batch = collatePairs(Array.from(idx, (i) => pairs[i]), { padId: PAD });
    const lp = scoreRows(ref, batch); // (2B,) chosen rows then rejected rows
    idx.forEach((i, k) => {
      table[2 * i] = lp[k];
      table[2 * i + 1] = lp[idx.length + k];
    });
    onBatch?.(idx[idx.length - 1] + 1);
  }
  return table;
}

/** The registry loss config of a demo method (TRL option names). */
export function methodLossConfig(m: DemoMethod): LossConfig {
  const cfg: LossConfig = { loss_type: m.loss_type, beta: m.beta };
  // label_smoothing exists only for the losses that define it (sigmoid = cDPO, robust = rDPO).
  if ('label_smoothing' in getLoss(m.loss_type).defaults) cfg.label_smoothing = m.label_smoothing;
  else if (m.label_smoothing > 0) throw new Error(`demo method ${m.name}: loss '${m.loss_type}' has no label_smoothing option`);
  return cfg;
}

/** A trainable deep copy of a model (the policy's starting point). */
export function trainableCopy(model: DecoderModel): DecoderModel {
  const copy = cloneFrozen(model);
  setTrainable(copy.params, true);
  return copy;
}

export interface PolicyRun {
  policy: DecoderModel;
  steps: number;
  /** [step, value] per logged window. */
  lossCurve: [number, number][];
  /** TRL's rewards/accuracies (implicit-reward accuracy on the training batches). */
  accuracyCurve: [number, number][];
  /** TRL's rewards/margins. */
  marginCurve: [number, number][];
  seconds: number;
}

export interface PolicyTrainingInput {
  ref: DecoderModel;
  pairs: TokenizedPair[];
  /** referenceTable(ref, pairs). */
  refLogps: Float32Array;
  method: DemoMethod;
  cfg: DemoConfig;
  /** Seeds the batch order (the same for every method, so methods see the same batches). */
  seed: number;
  bar?: StageBar;
}

export function preferenceSteps(cfg: DemoConfig, pairs: number): number {
  return Math.max(1, Math.ceil((cfg.preference.epochs * pairs) / cfg.preference.batch_size));
}

export async function trainPolicy(o: PolicyTrainingInput): Promise<PolicyRun> {
  const t0 = performance.now();
  const policy = trainableCopy(o.ref);
  const loss = resolveLossConfig(methodLossConfig(o.method));
  const dataset = 'demo-pairs';
  const loader = createLoader<PairStepBatch>({
    size: o.pairs.length, batchSize: o.cfg.preference.batch_size, seed: o.seed,
    // Curry-DPO's pairs come ordered easy -> hard: keep that order; otherwise a seeded shuffle per epoch.
    shuffle: o.cfg.pairs.pairing !== 'curry',
    make: (idx) => ({ pairs: collatePairs(Array.from(idx, (i) => o.pairs[i]), { padId: PAD }), keys: pairKeys(dataset, idx) }),
  });
  const steps = preferenceSteps(o.cfg, o.pairs.length);
  const p = o.cfg.preference;
  const run: PolicyRun = { policy, steps, lossCurve: [], accuracyCurve: [], marginCurve: [], seconds: 0 };
  await train({
    model: policy,
    ref: precomputedReference(new Map([[dataset, o.refLogps]])),
    step: preferenceStep(loss, { needsReference: true }),
    optimizer: createAdamW(namedParams(policy.params), { weightDecay: 0 }),
    loader, maxSteps: steps, maxGradNorm: 1, loggingSteps: Math.max(1, Math.floor(steps / 20)),
    learningRate: (s) => learningRateAt(s, { name: 'linear', lr: p.learning_rate, warmupSteps: p.warmup_steps, totalSteps: steps }),
    hooks: {
      onLog: (line) => {
        run.lossCurve.push([line.step, line.loss]);
        if (line['rewards/accuracies'] !== undefined) run.accuracyCurve.push([line.step, line['rewards/accuracies']]);
        if (line['rewards/margins'] !== undefined) run.marginCurve.push([line.step, line['rewards/margins']]);
      },
      onProgress: (pr) => o.bar?.update(pr.step, `loss ${pr.loss.toFixed(3)}`),
    },
  });
  setTrainable(policy.params, false);
  run.seconds = (performance.now() - t0) / 1000;
  return run;
}

/** Summed completion log-probs (rows,) of tokenized (prompt, completion) rows, no gradients. */
export function rowLogps(model: DecoderModel, rows: { promptIds: number[]; completionIds: number[] }[], batchSize = 64): Float32Array {
  const out = new Float32Array(rows.length);
  for (const idx of sequentialBatches(rows.length, batchSize)) {
    // One plain sequence batch: right padding, completion mask on the completion tokens.
    const batch = Array.from(idx, (i) => rows[i]);
    const seqLen = Math.max(...batch.map((r) => r.promptIds.length + r.completionIds.length));
    const B = batch.length;
    const inputIds = new Int32Array(B * seqLen).fill(PAD); // (B, T)
    const attentionMask = new Float32Array(B * seqLen); // (B, T)
    const completionMask = new Float32Array(B * seqLen); // (B, T)
    const lengths = new Int32Array(B);
    const promptLengths = new Int32Array(B);
    const completionLengths = new Int32Array(B);
    batch.forEach((r, b) => {
      const len = r.promptIds.length + r.completionIds.length;
      inputIds.set(r.promptIds, b * seqLen);
      inputIds.set(r.completionIds, b * seqLen + r.promptIds.length);
      attentionMask.fill(1, b * seqLen, b * seqLen + len);
      completionMask.fill(1, b * seqLen + r.promptIds.length, b * seqLen + len);
      lengths[b] = len;
      promptLengths[b] = r.promptIds.length;
      completionLengths[b] = r.completionIds.length;
    });
    const lp = scoreRows(model, { rows: B, seqLen, inputIds, attentionMask, completionMask, lengths, promptLengths, completionLengths }); // (B,)
    idx.forEach((i, k) => (out[i] = lp[k]));
  }
  return out;
}
