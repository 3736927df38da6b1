// Early stop on NaN/Inf: the error names the optimizer step and the offending quantity (the loss, the
// gradient norm and the first parameter whose gradient is not finite, or a parameter after the update),
// so a run never continues silently with NaN weights.
import { firstNonFinite } from '../optim/clip.js';
import type { Tensor } from '../tensor/index.js';

export class TrainingDivergedError extends Error {
  constructor(readonly step: number, readonly quantity: string, readonly value: number, detail = '') {
    super(`training stopped at step ${step}: ${quantity} is ${value}${detail ? ` (${detail})` : ''}; ` +
      'hint: lower learning_rate, set max_grad_norm, check the data of this step, or resume from the last checkpoint');
    this.name = 'TrainingDivergedError';
  }
}

const fmt = (m: Record<string, number>): string =>
  Object.entries(m).slice(0, 6).map(([k, v]) => `${k} = ${Number.isFinite(v) ? +v.toPrecision(5) : v}`).join(', ');

export function checkLoss(step: number, loss: number, metrics: Record<string, number>): void {
  if (!Number.isFinite(loss)) throw new TrainingDivergedError(step, 'the loss', loss, fmt(metrics));
}

export function checkGradNorm(step: number, norm: number, named: [string, Tensor][]): void {
  if (Number.isFinite(norm)) return;
  const bad = firstNonFinite(named, 'grad');
  throw new TrainingDivergedError(step, 'the gradient norm', norm,
    bad ? `the gradient of parameter '${bad.name}' is ${bad.value} at index ${bad.index}` : 'no single gradient entry is non-finite: the sum of squares overflowed');
}

export function checkParams(step: number, named: [string, Tensor][]): void {
  const bad = firstNonFinite(named, 'value');
  if (bad) throw new TrainingDivergedError(step, `parameter '${bad.name}' after the update`, bad.value, `at index ${bad.index}`);
}
