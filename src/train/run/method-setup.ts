// Per command: the step function, how batches are built from tokenized examples (train and eval), and
// the rows a reference model scores (for the precomputed cache). One small function per method.
import { collatePairs, collateUnpaired, type TokenizedPair, type TokenizedUnpaired } from '../../data/index.js';
import type { ResolvedLossConfig } from '../../losses/index.js';
import { pairKeys, slotKeys, type RowSource } from '../reference/row-source.js';
import { preferenceStep, type PairStepBatch } from '../steps/preference-step.js';
import { rewardStep } from '../steps/reward-step.js';
import { sftStep, type SftBatch } from '../steps/sft-step.js';
import { unpairedStep, type UnpairedStepBatch } from '../steps/unpaired-step.js';
import { listwiseStep, type ListStepBatch } from '../steps/listwise-step.js';
import type { StepFn } from '../types.js';
import type { TokenizedList } from './data-setup.js';

export interface Method<B> {
  step: StepFn<B>;
  sizes: { train: number; eval: number };
  batch(dataset: 'train' | 'eval', indices: Int32Array): B;
  /** Rows scored by the reference (empty when the method needs none). */
  rowSources: RowSource[];
}

const pick = <I>(items: I[], idx: Int32Array): I[] => Array.from(idx, (i) => items[i]);

export function pairMethod(
  data: { train: TokenizedPair[]; eval: TokenizedPair[] }, padId: number, step: StepFn<PairStepBatch>, withRows: boolean,
): Method<PairStepBatch> {
  const items = (d: 'train' | 'eval') => (d === 'train' ? data.train : data.eval);
  const batch = (d: 'train' | 'eval', idx: Int32Array): PairStepBatch => ({ pairs: collatePairs(pick(items(d), idx), { padId }), keys: pairKeys(d, idx) });
  const source = (d: 'train' | 'eval'): RowSource => ({
    dataset: d, size: items(d).length, slots: 2,
    rows: (idx) => {
      const b = batch(d, idx);
      return [{ seq: b.pairs, keys: b.keys }];
    },
  });
  const rowSources = withRows ? (['train', 'eval'] as const).filter((d) => items(d).length > 0).map(source) : [];
  return { step, sizes: { train: data.train.length, eval: data.eval.length }, batch, rowSources };
}

export function dpoMethod(data: { train: TokenizedPair[]; eval: TokenizedPair[] }, padId: number, loss: ResolvedLossConfig, needsReference: boolean): Method<PairStepBatch> {
  return pairMethod(data, padId, preferenceStep(loss, { needsReference }), needsReference);
}

export function rmMethod(data: { train: TokenizedPair[]; eval: TokenizedPair[] }, padId: number, loss: ResolvedLossConfig): Method<PairStepBatch> {
  return pairMethod(data, padId, rewardStep(loss), false);
}

export function sftMethod(data: { train: TokenizedUnpaired[]; eval: TokenizedUnpaired[] }, padId: number, completionOnly: boolean): Method<SftBatch> {
  const items = (d: 'train' | 'eval') => (d === 'train' ? data.train : data.eval);
  return {
    step: sftStep({ completionOnly }),
    sizes: { train: data.train.length, eval: data.eval.length },
    batch: (d, idx) => ({ seq: collateUnpaired(pick(items(d), idx), { padId }) }),
    rowSources: [],
  };
}

/**
 * KTO's mismatched pair for example i: its prompt with the completion of example (i + ceil(N/2)) mod N,
 * cut to fit maxLength. A fixed pairing (TRL rotates within the batch) so the reference log-probs of
 * these rows can be precomputed once.
 */
export function klRow(items: TokenizedUnpaired[], i: number, maxLength: number | null): TokenizedUnpaired {
  const N = items.length;
  const j = N > 1 ? (i + Math.ceil(N / 2)) % N : i;
  const prompt = items[i].promptIds;
  let completion = items[j].completionIds;
  if (maxLength !== null && prompt.length + completion.length > maxLength) completion = completion.slice(0, Math.max(1, maxLength - prompt.length));
  return { promptIds: prompt, completionIds: completion, label: items[i].label };
}

export function ktoMethod(
  data: { train: TokenizedUnpaired[]; eval: TokenizedUnpaired[] }, padId: number, loss: ResolvedLossConfig, maxLength: number | null,
): Method<UnpairedStepBatch> {
  const items = (d: 'train' | 'eval') => (d === 'train' ? data.train : data.eval);
  const usesKl = loss.names.includes('kto');
  const batch = (d: 'train' | 'eval', idx: Int32Array): UnpairedStepBatch => {
    const xs = items(d);
    const b: UnpairedStepBatch = { examples: collateUnpaired(pick(xs, idx), { padId }), keys: slotKeys(d, idx, 2, 0) };
    if (usesKl) b.kl = { seq: collateUnpaired(Array.from(idx, (i) => klRow(xs, i, maxLength)), { padId }), keys: slotKeys(d, idx, 2, 1) };
    return b;
  };
  const source = (d: 'train' | 'eval'): RowSource => ({
    dataset: d, size: items(d).length, slots: 2,
    rows: (idx) => {
      const b = batch(d, idx);
      return b.kl ? [{ seq: b.examples, keys: b.keys }, b.kl] : [{ seq: b.examples, keys: b.keys }];
    },
  });
  return {
    step: unpairedStep(loss), sizes: { train: data.train.length, eval: data.eval.length }, batch,
    rowSources: (['train', 'eval'] as const).filter((d) => items(d).length > 0).map(source),
  };
}

export function listMethod(
  data: { train: TokenizedList[]; eval: TokenizedList[] }, padId: number, loss: ResolvedLossConfig, needsReference: boolean,
): Method<ListStepBatch> {
  const items = (d: 'train' | 'eval') => (d === 'train' ? data.train : data.eval);
  const N = (data.train[0] ?? data.eval[0])?.rows.length ?? 2;
  const batch = (d: 'train' | 'eval', idx: Int32Array): ListStepBatch => {
    const lists = pick(items(d), idx);
    const keys = new Int32Array(idx.length * N);
    idx.forEach((i, b) => {
      for (let n = 0; n < N; n++) keys[b * N + n] = i * N + n;
    });
    return {
      seq: collateUnpaired(lists.flatMap((l) => l.rows), { padId }), B: idx.length, N,
      scores: Float32Array.from(lists.flatMap((l) => l.scores)), keys: { dataset: d, keys },
    };
  };
  const source = (d: 'train' | 'eval'): RowSource => ({
    dataset: d, size: items(d).length, slots: N,
    rows: (idx) => {
      const b = batch(d, idx);
      return [{ seq: b.seq, keys: b.keys }];
    },
  });
  return {
    step: listwiseStep(loss, { needsReference }), sizes: { train: data.train.length, eval: data.eval.length }, batch,
    rowSources: needsReference ? (['train', 'eval'] as const).filter((d) => items(d).length > 0).map(source) : [],
  };
}
