// Tensor creation: from values, constants, and seeded random numbers.
import { allocBuffer, Tensor, type DType } from './tensor.js';
import { formatShape, sizeOf, type Shape } from './shape.js';
import { Rng } from './random.js';

export interface CreateOptions {
  dtype?: DType;
  requiresGrad?: boolean;
}

type Nested = number | Nested[];

function flatten(x: Nested, shape: number[], depth: number, out: number[]): void {
  if (typeof x === 'number') {
    if (depth !== shape.length) throw new Error(`tensor(): ragged nested array at depth ${depth}`);
    out.push(x);
    return;
  }
  if (depth === shape.length) shape.push(x.length);
  else if (shape[depth] !== x.length) {
    throw new Error(`tensor(): ragged nested array: length ${x.length} at depth ${depth}, expected ${shape[depth]}`);
  }
  for (const v of x) flatten(v, shape, depth + 1, out);
}

/** A tensor from a number, nested arrays, or a flat array/typed array with an explicit shape. */
export function tensor(values: Nested | ArrayLike<number>, shape?: Shape, opts: CreateOptions = {}): Tensor {
  const dtype = opts.dtype ?? (values instanceof Float64Array ? 'float64' : 'float32');
  let flat: ArrayLike<number>;
  let dims: number[];
  if (shape) {
    flat = typeof values === 'number' ? [values] : Array.isArray(values) ? (values as unknown[]).flat(Infinity) as number[] : values as ArrayLike<number>;
    dims = [...shape];
    if (flat.length !== sizeOf(dims)) {
      throw new Error(`tensor(): ${flat.length} values do not fill shape ${formatShape(dims)} (${sizeOf(dims)} elements)`);
    }
  } else if (typeof values === 'number' || Array.isArray(values)) {
    dims = [];
    const out: number[] = [];
    flatten(values as Nested, dims, 0, out);
    flat = out;
  } else {
    flat = values;
    dims = [values.length];
  }
  const data = allocBuffer(dtype, flat.length);
  data.set(flat as ArrayLike<number>);
  return new Tensor(data, dims, opts.requiresGrad ?? false);
}

export function full(shape: Shape, value: number, opts: CreateOptions = {}): Tensor {
  const data = allocBuffer(opts.dtype ?? 'float32', sizeOf(shape));
  if (value !== 0) data.fill(value);
  return new Tensor(data, shape, opts.requiresGrad ?? false);
}

export const zeros = (shape: Shape, opts: CreateOptions = {}): Tensor => full(shape, 0, opts);
export const ones = (shape: Shape, opts: CreateOptions = {}): Tensor => full(shape, 1, opts);
export const zerosLike = (t: Tensor): Tensor => full(t.shape, 0, { dtype: t.dtype });

export interface RandomOptions extends CreateOptions {
  /** Seed for a fresh generator (default 0), or pass `rng` to continue a stream. */
  seed?: number;
  rng?: Rng;
  /** Standard deviation (randn) — default 1. */
  std?: number;
  mean?: number;
}

/** Normal samples from a seeded generator. */
export function randn(shape: Shape, opts: RandomOptions = {}): Tensor {
  const rng = opts.rng ?? new Rng(opts.seed ?? 0);
  const data = allocBuffer(opts.dtype ?? 'float32', sizeOf(shape));
  const std = opts.std ?? 1;
  const mean = opts.mean ?? 0;
  for (let i = 0; i < data.length; i++) data[i] = mean + std * rng.normal();
  return new Tensor(data, shape, opts.requiresGrad ?? false);
}

/** Uniform samples in [low, high). */
export function rand(shape: Shape, opts: RandomOptions & { low?: number; high?: number } = {}): Tensor {
  const rng = opts.rng ?? new Rng(opts.seed ?? 0);
  const data = allocBuffer(opts.dtype ?? 'float32', sizeOf(shape));
  const low = opts.low ?? 0;
  const high = opts.high ?? 1;
  for (let i = 0; i < data.length; i++) data[i] = low + (high - low) * rng.uniform();
  return new Tensor(data, shape, opts.requiresGrad ?? false);
}

export function arange(n: number, opts: CreateOptions = {}): Tensor {
  const data = allocBuffer(opts.dtype ?? 'float32', n);
  for (let i = 0; i < n; i++) data[i] = i;
  return new Tensor(data, [n], opts.requiresGrad ?? false);
}
