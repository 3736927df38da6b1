// An in-memory loader over N examples: a seeded shuffle per epoch (the data layer's shuffledIndices,
// so the order depends only on seed and epoch), consecutive batches, the last short batch dropped
// or kept. Its position (epoch, batch) is all a checkpoint needs to continue with the same batches.
import { shuffledIndices } from '../data/index.js';
import type { Loader, LoaderPosition } from './types.js';

export interface LoaderOptions<B> {
  size: number;
  batchSize: number;
  seed: number;
  shuffle?: boolean;
  dropLast?: boolean;
  /** Builds a batch from dataset indices (collation happens here, lazily). */
  make(indices: Int32Array): B;
}

export function createLoader<B>(o: LoaderOptions<B>): Loader<B> {
  if (o.size <= 0) throw new Error('loader: the dataset is empty (no example survived reading and tokenization)');
  if (!(o.batchSize >= 1)) throw new Error(`loader: batch size must be >= 1, got ${o.batchSize}`);
  const dropLast = (o.dropLast ?? false) && o.size >= o.batchSize;
  const batchesPerEpoch = dropLast ? Math.floor(o.size / o.batchSize) : Math.ceil(o.size / o.batchSize);
  let pos: LoaderPosition = { epoch: 0, batch: 0 };
  let orderEpoch = -1;
  let order: Int32Array = new Int32Array(0);
  const orderOf = (epoch: number): Int32Array => {
    if (orderEpoch !== epoch) {
      order = o.shuffle === false ? Int32Array.from({ length: o.size }, (_, i) => i) : shuffledIndices(o.size, o.seed, epoch);
      orderEpoch = epoch;
    }
    return order;
  };
  return {
    batchesPerEpoch,
    next() {
      if (pos.batch >= batchesPerEpoch) pos = { epoch: pos.epoch + 1, batch: 0 };
      const ord = orderOf(pos.epoch);
      const start = pos.batch * o.batchSize;
      const indices = ord.slice(start, Math.min(start + o.batchSize, o.size));
      pos = { epoch: pos.epoch, batch: pos.batch + 1 };
      return o.make(indices);
    },
    position: () => ({ ...pos }),
    seek(p) {
      if (!Number.isInteger(p.epoch) || !Number.isInteger(p.batch) || p.epoch < 0 || p.batch < 0 || p.batch > batchesPerEpoch) {
        throw new Error(`loader: cannot seek to epoch ${p.epoch} batch ${p.batch} (${batchesPerEpoch} batches per epoch)`);
      }
      pos = { ...p };
    },
  };
}

/** Every index once, in order, in batches (evaluation and reference precomputation). */
export function sequentialBatches(size: number, batchSize: number): Int32Array[] {
  const out: Int32Array[] = [];
  for (let s = 0; s < size; s += batchSize) out.push(Int32Array.from({ length: Math.min(batchSize, size - s) }, (_, k) => s + k));
  return out;
}
