// Indexing ops: slice, concat, stack, indexSelect, gather, sort — with gradient rules.
import { record } from '../autograd.js';
import type { GradNode } from '../tensor.js';
import { allocBuffer, allocUninit, Tensor } from '../tensor.js';
import { formatShape, normalizeAxis, ShapeError, sizeOf, type Shape } from '../shape.js';
import { unsqueeze } from './shape-ops.js';

/** Integer index arrays (token ids, positions, sort orders): data plus shape. */
export interface IndexTensor {
  data: Int32Array;
  shape: number[];
}

export function indexTensor(data: ArrayLike<number>, shape?: number[]): IndexTensor {
  const d = Int32Array.from(data);
  return { data: d, shape: shape ?? [d.length] };
}

/** View as (outer, n, inner) around an axis. */
function around(shape: Shape, axis: number): [number, number, number] {
  return [sizeOf(shape.slice(0, axis)), shape[axis], sizeOf(shape.slice(axis + 1))];
}

/** Elements start <= i < end along `axis` (negative bounds count from the end). */
export function slice(x: Tensor, axis: number, start: number, end?: number): Tensor {
  const a = normalizeAxis('slice', axis, x.ndim);
  const n = x.shape[a];
  const s = Math.max(0, Math.min(n, start < 0 ? start + n : start));
  const e = Math.max(s, Math.min(n, end === undefined ? n : end < 0 ? end + n : end));
  const [outer, , inner] = around(x.shape, a);
  const len = e - s;
  const out = allocUninit(x.dtype, outer * len * inner);
  for (let o = 0; o < outer; o++) {
    out.set(x.data.subarray((o * n + s) * inner, (o * n + e) * inner), o * len * inner);
  }
  const shape = [...x.shape];
  shape[a] = len;
  return record('slice', [x], out, shape, { axis: a, start: s });
}

export function concat(xs: Tensor[], axis = 0): Tensor {
  if (xs.length === 0) throw new ShapeError('concat', 'needs at least one tensor');
  const a = normalizeAxis('concat', axis, xs[0].ndim);
  const first = xs[0].shape;
  for (const t of xs) {
    if (t.ndim !== first.length || t.shape.some((d, i) => i !== a && d !== first[i])) {
      throw new ShapeError('concat', `shapes ${formatShape(first)} and ${formatShape(t.shape)} differ outside axis ${a}`);
    }
  }
  const total = xs.reduce((n, t) => n + t.shape[a], 0);
  const [outer, , inner] = around(first, a);
  const dtype = xs.some((t) => t.dtype === 'float64') ? 'float64' : 'float32';
  const out = allocUninit(dtype, outer * total * inner);
  let offset = 0;
  for (const t of xs) {
    const len = t.shape[a];
    for (let o = 0; o < outer; o++) {
      out.set(t.data.subarray(o * len * inner, (o + 1) * len * inner), (o * total + offset) * inner);
    }
    offset += len;
  }
  const shape = [...first];
  shape[a] = total;
  return record('concat', xs, out, shape, a);
}

export function stack(xs: Tensor[], axis = 0): Tensor {
  return concat(xs.map((t) => unsqueeze(t, axis)), axis);
}

/** Picks entries index[i] along `axis`: output axis size = index length. */
export function indexSelect(x: Tensor, axis: number, index: IndexTensor | ArrayLike<number>): Tensor {
  const idx = 'shape' in index && 'data' in index ? (index as IndexTensor).data : Int32Array.from(index as ArrayLike<number>);
  const a = normalizeAxis('indexSelect', axis, x.ndim);
  const [outer, n, inner] = around(x.shape, a);
  for (const i of idx) {
    if (i < 0 || i >= n) throw new RangeError(`indexSelect: index ${i} is out of range for axis ${a} of size ${n}`);
  }
  const out = allocUninit(x.dtype, outer * idx.length * inner);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < idx.length; j++) {
      const src = (o * n + idx[j]) * inner;
      out.set(x.data.subarray(src, src + inner), (o * idx.length + j) * inner);
    }
  }
  const shape = [...x.shape];
  shape[a] = idx.length;
  return record('indexSelect', [x], out, shape, { axis: a, idx });
}

