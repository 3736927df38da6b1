// The native backend's non-GEMM kernels: each Backend method forwards to the C++ addon
// (native/kernels-binding.cc), which checks buffer lengths and index ranges. The addon is loaded on
// first use, so importing this module never touches the build.
import type { AdamWStep, ArithOp, AttentionShape, Backend, Buf } from '../backend.js';
import { loadNativeAddon } from './load.js';

type F = Float32Array;
type I = Int32Array;
type Mask = Float32Array | null;

/** Positional signatures of the kernel functions exported by the addon. */
interface KernelAddon {
  arith(op: number, n: number, a: F, b: F, out: F): void;
  attentionForward(B: number, T: number, S: number, H: number, Hkv: number, D: number, scale: number,
    causal: boolean, keyMask: Mask, q: F, k: F, v: F, o: F, lse: F): void;
  attentionBackward(B: number, T: number, S: number, H: number, Hkv: number, D: number, scale: number,
    causal: boolean, keyMask: Mask, q: F, k: F, v: F, o: F, lse: F, dO: F, dq: F, dk: F, dv: F): void;
  rmsNormForward(N: number, D: number, x: F, w: F, eps: number, y: F, rstd: F): void;
  rmsNormBackward(N: number, D: number, x: F, w: F, rstd: F, dy: F, dx: F, dw: F): void;
  layerNormForward(N: number, D: number, x: F, w: F, b: F, eps: number, y: F, mean: F, rstd: F): void;
  layerNormBackward(N: number, D: number, x: F, w: F, mean: F, rstd: F, dy: F, dx: F, dw: F, db: F): void;
  rope(B: number, T: number, H: number, D: number, x: F, positions: I, invFreq: F, inverse: boolean, y: F): void;
  siluForward(n: number, x: F, y: F): void;
  siluBackward(n: number, x: F, dy: F, dx: F): void;
  geluForward(n: number, x: F, y: F): void;
  geluBackward(n: number, x: F, dy: F, dx: F): void;
  swigluForward(n: number, gate: F, up: F, y: F): void;
  swigluBackward(n: number, gate: F, up: F, dy: F, dgate: F, dup: F): void;
  softmaxForward(N: number, V: number, x: F, y: F): void;
  softmaxBackward(N: number, V: number, y: F, dy: F, dx: F): void;
  logSoftmaxForward(N: number, V: number, x: F, y: F): void;
  logSoftmaxBackward(N: number, V: number, y: F, dy: F, dx: F): void;
  logprobForward(N: number, V: number, logits: F, labels: I, logp: F, lse: F): void;
  logprobBackward(N: number, V: number, logits: F, labels: I, lse: F, dlogp: F, dlogits: F): void;
  linearLogprobForward(N: number, Hd: number, V: number, h: F, w: F, labels: I, logp: F, lse: F): void;
  linearLogprobBackward(N: number, Hd: number, V: number, h: F, w: F, labels: I, lse: F, dlogp: F, dh: F,
    dw: F): void;
  embeddingForward(N: number, D: number, ids: I, table: F, out: F): void;
  embeddingBackward(N: number, D: number, ids: I, dout: F, dtable: F): void;
  adamwMany(params: F[], grads: F[], ms: F[], vs: F[], weightDecays: Float64Array, lr: number, beta1: number,
    beta2: number, eps: number, step: number): void;
}

/** Op codes of native/kernels.h (kArithAdd...). */
const ARITH_CODES: Record<ArithOp, number> = { add: 0, sub: 1, mul: 2, div: 3 };

let addon: KernelAddon | undefined;

function native(): KernelAddon {
  addon ??= loadNativeAddon() as unknown as KernelAddon;
  return addon;
}

/** Narrows a buffer to Float32Array; float64 buffers belong to the reference backend. */
function f32(b: Buf, name: string): F {
  if (b instanceof Float32Array) return b;
  if (b instanceof Float64Array) {
    throw new TypeError(
      `native kernel argument '${name}' is a Float64Array: native backend is float32 only; ` +
        'use PREFKIT_BACKEND=reference for float64',
    );
  }
  throw new TypeError(`native kernel argument '${name}' must be a Float32Array`);
}

function shapeArgs(s: AttentionShape): [number, number, number, number, number, number, number, boolean, Mask] {
  return [s.B, s.T, s.S, s.H, s.Hkv, s.D, s.scale, s.causal, s.keyMask];
}

