// Shape ops: reshape (shares data), permute/transpose (copies into the new order), unsqueeze/squeeze.
import { record } from '../autograd.js';
import type { GradNode } from '../tensor.js';
import { allocUninit, Tensor } from '../tensor.js';
import { formatShape, normalizeAxis, ShapeError, sizeOf, stridesOf, type Shape } from '../shape.js';

/** Same data, new shape; one dimension may be -1 (inferred). */
export function reshape(x: Tensor, shape: Shape): Tensor {
  const dims = [...shape];
  const unknown = dims.indexOf(-1);
  if (unknown >= 0) {
    const known = dims.reduce((n, d, i) => (i === unknown ? n : n * d), 1);
    if (known === 0 || x.size % known !== 0) {
      throw new ShapeError('reshape', `cannot reshape ${formatShape(x.shape)} to ${formatShape(shape)}`);
    }
    dims[unknown] = x.size / known;
  }
  if (sizeOf(dims) !== x.size || dims.some((d) => d < 0 || !Number.isInteger(d))) {
    throw new ShapeError('reshape', `cannot reshape ${formatShape(x.shape)} (${x.size} elements) to ${formatShape(shape)}`);
  }
  return record('reshape', [x], x.data, dims, null);
}

export function unsqueeze(x: Tensor, axis: number): Tensor {
  const a = normalizeAxis('unsqueeze', axis, x.ndim + 1);
  const dims = [...x.shape];
  dims.splice(a, 0, 1);
  return reshape(x, dims);
}

export function squeeze(x: Tensor, axis: number): Tensor {
  const a = normalizeAxis('squeeze', axis, x.ndim);
  if (x.shape[a] !== 1) throw new ShapeError('squeeze', `axis ${axis} of ${formatShape(x.shape)} has size ${x.shape[a]}, expected 1`);
  return reshape(x, x.shape.filter((_, i) => i !== a));
}

function permuteData(x: Tensor, perm: number[]): Float32Array | Float64Array {
  const outShape = perm.map((p) => x.shape[p]);
  const inStrides = stridesOf(x.shape);
  const stepOf = perm.map((p) => inStrides[p]);
  const out = allocUninit(x.dtype, x.size);
  const rank = perm.length;
  const counter = new Array<number>(rank).fill(0);
  const src = x.data;
  let cur = 0;
  for (let k = 0; k < out.length; k++) {
    out[k] = src[cur];
    for (let d = rank - 1; d >= 0; d--) {
      counter[d]++;
      cur += stepOf[d];
      if (counter[d] < outShape[d]) break;
      cur -= stepOf[d] * counter[d];
      counter[d] = 0;
    }
  }
  return out;
}

/** Reorders axes: output axis i is input axis perm[i]. */
export function permute(x: Tensor, perm: number[]): Tensor {
  if (perm.length !== x.ndim || [...perm].sort((a, b) => a - b).some((p, i) => p !== i)) {
    throw new ShapeError('permute', `perm [${perm.join(', ')}] is not a permutation of the ${x.ndim} axes of ${formatShape(x.shape)}`);
  }
  return record('permute', [x], permuteData(x, perm), perm.map((p) => x.shape[p]), perm);
}

export function transpose(x: Tensor, a = -2, b = -1): Tensor {
  const ia = normalizeAxis('transpose', a, x.ndim);
  const ib = normalizeAxis('transpose', b, x.ndim);
  const perm = x.shape.map((_, i) => i);
  perm[ia] = ib;
  perm[ib] = ia;
  return permute(x, perm);
}

type Rule = (node: GradNode, g: Tensor) => (Tensor | null)[];

export const shapeGradRules = {
  reshape: ((node, g) => [new Tensor(g.data, node.inputs[0].shape)]) as Rule,
  permute: ((node, g) => {
    const perm = node.saved as number[];
    const inverse = new Array<number>(perm.length);
    perm.forEach((p, i) => (inverse[p] = i));
    return [new Tensor(permuteData(g, inverse), node.inputs[0].shape)];
  }) as Rule,
} satisfies Record<string, Rule>;
