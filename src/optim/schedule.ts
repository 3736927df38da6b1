// Learning-rate schedules as pure functions of the optimizer step (0-based: the lr used by update
// number `step + 1`), as HF transformers' get_scheduler:
//   constant               lr
//   constant_with_warmup   lr * min(1, step / warmup)
//   linear                 warmup, then lr * (total - step) / (total - warmup), down to 0
//   cosine                 warmup, then lr * 0.5 * (1 + cos(pi * progress)), progress in [0, 1]
// min_lr_ratio (not in HF's defaults, 0) keeps linear and cosine above lr * min_lr_ratio.

export const SCHEDULES = ['constant', 'constant_with_warmup', 'linear', 'cosine'] as const;
export type ScheduleName = (typeof SCHEDULES)[number];

export interface ScheduleOptions {
  name: ScheduleName;
  lr: number;
  /** Optimizer steps of linear warmup from 0 (0 = none). */
  warmupSteps: number;
  /** Total optimizer steps of the run (linear / cosine decay to the end). */
  totalSteps: number;
  minLrRatio?: number;
}

/** The learning rate of optimizer step `step` (0-based). */
export function learningRateAt(step: number, o: ScheduleOptions): number {
  const warm = Math.max(0, o.warmupSteps);
  if (o.name !== 'constant' && warm > 0 && step < warm) return (o.lr * step) / warm;
  if (o.name === 'constant' || o.name === 'constant_with_warmup') return o.lr;
  const floor = o.lr * (o.minLrRatio ?? 0);
  const span = Math.max(1, o.totalSteps - warm);
  const progress = Math.min(1, Math.max(0, (step - warm) / span));
  const factor = o.name === 'linear' ? 1 - progress : 0.5 * (1 + Math.cos(Math.PI * progress));
  return floor + (o.lr - floor) * factor;
}

/** Warmup steps from an explicit count or a ratio of the total (HF: the count wins when > 0). */
export function warmupStepsOf(warmupSteps: number, warmupRatio: number, totalSteps: number): number {
  return warmupSteps > 0 ? warmupSteps : Math.ceil(warmupRatio * totalSteps);
}
