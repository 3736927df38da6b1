// Fused row ops on the backend: softmax, log-softmax, RMSNorm, LayerNorm, SiLU, GELU (tanh), SwiGLU.
import { record } from '../autograd.js';
import type { Buf } from '../backend.js';
import { backend } from '../select-backend.js';
import type { GradNode } from '../tensor.js';
import { allocBuffer, allocUninit, Tensor } from '../tensor.js';
import { assertShape, formatShape, sameShape, ShapeError } from '../shape.js';

function rows(x: Tensor): [number, number] {
  const D = x.shape[x.ndim - 1];
  return [D === 0 ? 0 : x.size / D, D];
}

/** Softmax over the last axis. */
export function softmax(x: Tensor): Tensor {
  const [N, V] = rows(x);
  const y = allocUninit(x.dtype, x.size);
  backend().softmaxForward(N, V, x.data, y);
  return record('softmax', [x], y, x.shape, y);
}

/** Log-softmax over the last axis. */
export function logSoftmax(x: Tensor): Tensor {
  const [N, V] = rows(x);
  const y = allocUninit(x.dtype, x.size);
  backend().logSoftmaxForward(N, V, x.data, y);
  return record('logSoftmax', [x], y, x.shape, y);
}

/** RMSNorm over the last axis: w * x / sqrt(mean(x^2) + eps). */
export function rmsNorm(x: Tensor, w: Tensor, eps: number): Tensor {
  const [N, D] = rows(x);
  assertShape('rmsNorm', 'weight', w.shape, [D]);
  const y = allocUninit(x.dtype, x.size);
  const rstd = allocUninit(x.dtype, N);
  backend().rmsNormForward(N, D, x.data, w.data, eps, y, rstd);
  return record('rmsNorm', [x, w], y, x.shape, rstd);
}

/** LayerNorm over the last axis (biased variance). */
export function layerNorm(x: Tensor, w: Tensor, b: Tensor, eps: number): Tensor {
  const [N, D] = rows(x);
  assertShape('layerNorm', 'weight', w.shape, [D]);
  assertShape('layerNorm', 'bias', b.shape, [D]);
  const y = allocUninit(x.dtype, x.size);
  const mean = allocUninit(x.dtype, N);
  const rstd = allocUninit(x.dtype, N);
  backend().layerNormForward(N, D, x.data, w.data, b.data, eps, y, mean, rstd);
  return record('layerNorm', [x, w, b], y, x.shape, { mean, rstd });
}

export function silu(x: Tensor): Tensor {
  const y = allocUninit(x.dtype, x.size);
  backend().siluForward(x.size, x.data, y);
  return record('silu', [x], y, x.shape, null);
}

/** GELU, tanh approximation (HF `gelu_new` / `gelu_pytorch_tanh`). */
export function gelu(x: Tensor): Tensor {
  const y = allocUninit(x.dtype, x.size);
  backend().geluForward(x.size, x.data, y);
  return record('gelu', [x], y, x.shape, null);
}

/** silu(gate) * up, fused. */
export function swiglu(gate: Tensor, up: Tensor): Tensor {
  if (!sameShape(gate.shape, up.shape)) {
    throw new ShapeError('swiglu', `gate ${formatShape(gate.shape)} and up ${formatShape(up.shape)} differ`);
  }
  const y = allocUninit(gate.dtype, gate.size);
  backend().swigluForward(gate.size, gate.data, up.data, y);
  return record('swiglu', [gate, up], y, gate.shape, null);
}

type Rule = (node: GradNode, g: Tensor) => (Tensor | null)[];
const like = (t: Tensor, d: Buf): Tensor => new Tensor(d, t.shape);

export const normActivationGradRules = {
  softmax: ((node, g) => {
    const x = node.inputs[0];
    const [N, V] = rows(x);
    const dx = allocUninit(g.dtype, x.size);
    backend().softmaxBackward(N, V, node.saved as Buf, g.data, dx);
    return [like(x, dx)];
  }) as Rule,
  logSoftmax: ((node, g) => {
    const x = node.inputs[0];
    const [N, V] = rows(x);
    const dx = allocUninit(g.dtype, x.size);
    backend().logSoftmaxBackward(N, V, node.saved as Buf, g.data, dx);
    return [like(x, dx)];
  }) as Rule,
  rmsNorm: ((node, g) => {
    const [x, w] = node.inputs;
    const [N, D] = rows(x);
    const dx = allocUninit(g.dtype, x.size);
    const dw = allocBuffer(g.dtype, D);
    backend().rmsNormBackward(N, D, x.data, w.data, node.saved as Buf, g.data, dx, dw);
    return [like(x, dx), like(w, dw)];
  }) as Rule,
  layerNorm: ((node, g) => {
    const [x, w, b] = node.inputs;
    const [N, D] = rows(x);
    const { mean, rstd } = node.saved as { mean: Buf; rstd: Buf };
    const dx = allocUninit(g.dtype, x.size);
    const dw = allocBuffer(g.dtype, D);
    const db = allocBuffer(g.dtype, D);
    backend().layerNormBackward(N, D, x.data, w.data, mean, rstd, g.data, dx, dw, db);
    return [like(x, dx), like(w, dw), like(b, db)];
  }) as Rule,
  silu: ((node, g) => {
    const x = node.inputs[0];
    const dx = allocUninit(g.dtype, x.size);
    backend().siluBackward(x.size, x.data, g.data, dx);
    return [like(x, dx)];
  }) as Rule,
  gelu: ((node, g) => {
    const x = node.inputs[0];
    const dx = allocUninit(g.dtype, x.size);
    backend().geluBackward(x.size, x.data, g.data, dx);
    return [like(x, dx)];
  }) as Rule,
  swiglu: ((node, g) => {
    const [gate, up] = node.inputs;
    const dg = allocUninit(g.dtype, gate.size);
    const du = allocUninit(g.dtype, up.size);
    backend().swigluBackward(gate.size, gate.data, up.data, g.data, dg, du);
    return [like(gate, dg), like(up, du)];
  }) as Rule,
} satisfies Record<string, Rule>;