export const nativeKernels: Omit<Backend, 'name' | 'gemm'> = {
  attentionForward(s, q, k, v, o, lse) {
    native().attentionForward(...shapeArgs(s), f32(q, 'q'), f32(k, 'k'), f32(v, 'v'), f32(o, 'o'), f32(lse, 'lse'));
  },
  attentionBackward(s, q, k, v, o, lse, dO, dq, dk, dv) {
    native().attentionBackward(...shapeArgs(s), f32(q, 'q'), f32(k, 'k'), f32(v, 'v'), f32(o, 'o'),
      f32(lse, 'lse'), f32(dO, 'dO'), f32(dq, 'dq'), f32(dk, 'dk'), f32(dv, 'dv'));
  },
  rmsNormForward(N, D, x, w, eps, y, rstd) {
    native().rmsNormForward(N, D, f32(x, 'x'), f32(w, 'w'), eps, f32(y, 'y'), f32(rstd, 'rstd'));
  },
  rmsNormBackward(N, D, x, w, rstd, dy, dx, dw) {
    native().rmsNormBackward(N, D, f32(x, 'x'), f32(w, 'w'), f32(rstd, 'rstd'), f32(dy, 'dy'), f32(dx, 'dx'),
      f32(dw, 'dw'));
  },
  layerNormForward(N, D, x, w, b, eps, y, mean, rstd) {
    native().layerNormForward(N, D, f32(x, 'x'), f32(w, 'w'), f32(b, 'b'), eps, f32(y, 'y'), f32(mean, 'mean'),
      f32(rstd, 'rstd'));
  },
  layerNormBackward(N, D, x, w, mean, rstd, dy, dx, dw, db) {
    native().layerNormBackward(N, D, f32(x, 'x'), f32(w, 'w'), f32(mean, 'mean'), f32(rstd, 'rstd'),
      f32(dy, 'dy'), f32(dx, 'dx'), f32(dw, 'dw'), f32(db, 'db'));
  },
  rope(B, T, H, D, x, positions, invFreq, inverse, y) {
    native().rope(B, T, H, D, f32(x, 'x'), positions, invFreq, inverse, f32(y, 'y'));
  },
  siluForward(n, x, y) {
    native().siluForward(n, f32(x, 'x'), f32(y, 'y'));
  },
  siluBackward(n, x, dy, dx) {
    native().siluBackward(n, f32(x, 'x'), f32(dy, 'dy'), f32(dx, 'dx'));
  },
  geluForward(n, x, y) {
    native().geluForward(n, f32(x, 'x'), f32(y, 'y'));
  },
  geluBackward(n, x, dy, dx) {
    native().geluBackward(n, f32(x, 'x'), f32(dy, 'dy'), f32(dx, 'dx'));
  },
  swigluForward(n, gate, up, y) {
    native().swigluForward(n, f32(gate, 'gate'), f32(up, 'up'), f32(y, 'y'));
  },
  swigluBackward(n, gate, up, dy, dgate, dup) {
    native().swigluBackward(n, f32(gate, 'gate'), f32(up, 'up'), f32(dy, 'dy'), f32(dgate, 'dgate'),
      f32(dup, 'dup'));
  },
  softmaxForward(N, V, x, y) {
    native().softmaxForward(N, V, f32(x, 'x'), f32(y, 'y'));
  },
  softmaxBackward(N, V, y, dy, dx) {
    native().softmaxBackward(N, V, f32(y, 'y'), f32(dy, 'dy'), f32(dx, 'dx'));
  },
  logSoftmaxForward(N, V, x, y) {
    native().logSoftmaxForward(N, V, f32(x, 'x'), f32(y, 'y'));
  },
  logSoftmaxBackward(N, V, y, dy, dx) {
    native().logSoftmaxBackward(N, V, f32(y, 'y'), f32(dy, 'dy'), f32(dx, 'dx'));
  },
  logprobForward(N, V, logits, labels, logp, lse) {
    native().logprobForward(N, V, f32(logits, 'logits'), labels, f32(logp, 'logp'), f32(lse, 'lse'));
  },
  logprobBackward(N, V, logits, labels, lse, dlogp, dlogits) {
    native().logprobBackward(N, V, f32(logits, 'logits'), labels, f32(lse, 'lse'), f32(dlogp, 'dlogp'),
      f32(dlogits, 'dlogits'));
  },
  linearLogprobForward(N, Hd, V, h, w, labels, logp, lse) {
    native().linearLogprobForward(N, Hd, V, f32(h, 'h'), f32(w, 'w'), labels, f32(logp, 'logp'), f32(lse, 'lse'));
  },
  linearLogprobBackward(N, Hd, V, h, w, labels, lse, dlogp, dh, dw) {
    native().linearLogprobBackward(N, Hd, V, f32(h, 'h'), f32(w, 'w'), labels, f32(lse, 'lse'),
      f32(dlogp, 'dlogp'), f32(dh, 'dh'), f32(dw, 'dw'));
  },
  embeddingForward(N, D, ids, table, out) {
    native().embeddingForward(N, D, ids, f32(table, 'table'), f32(out, 'out'));
  },
  embeddingBackward(N, D, ids, dout, dtable) {
    native().embeddingBackward(N, D, ids, f32(dout, 'dout'), f32(dtable, 'dtable'));
  },
  adamwMany(tensors, o: AdamWStep) {
    native().adamwMany(tensors.map((t, i) => f32(t.param, `params[${i}]`)), tensors.map((t, i) => f32(t.grad, `grads[${i}]`)),
      tensors.map((t, i) => f32(t.m, `m[${i}]`)), tensors.map((t, i) => f32(t.v, `v[${i}]`)),
      Float64Array.from(tensors, (t) => t.weightDecay), o.lr, o.beta1, o.beta2, o.eps, o.step);
  },
  arith(op, n, a, b, out) {
    const code = ARITH_CODES[op];
    if (code === undefined) throw new RangeError(`arith: unknown op '${op}'; expected add, sub, mul or div`);
    native().arith(code, n, f32(a, 'a'), f32(b, 'b'), f32(out, 'out'));
  },
};
