// Elementwise binary ops with NumPy broadcasting, comparisons and `where`, with gradient rules.
import { record } from '../autograd.js';
import type { GradNode } from '../tensor.js';
import { allocUninit, Tensor } from '../tensor.js';
import { broadcastShapes, sameShape } from '../shape.js';
import type { ArithOp, Buf } from '../backend.js';
import { backend } from '../select-backend.js';
import type { OpName } from '../grad-rules.js';
import { binaryMap, sumToShape } from './broadcast.js';
import { asTensor, commonDtype, type TensorLike } from './scalar.js';

const ARITH_OPS: ReadonlySet<OpName> = new Set<OpName>(['add', 'sub', 'mul', 'div']);

function binary(op: OpName, a: TensorLike, b: TensorLike, f: (x: number, y: number) => number): Tensor {
  const dtype = commonDtype(a, b);
  const ta = asTensor(a, dtype);
  const tb = asTensor(b, dtype);
  const shape = broadcastShapes(op, ta.shape, tb.shape);
  if (ARITH_OPS.has(op) && sameShape(ta.shape, tb.shape)) {
    // Same shape (every residual add): one backend pass, no per-element closure call.
    const out = allocUninit(dtype, ta.size);
    backend().arith(op as ArithOp, ta.size, ta.data, tb.data, out);
    return record(op, [ta, tb], out, shape, null);
  }
  const out = binaryMap(ta.data, ta.shape, tb.data, tb.shape, shape, dtype, f);
  return record(op, [ta, tb], out, shape, null);
}

export const add = (a: TensorLike, b: TensorLike): Tensor => binary('add', a, b, (x, y) => x + y);
export const sub = (a: TensorLike, b: TensorLike): Tensor => binary('sub', a, b, (x, y) => x - y);
export const mul = (a: TensorLike, b: TensorLike): Tensor => binary('mul', a, b, (x, y) => x * y);
export const div = (a: TensorLike, b: TensorLike): Tensor => binary('div', a, b, (x, y) => x / y);
/** Elementwise max; on ties the gradient goes to `a`. */
export const maximum = (a: TensorLike, b: TensorLike): Tensor => binary('maximum', a, b, (x, y) => (x >= y ? x : y));
/** Elementwise min; on ties the gradient goes to `a`. */
export const minimum = (a: TensorLike, b: TensorLike): Tensor => binary('minimum', a, b, (x, y) => (x <= y ? x : y));

function compare(a: TensorLike, b: TensorLike, f: (x: number, y: number) => boolean): Tensor {
  const dtype = commonDtype(a, b);
  const ta = asTensor(a, dtype);
  const tb = asTensor(b, dtype);
  const shape = broadcastShapes('compare', ta.shape, tb.shape);
  return new Tensor(binaryMap(ta.data, ta.shape, tb.data, tb.shape, shape, dtype, (x, y) => (f(x, y) ? 1 : 0)), shape);
}

/** 1 where a > b, else 0 (no gradient). */
export const gt = (a: TensorLike, b: TensorLike): Tensor => compare(a, b, (x, y) => x > y);
export const ge = (a: TensorLike, b: TensorLike): Tensor => compare(a, b, (x, y) => x >= y);
export const lt = (a: TensorLike, b: TensorLike): Tensor => compare(a, b, (x, y) => x < y);
export const le = (a: TensorLike, b: TensorLike): Tensor => compare(a, b, (x, y) => x <= y);
export const eq = (a: TensorLike, b: TensorLike): Tensor => compare(a, b, (x, y) => x === y);

/** cond ? a : b elementwise (cond nonzero = true), broadcasting all three. */
export function where(cond: Tensor, a: TensorLike, b: TensorLike): Tensor {
  const dtype = commonDtype(a, b);
  const ta = asTensor(a, dtype);
  const tb = asTensor(b, dtype);
  const shape = broadcastShapes('where', broadcastShapes('where', cond.shape, ta.shape), tb.shape);
  const c = binaryMap(cond.data, cond.shape, cond.data, cond.shape, shape, dtype, (x) => (x !== 0 ? 1 : 0));
  const av = binaryMap(ta.data, ta.shape, ta.data, ta.shape, shape, dtype, (x) => x);
  const bv = binaryMap(tb.data, tb.shape, tb.data, tb.shape, shape, dtype, (x) => x);
  const out = av.slice();
  for (let i = 0; i < out.length; i++) if (c[i] === 0) out[i] = bv[i];
  return record('where', [ta, tb], out, shape, new Tensor(c, shape));
}

type Rule = (node: GradNode, g: Tensor) => (Tensor | null)[];

/** x broadcast to g's shape (no copy when it already has it). */
function expandTo(x: Tensor, g: Tensor): Buf {
  return sameShape(x.shape, g.shape) ? x.data : binaryMap(x.data, x.shape, x.data, x.shape, g.shape, g.dtype, (a) => a);
}

function zip(g: Tensor, x: Tensor, y: Tensor, f: (g: number, x: number, y: number) => number): Tensor {
  const out = allocUninit(g.dtype, g.size);
  const xs = expandTo(x, g);
  const ys = expandTo(y, g);
  const gd = g.data;
  for (let i = 0; i < out.length; i++) out[i] = f(gd[i], xs[i], ys[i]);
  return new Tensor(out, g.shape);
}

const binaryRule = (
  fa: ((g: number, x: number, y: number) => number) | null,
  fb: ((g: number, x: number, y: number) => number) | null,
): Rule => (node, g) => {
  const [a, b] = node.inputs;
  return [
    fa && a.requiresGrad ? sumToShape(fa === passThrough ? g : zip(g, a, b, fa), a.shape) : null,
    fb && b.requiresGrad ? sumToShape(fb === passThrough ? g : fb === negate ? negated(g) : zip(g, a, b, fb), b.shape) : null,
  ];
};

const passThrough = (g: number): number => g;
const negate = (g: number): number => -g;

function negated(g: Tensor): Tensor {
  const out = allocUninit(g.dtype, g.size);
  const d = g.data;
  for (let i = 0; i < out.length; i++) out[i] = -d[i];
  return new Tensor(out, g.shape);
}

export const binaryGradRules = {
  add: binaryRule(passThrough, passThrough),
  sub: binaryRule(passThrough, negate),
  mul: binaryRule((g, _x, y) => g * y, (g, x) => g * x),
  div: binaryRule((g, _x, y) => g / y, (g, x, y) => (-g * x) / (y * y)),
  maximum: binaryRule((g, x, y) => (x >= y ? g : 0), (g, x, y) => (x >= y ? 0 : g)),
  minimum: binaryRule((g, x, y) => (x <= y ? g : 0), (g, x, y) => (x <= y ? 0 : g)),
  where: ((node, g) => {
    const [a, b] = node.inputs;
    const c = (node.saved as Tensor).data;
    const ga = g.data.slice();
    const gb = g.data.slice();
    for (let i = 0; i < ga.length; i++) {
      if (c[i] === 0) ga[i] = 0;
      else gb[i] = 0;
    }
    return [
      a.requiresGrad ? sumToShape(new Tensor(ga, g.shape), a.shape) : null,
      b.requiresGrad ? sumToShape(new Tensor(gb, g.shape), b.shape) : null,
    ];
  }) as Rule,
} satisfies Record<string, Rule>;
