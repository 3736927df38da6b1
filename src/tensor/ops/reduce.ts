// Reductions over axes (sum, mean, max, min, logsumexp) and their gradient rules. A reduction over
// several axes runs as successive single-axis reductions; accumulation is in double.
import { record } from '../autograd.js';
import type { GradNode } from '../tensor.js';
import { allocUninit, Tensor } from '../tensor.js';
import { normalizeAxis, sizeOf, type Shape } from '../shape.js';
import { reshape } from './shape-ops.js';
import { binaryMap } from './broadcast.js';

export type Axes = number | number[] | undefined;

function resolveAxes(op: string, x: Tensor, axes: Axes): number[] {
  if (axes === undefined) return x.shape.map((_, i) => i);
  const list = (Array.isArray(axes) ? axes : [axes]).map((a) => normalizeAxis(op, a, x.ndim));
  return [...new Set(list)].sort((a, b) => a - b);
}

/** Output shape keeping the reduced axes as size 1. */
function keptShape(shape: Shape, axes: number[]): number[] {
  return shape.map((d, i) => (axes.includes(i) ? 1 : d));
}

function finalShape(shape: Shape, axes: number[], keepDim: boolean): number[] {
  return keepDim ? keptShape(shape, axes) : shape.filter((_, i) => !axes.includes(i));
}

type Reducer = 'sum' | 'max' | 'min';

/** Reduces one axis of a buffer viewed as (outer, n, inner); for max/min also records arg positions. */
function reduceAxis(data: ArrayLike<number>, shape: Shape, axis: number, kind: Reducer, argOut?: Int32Array[]): {
  out: Float64Array; shape: number[];
} {
  const outer = sizeOf(shape.slice(0, axis));
  const n = shape[axis];
  const inner = sizeOf(shape.slice(axis + 1));
  const out = new Float64Array(outer * inner);
  const arg = kind === 'sum' ? null : new Int32Array(outer * inner);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      let acc = kind === 'sum' ? 0 : data[base];
      let best = 0;
      for (let k = 0; k < n; k++) {
        const v = data[base + k * inner];
        if (kind === 'sum') acc += v;
        else if ((kind === 'max' && v > acc) || (kind === 'min' && v < acc) || (Number.isNaN(v) && !Number.isNaN(acc))) {
          acc = v;
          best = k;
        }
      }
      out[o * inner + i] = acc;
      if (arg) arg[o * inner + i] = best;
    }
  }
  if (arg && argOut) argOut.push(arg);
  const newShape = [...shape];
  newShape[axis] = 1;
  return { out, shape: newShape };
}

function reduce(op: 'sum' | 'max' | 'min', x: Tensor, axes: Axes, keepDim: boolean): Tensor {
  const ax = resolveAxes(op, x, axes);
  for (const a of ax) {
    if (x.shape[a] === 0 && op !== 'sum') throw new Error(`${op}: cannot reduce an empty axis ${a}`);
  }
  let data: ArrayLike<number> = x.data;
  let shape: number[] = [...x.shape];
  const args: Int32Array[] = [];
  for (const a of ax) {
    const r = reduceAxis(data, shape, a, op, args);
    data = r.out;
    shape = r.shape;
  }
  const out = allocUninit(x.dtype, sizeOf(shape));
  out.set(data as Float64Array);
  const saved = { axes: ax, keepDim, out: null as Tensor | null };
  const result = record(op, [x], out, finalShape(x.shape, ax, keepDim), saved);
  if (op !== 'sum') saved.out = new Tensor(out, keptShape(x.shape, ax));
  return result;
}

export const sum = (x: Tensor, axes?: Axes, keepDim = false): Tensor => reduce('sum', x, axes, keepDim);
/** Values of the maximum (gradient flows to every position equal to the max, split evenly). */
export const max = (x: Tensor, axes?: Axes, keepDim = false): Tensor => reduce('max', x, axes, keepDim);
export const min = (x: Tensor, axes?: Axes, keepDim = false): Tensor => reduce('min', x, axes, keepDim);

export function mean(x: Tensor, axes?: Axes, keepDim = false): Tensor {
  const ax = resolveAxes('mean', x, axes);
  const count = ax.reduce((n, a) => n * x.shape[a], 1);
  const s = reduce('sum', x, ax, keepDim);
  return record('scale', [s], scaleBuf(s.data, 1 / count), s.shape, 1 / count);
}

