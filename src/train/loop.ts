// The training loop: train({ model, ref, step, optimizer, loader, hooks }). It owns only the order of
// things — micro-batches with gradient accumulation, clipping, the NaN/Inf guard, the optimizer update
// at the scheduled learning rate, metric averaging over the logging interval, evaluation, checkpoints
// and a clean stop — and knows nothing of any method: a method is its step function.
import { backward, scale } from '../tensor/index.js';
import type { DecoderModel } from '../models/decoder-params.js';
import { clipGradNorm } from '../optim/clip.js';
import type { Optimizer } from '../optim/optimizer.js';
import { checkGradNorm, checkLoss, checkParams } from './diverged.js';
import type { Loader, LoopState, MetricLine, ReferenceProvider, StepFn, TrainHooks } from './types.js';

export interface TrainOptions<B> {
  model: DecoderModel;
  ref?: ReferenceProvider | null;
  step: StepFn<B>;
  optimizer: Optimizer;
  loader: Loader<B>;
  hooks?: TrainHooks;
  /** Optimizer steps to reach (counted from 0, including steps done before a resume). */
  maxSteps: number;
  /** Learning rate of optimizer step s (0-based); see optim/schedule.ts. */
  learningRate: (step: number) => number;
  gradientAccumulationSteps?: number;
  /** Global gradient-norm clipping (0 or absent = off; the norm is still measured and logged). */
  maxGradNorm?: number;
  loggingSteps?: number;
  evalSteps?: number | null;
  saveSteps?: number | null;
  /** Continue from a checkpoint's loop state (weights and optimizer already restored by the caller). */
  resume?: LoopState | null;
}

export interface TrainResult {
  state: LoopState;
  stopped: 'completed' | 'interrupted';
  /** The last logged training line and the last evaluation line (if any). */
  lastLine: MetricLine | null;
  lastEval: MetricLine | null;
}

function emptyPending(): LoopState['pending'] {
  return { sums: {}, counts: {}, steps: 0, tokens: 0, seconds: 0 };
}

function addMetrics(p: LoopState['pending'], m: Record<string, number>): void {
  for (const [k, v] of Object.entries(m)) {
    if (!Number.isFinite(v)) continue; // e.g. KTO rewards/chosen of a batch without desirable examples
    p.sums[k] = (p.sums[k] ?? 0) + v;
    p.counts[k] = (p.counts[k] ?? 0) + 1;
  }
}

const round = (v: number, digits = 4): number => Math.round(v * 10 ** digits) / 10 ** digits;

/** Runs optimizer steps until maxSteps (or a stop request); returns the final loop state. */
export async function train<B>(o: TrainOptions<B>): Promise<TrainResult> {
  const accum = o.gradientAccumulationSteps ?? 1;
  const logging = Math.max(1, o.loggingSteps ?? 10);
  const hooks = o.hooks ?? {};
  const named = o.optimizer.named;
  const state: LoopState = o.resume
    ? { step: o.resume.step, loader: { ...o.resume.loader }, pending: structuredClone(o.resume.pending) }
    : { step: 0, loader: o.loader.position(), pending: emptyPending() };
  if (o.resume) o.loader.seek(state.loader);
  let lastLine: MetricLine | null = null;
  let lastEval: MetricLine | null = null;
  const epochNow = (): number => {
    const p = o.loader.position();
    return round(p.epoch + p.batch / o.loader.batchesPerEpoch);
  };
  const runEval = (): void => {
    if (!hooks.evaluate) return;
    lastEval = { step: state.step, ...hooks.evaluate(state.step) };
    hooks.onEvalLog?.(lastEval);
  };

  while (state.step < o.maxSteps) {
    const t0 = performance.now();
    const stepNo = state.step + 1;
    const lr = o.learningRate(state.step);
    for (const [, p] of named) p.grad = null;
    const micro: LoopState['pending'] = emptyPending();
    let tokens = 0;
    for (let k = 0; k < accum; k++) {
      const batch = o.loader.next();
      const r = o.step(batch, { model: o.model, ref: o.ref ?? null, step: state.step, training: true });
      const loss = r.loss.item();
      checkLoss(stepNo, loss, r.metrics);
      backward(accum === 1 ? r.loss : scale(r.loss, 1 / accum));
      addMetrics(micro, { loss, ...r.metrics });
      tokens += r.tokens;
    }
    const gradNorm = clipGradNorm(named, o.maxGradNorm ?? 0);
    checkGradNorm(stepNo, gradNorm, named);
    o.optimizer.update(lr);
    checkParams(stepNo, named);
    state.step = stepNo;
    state.loader = o.loader.position();
    hooks.afterUpdate?.(stepNo);
    const stepMetrics: Record<string, number> = { grad_norm: gradNorm, learning_rate: lr };
    for (const k of Object.keys(micro.sums)) stepMetrics[k] = micro.sums[k] / micro.counts[k];
    addMetrics(state.pending, stepMetrics);
    state.pending.steps++;
    state.pending.tokens += tokens;
    state.pending.seconds += (performance.now() - t0) / 1000;

    const tokensPerSecond = state.pending.tokens / Math.max(state.pending.seconds, 1e-9);
    hooks.onProgress?.({ step: stepNo, maxSteps: o.maxSteps, loss: stepMetrics.loss, metrics: stepMetrics, tokensPerSecond });
    if (stepNo % logging === 0 || stepNo === o.maxSteps) {
      const p = state.pending;
      const line: MetricLine = { step: stepNo, epoch: epochNow() };
      const keys = ['loss', 'learning_rate', 'grad_norm', ...Object.keys(p.sums).filter((k) => !['loss', 'learning_rate', 'grad_norm'].includes(k))];
      for (const k of keys) if (p.counts[k]) line[k] = p.sums[k] / p.counts[k];
      line.learning_rate = lr; // the rate of the latest step, as TRL logs it
      line['tokens/s'] = round(tokensPerSecond, 1);
      state.pending = emptyPending();
      lastLine = line;
      hooks.onLog?.(line);
    }
    if (o.evalSteps && stepNo % o.evalSteps === 0) runEval();
    if (o.saveSteps && stepNo % o.saveSteps === 0 && stepNo < o.maxSteps) hooks.saveCheckpoint?.(state, 'periodic');
    // Let signal handlers (Ctrl-C) run between steps: the step itself is synchronous.
    await new Promise((resolve) => setImmediate(resolve));
    if (hooks.shouldStop?.() && stepNo < o.maxSteps) {
      hooks.saveCheckpoint?.(state, 'interrupt');
      return { state, stopped: 'interrupted', lastLine, lastEval };
    }
  }
  if (hooks.evaluate && !(o.evalSteps && state.step % o.evalSteps === 0 && lastEval)) runEval();
  hooks.saveCheckpoint?.(state, 'final');
  return { state, stopped: 'completed', lastLine, lastEval };
}