/** out[..., i, ...] = x[..., index[..., i, ...], ...] along `axis`; index has x's shape except on axis. */
export function gather(x: Tensor, axis: number, index: IndexTensor): Tensor {
  const a = normalizeAxis('gather', axis, x.ndim);
  if (index.shape.length !== x.ndim || index.shape.some((d, i) => i !== a && d !== x.shape[i])) {
    throw new ShapeError('gather', `index shape ${formatShape(index.shape)} must match ${formatShape(x.shape)} except on axis ${a}`);
  }
  const [outer, n, inner] = around(x.shape, a);
  const m = index.shape[a];
  const out = allocUninit(x.dtype, outer * m * inner);
  for (let o = 0; o < outer; o++) {
    for (let j = 0; j < m; j++) {
      for (let i = 0; i < inner; i++) {
        const k = index.data[(o * m + j) * inner + i];
        if (k < 0 || k >= n) throw new RangeError(`gather: index ${k} is out of range for axis ${a} of size ${n}`);
        out[(o * m + j) * inner + i] = x.data[(o * n + k) * inner + i];
      }
    }
  }
  return record('gather', [x], out, index.shape, { axis: a, index });
}

/** Sorts along `axis` (stable); returns values (differentiable) and the source indices. */
export function sort(x: Tensor, axis = -1, descending = false): { values: Tensor; indices: IndexTensor } {
  const a = normalizeAxis('sort', axis, x.ndim);
  const [outer, n, inner] = around(x.shape, a);
  const index = new Int32Array(x.size);
  const order = new Array<number>(n);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      for (let k = 0; k < n; k++) order[k] = k;
      const at = (k: number): number => x.data[(o * n + k) * inner + i];
      order.sort((p, q) => (descending ? at(q) - at(p) : at(p) - at(q)) || p - q);
      for (let k = 0; k < n; k++) index[(o * n + k) * inner + i] = order[k];
    }
  }
  const indices: IndexTensor = { data: index, shape: [...x.shape] };
  return { values: gather(x, a, indices), indices };
}

type Rule = (node: GradNode, g: Tensor) => (Tensor | null)[];

export const indexGradRules = {
  slice: ((node, g) => {
    const x = node.inputs[0];
    const { axis, start } = node.saved as { axis: number; start: number };
    const [outer, n, inner] = around(x.shape, axis);
    const len = g.shape[axis];
    const out = allocBuffer(g.dtype, x.size);
    for (let o = 0; o < outer; o++) {
      out.set(g.data.subarray(o * len * inner, (o + 1) * len * inner), (o * n + start) * inner);
    }
    return [new Tensor(out, x.shape)];
  }) as Rule,
  concat: ((node, g) => {
    const axis = node.saved as number;
    let offset = 0;
    return node.inputs.map((t) => {
      const part = slice(g, axis, offset, offset + t.shape[axis]);
      offset += t.shape[axis];
      return new Tensor(part.data, t.shape);
    });
  }) as Rule,
  indexSelect: ((node, g) => {
    const x = node.inputs[0];
    const { axis, idx } = node.saved as { axis: number; idx: Int32Array };
    const [outer, n, inner] = around(x.shape, axis);
    const out = new Float64Array(x.size);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < idx.length; j++) {
        const dst = (o * n + idx[j]) * inner;
        const src = (o * idx.length + j) * inner;
        for (let i = 0; i < inner; i++) out[dst + i] += g.data[src + i];
      }
    }
    const res = allocUninit(g.dtype, x.size);
    res.set(out);
    return [new Tensor(res, x.shape)];
  }) as Rule,
  gather: ((node, g) => {
    const x = node.inputs[0];
    const { axis, index } = node.saved as { axis: number; index: IndexTensor };
    const [outer, n, inner] = around(x.shape, axis);
    const m = index.shape[axis];
    const out = new Float64Array(x.size);
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < m; j++) {
        for (let i = 0; i < inner; i++) {
          const k = index.data[(o * m + j) * inner + i];
          out[(o * n + k) * inner + i] += g.data[(o * m + j) * inner + i];
        }
      }
    }
    const res = allocUninit(g.dtype, x.size);
    res.set(out);
    return [new Tensor(res, x.shape)];
  }) as Rule,
} satisfies Record<string, Rule>;
