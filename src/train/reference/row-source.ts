// The rows a reference model scores, per dataset: each example has a fixed number of slots (pairs:
// chosen, rejected; unpaired: the completion and its KL row; lists: N responses), and row key
// example * slots + slot. Step functions build the same rows, so precomputed values line up.
import { createHash } from 'node:crypto';
import type { SequenceBatch } from '../../data/index.js';
import { sequentialBatches } from '../loader.js';
import type { RowKeys } from '../types.js';

export interface RowSource {
  /** 'train' or 'eval'. */
  dataset: string;
  size: number;
  slots: number;
  /** Collated rows of these examples, with their keys. */
  rows(indices: Int32Array): { seq: SequenceBatch; keys: RowKeys }[];
}

/** sha256 of exactly what the reference model sees: every row's tokens, prompt length and key. */
export function rowsFingerprint(src: RowSource, batchSize = 64): string {
  const h = createHash('sha256');
  h.update(`${src.dataset}:${src.size}:${src.slots}\n`);
  for (const idx of sequentialBatches(src.size, batchSize)) {
    for (const { seq, keys } of src.rows(idx)) {
      for (let r = 0; r < seq.rows; r++) {
        const ids = seq.inputIds.subarray(r * seq.seqLen, r * seq.seqLen + seq.lengths[r]);
        h.update(Int32Array.of(keys.keys[r], seq.promptLengths[r], seq.lengths[r]));
        h.update(new Uint8Array(ids.buffer, ids.byteOffset, ids.byteLength));
      }
    }
  }
  return h.digest('hex');
}

/** Row keys of a pair batch (chosen rows, then rejected rows). */
export function pairKeys(dataset: string, indices: Int32Array): RowKeys {
  const keys = new Int32Array(2 * indices.length);
  indices.forEach((i, k) => {
    keys[k] = 2 * i;
    keys[indices.length + k] = 2 * i + 1;
  });
  return { dataset, keys };
}

/** Row keys of one slot for each example. */
export function slotKeys(dataset: string, indices: Int32Array, slots: number, slot: number): RowKeys {
  return { dataset, keys: Int32Array.from(indices, (i) => i * slots + slot) };
}
