// Buffer reuse inside one backward pass. Every intermediate gradient dies as soon as the rule of the
// tensor it belongs to has run, and the next rules ask for buffers of the same few sizes: handing the
// dead ones back (still warm in cache) instead of allocating roughly halves the bytes a training step
// allocates, and with them the garbage collections that external memory pressure triggers.
//
// Safety: only buffers this pool saw being allocated during the pass are ever reused (never a
// forward activation, a parameter or a caller's seed gradient), and only once the pass holds no
// reference to them (the autograd's hold counts reach zero and the buffer is not a leaf's .grad).
// Gradient rules never return views into another buffer (no subarray tensors), so a dead buffer
// has no live alias.
import type { Buf } from './backend.js';
import type { BufferRecycler, DType } from './tensor.js';

export class GradPool implements BufferRecycler {
  private readonly free = new Map<string, Buf[]>();
  private readonly owned = new WeakSet<Buf>();

  take(dtype: DType, n: number): Buf | undefined {
    const buf = this.free.get(`${dtype}:${n}`)?.pop();
    if (buf) this.owned.add(buf);
    return buf;
  }

  note(buf: Buf): void {
    this.owned.add(buf);
  }

  /** Returns a buffer nothing references any more; ignored unless it was allocated in this pass. */
  recycle(buf: Buf): void {
    if (!this.owned.has(buf)) return;
    this.owned.delete(buf); // at most once in the free list
    const key = `${buf instanceof Float64Array ? 'float64' : 'float32'}:${buf.length}`;
    const list = this.free.get(key);
    if (list) list.push(buf);
    else this.free.set(key, [buf]);
  }
}
