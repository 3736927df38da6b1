// Elementwise unary ops and their gradient rules. Values are computed in double and stored in the
// tensor's dtype; the stable forms avoid overflow (softplus, log-sigmoid, sigmoid).
import { record } from '../autograd.js';
import type { GradNode } from '../tensor.js';
import { allocUninit, Tensor } from '../tensor.js';
import type { OpName } from '../grad-rules.js';

function map(op: OpName, x: Tensor, f: (v: number) => number, saved: unknown = null): Tensor {
  const n = x.size;
  const out = allocUninit(x.dtype, n);
  const d = x.data;
  for (let i = 0; i < n; i++) out[i] = f(d[i]);
  return record(op, [x], out, x.shape, saved);
}

/** g * f(x, y) elementwise, for gradient rules (x: saved input, y: saved output). */
function gradMap(g: Tensor, x: Tensor, y: Tensor | null, f: (g: number, x: number, y: number) => number): Tensor {
  const n = g.size;
  const out = allocUninit(g.dtype, n);
  const gd = g.data;
  const xd = x.data;
  const yd = y ? y.data : xd;
  for (let i = 0; i < n; i++) out[i] = f(gd[i], xd[i], yd[i]);
  return new Tensor(out, g.shape);
}

export const sigmoidScalar = (v: number): number => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));
export const softplusScalar = (v: number): number => Math.max(v, 0) + Math.log1p(Math.exp(-Math.abs(v)));

interface Saved {
  x: Tensor;
  y: Tensor | null;
  a?: number;
  b?: number;
}

function unaryOp(op: OpName, x: Tensor, f: (v: number) => number, keepOutput: boolean): Tensor {
  const saved: Saved = { x, y: null };
  const out = map(op, x, f, saved);
  if (keepOutput) saved.y = out.detach();
  return out;
}

export const neg = (x: Tensor): Tensor => unaryOp('neg', x, (v) => -v, false);
export const exp = (x: Tensor): Tensor => unaryOp('exp', x, Math.exp, true);
export const log = (x: Tensor): Tensor => unaryOp('log', x, Math.log, false);
export const sigmoid = (x: Tensor): Tensor => unaryOp('sigmoid', x, sigmoidScalar, true);
/** log(sigmoid(x)) = -softplus(-x), stable for large |x|. */
export const logSigmoid = (x: Tensor): Tensor => unaryOp('logSigmoid', x, (v) => -softplusScalar(-v), false);
/** log(1 + exp(x)), stable. */
export const softplus = (x: Tensor): Tensor => unaryOp('softplus', x, softplusScalar, false);
export const relu = (x: Tensor): Tensor => unaryOp('relu', x, (v) => (v > 0 ? v : 0), false);
export const tanh = (x: Tensor): Tensor => unaryOp('tanh', x, Math.tanh, true);
export const sqrt = (x: Tensor): Tensor => unaryOp('sqrt', x, Math.sqrt, true);
export const abs = (x: Tensor): Tensor => unaryOp('abs', x, Math.abs, false);
export const square = (x: Tensor): Tensor => unaryOp('square', x, (v) => v * v, false);
export const log1p = (x: Tensor): Tensor => unaryOp('log1p', x, Math.log1p, false);
export const expm1 = (x: Tensor): Tensor => unaryOp('expm1', x, Math.expm1, true);

/** x^p for a constant exponent p. */
export function pow(x: Tensor, p: number): Tensor {
  const saved: Saved = { x, y: null, a: p };
  return map('pow', x, (v) => Math.pow(v, p), saved);
}

/** Clamps to [min, max] (either may be omitted); the gradient passes where min <= x <= max. */
export function clamp(x: Tensor, min = -Infinity, max = Infinity): Tensor {
  if (min > max) throw new Error(`clamp: min ${min} is greater than max ${max}`);
  const saved: Saved = { x, y: null, a: min, b: max };
  return map('clamp', x, (v) => (v < min ? min : v > max ? max : v), saved);
}

type Rule = (node: GradNode, g: Tensor) => (Tensor | null)[];
const rule = (f: (g: number, x: number, y: number, s: Saved) => number): Rule => (node, g) => {
  const s = node.saved as Saved;
  return [gradMap(g, s.x, s.y, (gi, xi, yi) => f(gi, xi, yi, s))];
};

export const unaryGradRules = {
  neg: rule((g) => -g),
  exp: rule((g, _x, y) => g * y),
  log: rule((g, x) => g / x),
  sigmoid: rule((g, _x, y) => g * y * (1 - y)),
  logSigmoid: rule((g, x) => g * sigmoidScalar(-x)),
  softplus: rule((g, x) => g * sigmoidScalar(x)),
  relu: rule((g, x) => (x > 0 ? g : 0)),
  tanh: rule((g, _x, y) => g * (1 - y * y)),
  sqrt: rule((g, _x, y) => g / (2 * y)),
  abs: rule((g, x) => g * Math.sign(x)),
  square: rule((g, x) => 2 * x * g),
  log1p: rule((g, x) => g / (1 + x)),
  expm1: rule((g, _x, y) => g * (y + 1)),
  pow: rule((g, x, _y, s) => g * s.a! * Math.pow(x, s.a! - 1)),
  clamp: rule((g, x, _y, s) => (x >= s.a! && x <= s.b! ? g : 0)),
} satisfies Record<string, Rule>;
