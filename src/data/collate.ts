// Tokenized examples -> padded batches of plain typed arrays (row-major, shape in comments), right
// padded. Layout of a pair batch of B pairs, rows = 2B:
//   rows 0 .. B-1    chosen_0 .. chosen_{B-1}
//   rows B .. 2B-1   rejected_0 .. rejected_{B-1}
// (TRL's concatenated_forward layout: row i and row B + i are the two sides of pair i.)
// Each row is prompt + completion. attentionMask is 1 on real tokens; completionMask is 1 on
// completion tokens (EOS included), the tokens whose log-probs the losses sum. lengths,
// promptLengths and completionLengths are kept for length-normalised losses (SimPO, IPO, ...).

import type { TokenizedPair, TokenizedUnpaired } from './tokenize-example.js';

export interface CollateOptions {
  padId: number;
  /** Round the padded length up to a multiple of this (kernels like multiples of 8). */
  padToMultipleOf?: number;
}

export interface SequenceBatch {
  rows: number;
  seqLen: number;
  inputIds: Int32Array; // (rows, seqLen)
  attentionMask: Float32Array; // (rows, seqLen)
  completionMask: Float32Array; // (rows, seqLen)
  lengths: Int32Array; // (rows,)
  promptLengths: Int32Array; // (rows,)
  completionLengths: Int32Array; // (rows,)
}

export interface PairBatch extends SequenceBatch {
  layout: 'chosen-then-rejected';
  /** Number of pairs B; rows = 2B. */
  pairs: number;
  margin?: Float32Array; // (B,) when every pair has one
  preferenceProbability?: Float32Array; // (B,) when every pair has one
  tie: Uint8Array; // (B,)
}

export interface UnpairedBatch extends SequenceBatch {
  labels: Uint8Array; // (rows,) 1 = desirable
}

function fill(rows: { prompt: number[]; completion: number[] }[], opts: CollateOptions): SequenceBatch {
  const n = rows.length;
  let seqLen = 0;
  for (const r of rows) seqLen = Math.max(seqLen, r.prompt.length + r.completion.length);
  const m = opts.padToMultipleOf ?? 1;
  if (m > 1) seqLen = Math.ceil(seqLen / m) * m;
  const inputIds = new Int32Array(n * seqLen).fill(opts.padId);
  const attentionMask = new Float32Array(n * seqLen);
  const completionMask = new Float32Array(n * seqLen);
  const lengths = new Int32Array(n);
  const promptLengths = new Int32Array(n);
  const completionLengths = new Int32Array(n);
  rows.forEach((r, i) => {
    const base = i * seqLen;
    inputIds.set(r.prompt, base);
    inputIds.set(r.completion, base + r.prompt.length);
    const len = r.prompt.length + r.completion.length;
    attentionMask.fill(1, base, base + len);
    completionMask.fill(1, base + r.prompt.length, base + len);
    lengths[i] = len;
    promptLengths[i] = r.prompt.length;
    completionLengths[i] = r.completion.length;
  });
  return { rows: n, seqLen, inputIds, attentionMask, completionMask, lengths, promptLengths, completionLengths };
}

export function collatePairs(batch: TokenizedPair[], opts: CollateOptions): PairBatch {
  if (batch.length === 0) throw new RangeError('collatePairs: empty batch');
  const rows = [
    ...batch.map((p) => ({ prompt: p.promptIds, completion: p.chosenIds })),
    ...batch.map((p) => ({ prompt: p.promptIds, completion: p.rejectedIds })),
  ];
  const seq = fill(rows, opts);
  const out: PairBatch = { ...seq, layout: 'chosen-then-rejected', pairs: batch.length, tie: Uint8Array.from(batch, (p) => (p.tie ? 1 : 0)) };
  if (batch.every((p) => p.margin !== undefined)) out.margin = Float32Array.from(batch, (p) => p.margin as number);
  if (batch.every((p) => p.preferenceProbability !== undefined)) {
    out.preferenceProbability = Float32Array.from(batch, (p) => p.preferenceProbability as number);
  }
  return out;
}

export function collateUnpaired(batch: TokenizedUnpaired[], opts: CollateOptions): UnpairedBatch {
  if (batch.length === 0) throw new RangeError('collateUnpaired: empty batch');
  const seq = fill(batch.map((e) => ({ prompt: e.promptIds, completion: e.completionIds })), opts);
  return { ...seq, labels: Uint8Array.from(batch, (e) => (e.label ? 1 : 0)) };
}