function scaleBuf(d: ArrayLike<number> & { length: number }, c: number): Float32Array | Float64Array {
  const out = d instanceof Float64Array ? new Float64Array(d.length) : new Float32Array(d.length);
  for (let i = 0; i < d.length; i++) out[i] = d[i] * c;
  return out;
}

/** Multiplies by a constant (recorded, so it has a gradient). */
export function scale(x: Tensor, c: number): Tensor {
  return record('scale', [x], scaleBuf(x.data, c), x.shape, c);
}

/** log(sum(exp(x))) over axes, stable (subtracts the max). */
export function logsumexp(x: Tensor, axes?: Axes, keepDim = false): Tensor {
  const ax = resolveAxes('logsumexp', x, axes);
  let mx: { out: Float64Array; shape: number[] } = { out: Float64Array.from(x.data), shape: [...x.shape] };
  for (const a of ax) mx = reduceAxis(mx.out, mx.shape, a, 'max');
  const m = mx.out.map((v) => (Number.isFinite(v) ? v : 0));
  const shifted = binaryMap(x.data, x.shape, m, mx.shape, x.shape, 'float64', (v, mv) => Math.exp(v - mv));
  let s: { out: Float64Array; shape: number[] } = { out: shifted as Float64Array, shape: [...x.shape] };
  for (const a of ax) s = reduceAxis(s.out, s.shape, a, 'sum');
  const out = allocUninit(x.dtype, s.out.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.log(s.out[i]) + m[i];
  const saved = { axes: ax, keepDim, out: new Tensor(out, keptShape(x.shape, ax)) };
  return record('logsumexp', [x], out, finalShape(x.shape, ax, keepDim), saved);
}

interface Saved {
  axes: number[];
  keepDim: boolean;
  out: Tensor | null;
}

type Rule = (node: GradNode, g: Tensor) => (Tensor | null)[];

/** Broadcasts g (reduced shape) back over x's shape, combined with x by f(g, x, out). */
function expandGrad(node: GradNode, g: Tensor, f: (g: number, x: number, out: number) => number): Tensor {
  const x = node.inputs[0];
  const s = node.saved as Saved;
  const kept = keptShape(x.shape, s.axes);
  const gk = reshape(g, kept);
  const gx = binaryMap(gk.data, kept, x.data, x.shape, x.shape, g.dtype, (gv) => gv);
  const outx = s.out ? binaryMap(s.out.data, kept, x.data, x.shape, x.shape, g.dtype, (ov) => ov) : null;
  const res = allocUninit(g.dtype, x.size);
  const xd = x.data;
  for (let i = 0; i < res.length; i++) res[i] = f(gx[i], xd[i], outx ? outx[i] : 0);
  return new Tensor(res, x.shape);
}

/** Max/min gradient: split evenly among tied extreme positions (like PyTorch's amax). */
function extremeRule(node: GradNode, g: Tensor): (Tensor | null)[] {
  const x = node.inputs[0];
  const s = node.saved as Saved;
  const mask = expandGrad(node, g, (_g, xv, ov) => (xv === ov ? 1 : 0));
  const counts = reduce('sum', mask, s.axes, true);
  const kept = keptShape(x.shape, s.axes);
  const cx = binaryMap(counts.data, kept, x.data, x.shape, x.shape, g.dtype, (c) => c);
  const gx = expandGrad(node, g, (gv) => gv);
  const res = allocUninit(g.dtype, x.size);
  for (let i = 0; i < res.length; i++) res[i] = mask.data[i] ? gx.data[i] / cx[i] : 0;
  return [new Tensor(res, x.shape)];
}

export const reduceGradRules = {
  sum: ((node, g) => [expandGrad(node, g, (gv) => gv)]) as Rule,
  max: extremeRule as Rule,
  min: extremeRule as Rule,
  logsumexp: ((node, g) => [expandGrad(node, g, (gv, xv, ov) => gv * Math.exp(xv - ov))]) as Rule,
  scale: ((node, g) => [new Tensor(scaleBuf(g.data, node.saved as number), g.shape)]) as Rule,
} satisfies Record<string, Rule>;
