// AdamW (decoupled weight decay, PyTorch semantics) as an {init, update} transform over named
// parameters, using the backend's fused kernel. Updates parameters in place (their storage is reused
// so models and optimizer state keep their references).
import { backend, type Tensor } from '../tensor/index.js';
import type { AdamWTensor } from '../tensor/backend.js';

export interface AdamWOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
  weightDecay?: number;
  /** Parameter names that get no weight decay (default: norms and biases, i.e. rank-1 tensors). */
  noDecay?: (name: string, param: Tensor) => boolean;
}

export interface AdamWState {
  step: number;
  m: Map<string, Float32Array | Float64Array>;
  v: Map<string, Float32Array | Float64Array>;
}

export const defaultNoDecay = (_name: string, p: Tensor): boolean => p.ndim < 2;

export function adamwInit(named: [string, Tensor][]): AdamWState {
  const m = new Map<string, Float32Array | Float64Array>();
  const v = new Map<string, Float32Array | Float64Array>();
  for (const [name, p] of named) {
    m.set(name, p.data instanceof Float64Array ? new Float64Array(p.size) : new Float32Array(p.size));
    v.set(name, p.data instanceof Float64Array ? new Float64Array(p.size) : new Float32Array(p.size));
  }
  return { step: 0, m, v };
}

/** One AdamW step over every parameter that has a gradient; `lr` may come from a schedule. */
export function adamwUpdate(state: AdamWState, named: [string, Tensor][], opts: AdamWOptions): void {
  state.step++;
  const noDecay = opts.noDecay ?? defaultNoDecay;
  const tensors: AdamWTensor[] = [];
  for (const [name, p] of named) {
    if (!p.grad) continue;
    const m = state.m.get(name);
    const v = state.v.get(name);
    if (!m || !v) throw new Error(`adamw: parameter '${name}' has no optimizer state (was it added after init?)`);
    tensors.push({ param: p.data, grad: p.grad.data, m, v, weightDecay: noDecay(name, p) ? 0 : opts.weightDecay ?? 0 });
  }
  // One kernel call for the whole model: threads split the concatenated elements, not each tensor.
  backend().adamwMany(tensors, {
    lr: opts.lr, beta1: opts.beta1 ?? 0.9, beta2: opts.beta2 ?? 0.999, eps: opts.eps ?? 1e-8, weightDecay: 0, step: state.step,
  });
}
