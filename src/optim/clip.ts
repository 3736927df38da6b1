// Gradient-norm clipping over named parameters (torch.nn.utils.clip_grad_norm_ semantics: the global
// L2 norm over every gradient; when above max, every gradient is scaled by max / (norm + 1e-6)).
// The norm is accumulated in float64 so it is the same on every backend.
import type { Tensor } from '../tensor/index.js';

/** Global L2 norm of every parameter's gradient (parameters without a gradient count as 0). */
export function globalGradNorm(named: [string, Tensor][]): number {
  let total = 0;
  for (const [, p] of named) {
    if (!p.grad) continue;
    const g = p.grad.data;
    for (let i = 0; i < g.length; i++) total += g[i] * g[i];
  }
  return Math.sqrt(total);
}

/** Scales gradients so their global norm is at most maxNorm; returns the norm before clipping. */
export function clipGradNorm(named: [string, Tensor][], maxNorm: number): number {
  const norm = globalGradNorm(named);
  if (maxNorm > 0 && Number.isFinite(norm) && norm > maxNorm) {
    const c = maxNorm / (norm + 1e-6);
    for (const [, p] of named) {
      if (!p.grad) continue;
      const g = p.grad.data;
      for (let i = 0; i < g.length; i++) g[i] *= c;
    }
  }
  return norm;
}

/** The first parameter (by name) whose gradient (`grad`) or value (`value`) holds NaN or Inf. */
export function firstNonFinite(named: [string, Tensor][], what: 'grad' | 'value'): { name: string; index: number; value: number } | null {
  for (const [name, p] of named) {
    const d = what === 'grad' ? p.grad?.data : p.data;
    if (!d) continue;
    for (let i = 0; i < d.length; i++) {
      if (!Number.isFinite(d[i])) return { name, index: i, value: d[i] };
    }
  }
  return null;
}
