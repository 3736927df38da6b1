// Reference fused AdamW, elementwise in doubles, following torch.optim.AdamW (amsgrad = false,
// maximize = false): decoupled weight decay first, then the bias-corrected Adam step. The
// denominator is computed as PyTorch does, sqrt(v) / sqrt(1 - beta2^t) + eps, which equals
// sqrt(v / (1 - beta2^t)) + eps as written in backend.ts up to rounding.
import type { AdamWStep, AdamWTensor, Buf } from '../backend.js';

export function adamw(n: number, param: Buf, grad: Buf, m: Buf, v: Buf, o: AdamWStep): void {
  const { lr, beta1, beta2, eps, weightDecay, step } = o;
  const bc1 = 1 - Math.pow(beta1, step);
  const bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
  const stepSize = lr / bc1;
  const decay = 1 - lr * weightDecay;
  for (let i = 0; i < n; i++) {
    const g = grad[i];
    m[i] = beta1 * m[i] + (1 - beta1) * g;
    v[i] = beta2 * v[i] + (1 - beta2) * g * g;
    // Use the stored (possibly float32-rounded) moments, as PyTorch does with its state tensors.
    const mi = m[i];
    const vi = v[i];
    const p = param[i] * decay;
    param[i] = p - stepSize * mi / (Math.sqrt(vi) / bc2Sqrt + eps);
  }
}

export function adamwMany(tensors: AdamWTensor[], o: AdamWStep): void {
  for (const t of tensors) adamw(t.param.length, t.param, t.grad, t.m, t.v, { ...o, weightDecay: t.weightDecay });
}
