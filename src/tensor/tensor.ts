// The Tensor: a contiguous row-major float32 (or float64, reference backend only) array with a shape,
// and the autograd bookkeeping (which op made it, from which inputs).
//
// Memory policy (chosen once): tensor storage is a JS-owned typed array, reclaimed by the garbage
// collector. Native kernels borrow the memory only for the duration of a call and never keep pointers,
// so there are no native buffers to dispose and nothing to leak across calls. Gradient graphs are freed
// by `backward()` as it consumes them.
import type { Buf } from './backend.js';
import { formatShape, sizeOf, type Shape } from './shape.js';
import type { OpName } from './grad-rules.js';

export type DType = 'float32' | 'float64';

/** One recorded op: the rule for `op` in GRAD_RULES maps the output gradient to the input gradients. */
export interface GradNode {
  op: OpName;
  inputs: Tensor[];
  /** Whatever the op's gradient rule needs (saved inputs, outputs, statistics). */
  saved: unknown;
}

let liveTensors = 0;
const registry = new FinalizationRegistry<void>(() => {
  liveTensors--;
});

/** Number of Tensor objects not yet reclaimed by the GC (for leak tests; run gc() first). */
export function liveTensorCount(): number {
  return liveTensors;
}

/**
 * Where buffers come from while a backward pass runs (see grad-pool.ts): `take` hands back a dead
 * buffer of exactly this dtype and length, or undefined; `note` learns of every fresh buffer.
 */
export interface BufferRecycler {
  take(dtype: DType, n: number): Buf | undefined;
  note(buf: Buf): void;
}

let recycler: BufferRecycler | null = null;

/** Installs (or, with null, removes) the recycler; returns the previous one. */
export function setBufferRecycler(r: BufferRecycler | null): BufferRecycler | null {
  const prev = recycler;
  recycler = r;
  return prev;
}

/** A zero-filled buffer of n elements. */
export function allocBuffer(dtype: DType, n: number): Buf {
  const pooled = recycler !== null && n >= 1024;
  const reused = pooled ? recycler!.take(dtype, n) : undefined;
  if (reused) return reused.fill(0);
  const fresh = dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
  if (pooled) recycler!.note(fresh);
  return fresh;
}

const hasNodeBuffer = typeof Buffer !== 'undefined';

/**
 * A buffer whose contents are garbage, for outputs a kernel overwrites completely: skipping the
 * zero-fill matters because a training step allocates hundreds of MB of such outputs.
 */
export function allocUninit(dtype: DType, n: number): Buf {
  if (!hasNodeBuffer || n < 1024) return allocBuffer(dtype, n);
  const reused = recycler?.take(dtype, n);
  if (reused) return reused;
  const bytes = Buffer.allocUnsafeSlow(n * (dtype === 'float64' ? 8 : 4)).buffer;
  const fresh = dtype === 'float64' ? new Float64Array(bytes, 0, n) : new Float32Array(bytes, 0, n);
  recycler?.note(fresh);
  return fresh;
}

export function dtypeOf(data: Buf): DType {
  return data instanceof Float64Array ? 'float64' : 'float32';
}

export class Tensor {
  readonly shape: readonly number[];
  readonly data: Buf;
  requiresGrad: boolean;
  grad: Tensor | null = null;
  node: GradNode | null;
  /** Optional name (parameter path), used in error messages. */
  name?: string;

  constructor(data: Buf, shape: Shape, requiresGrad = false, node: GradNode | null = null) {
    const n = sizeOf(shape);
    if (data.length !== n) {
      throw new Error(`Tensor: data has ${data.length} elements but shape ${formatShape(shape)} needs ${n}`);
    }
    this.data = data;
    this.shape = Object.freeze([...shape]);
    this.requiresGrad = requiresGrad;
    this.node = node;
    liveTensors++;
    registry.register(this);
  }

  get size(): number {
    return this.data.length;
  }

  get ndim(): number {
    return this.shape.length;
  }

  get dtype(): DType {
    return dtypeOf(this.data);
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.data.length !== 1) {
      throw new Error(`item(): tensor of shape ${formatShape(this.shape)} has ${this.data.length} elements, expected 1`);
    }
    return this.data[0];
  }

  /** Nested arrays (a number for a 0-d tensor). */
  toArray(): unknown {
    const build = (dim: number, offset: number): unknown => {
      if (dim === this.shape.length) return this.data[offset];
      const inner = sizeOf(this.shape.slice(dim + 1));
      const out: unknown[] = [];
      for (let i = 0; i < this.shape[dim]; i++) out.push(build(dim + 1, offset + i * inner));
      return out;
    };
    return build(0, 0);
  }

  /** A tensor sharing this data with no gradient history. */
  detach(): Tensor {
    return new Tensor(this.data, this.shape, false, null);
  }

  /** Backpropagates from this tensor (a scalar, unless `grad` is given). Installed by autograd.ts. */
  backward(grad?: Tensor): void {
    backwardHook(this, grad);
  }

  toString(): string {
    return `Tensor${formatShape(this.shape)} ${this.dtype}${this.requiresGrad ? ' requiresGrad' : ''}`;
  }
}

let backwardHook: (t: Tensor, grad?: Tensor) => void = () => {
  throw new Error('autograd is not loaded; import prefkit tensor functions from src/tensor/index.js');
};

export function installBackward(fn: (t: Tensor, grad?: Tensor) => void): void {
  backwardHook = fn;
}
