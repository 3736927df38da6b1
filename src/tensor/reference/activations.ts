// Reference elementwise activations: SiLU, GELU (tanh form, as HF `gelu_new` / GPT-2) and SwiGLU.
import type { Buf } from '../backend.js';

/** 1 / (1 + e^-x): for x -> -inf, e^-x overflows to Infinity and the result is a clean 0. */
function sigmoid(x: number): number {
  return 1 / (1 + Math.exp(-x));
}

/** d/dx [x σ(x)] = σ(x) (1 + x (1 - σ(x))). */
function siluGrad(x: number): number {
  const s = sigmoid(x);
  return s * (1 + x * (1 - s));
}

export function siluForward(n: number, x: Buf, y: Buf): void {
  for (let i = 0; i < n; i++) y[i] = x[i] * sigmoid(x[i]);
}

export function siluBackward(n: number, x: Buf, dy: Buf, dx: Buf): void {
  for (let i = 0; i < n; i++) dx[i] = dy[i] * siluGrad(x[i]);
}

const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_A = 0.044715;

export function geluForward(n: number, x: Buf, y: Buf): void {
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    y[i] = 0.5 * xi * (1 + Math.tanh(GELU_C * (xi + GELU_A * xi * xi * xi)));
  }
}

/** With u = c (x + a x³): d/dx = 0.5 (1 + tanh u) + 0.5 x (1 - tanh² u) c (1 + 3 a x²). */
export function geluBackward(n: number, x: Buf, dy: Buf, dx: Buf): void {
  for (let i = 0; i < n; i++) {
    const xi = x[i];
    const th = Math.tanh(GELU_C * (xi + GELU_A * xi * xi * xi));
    const g = 0.5 * (1 + th) + 0.5 * xi * (1 - th * th) * GELU_C * (1 + 3 * GELU_A * xi * xi);
    dx[i] = dy[i] * g;
  }
}

export function swigluForward(n: number, gate: Buf, up: Buf, y: Buf): void {
  for (let i = 0; i < n; i++) y[i] = gate[i] * sigmoid(gate[i]) * up[i];
}

/** dgate = dy · up · silu'(gate);  dup = dy · silu(gate). */
export function swigluBackward(n: number, gate: Buf, up: Buf, dy: Buf, dgate: Buf, dup: Buf): void {
  for (let i = 0; i < n; i++) {
    const g = gate[i];
    const d = dy[i];
    // Read inputs before writing: callers may reuse a gradient buffer as dy.
    const u = up[i];
    dgate[i] = d * u * siluGrad(g);
    dup[i] = d * g * sigmoid(g);
  }
}
