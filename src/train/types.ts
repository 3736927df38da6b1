// The vocabulary of the training loop (house rule 2: a trainer is composition): a step function per
// method, a loader, a reference provider and hooks, all plain objects.
import type { Tensor } from '../tensor/index.js';
import type { DecoderModel } from '../models/decoder-params.js';
import type { SequenceBatch } from '../data/index.js';

/** One logged line of metrics.jsonl: step, epoch and TRL-named values. */
export type MetricLine = Record<string, number>;

/** Reference log-probs for the rows of a batch. */
export interface ReferenceProvider {
  readonly mode: 'precomputed' | 'frozen' | 'lora_base';
  /**
   * Summed reference log-probs of the completion of every row of `seq` (rows,). `keys` identify the rows
   * in their dataset (see RowKeys) for the precomputed cache; live modes run the reference model.
   */
  sequenceLogps(seq: SequenceBatch, keys: RowKeys): Float32Array;
}

/** Where the rows of a batch come from: dataset name and one key per row (example * slots + slot). */
export interface RowKeys {
  dataset: string;
  keys: Int32Array;
}

export interface StepContext {
  /** The model being trained (policy, or backbone + score head). */
  model: DecoderModel;
  ref: ReferenceProvider | null;
  /** Optimizer step about to be taken (0-based). */
  step: number;
  /** false during evaluation (dropout off, no backward). */
  training: boolean;
}

export interface StepResult {
  /** The scalar to minimise (mean over the micro-batch), shape (). */
  loss: Tensor;
  /** TRL-named metrics of this micro-batch (not yet prefixed for eval). */
  metrics: Record<string, number>;
  /** Real (non-padding) tokens processed, for tokens/s. */
  tokens: number;
}

/** A method: batch -> loss and metrics. Runs the forward pass; the loop does backward and updates. */
export type StepFn<B> = (batch: B, ctx: StepContext) => StepResult;

export interface LoaderPosition {
  epoch: number;
  /** Batches of this epoch already consumed. */
  batch: number;
}

/** An endless, seeded sequence of batches whose position can be saved and restored exactly. */
export interface Loader<B> {
  next(): B;
  readonly batchesPerEpoch: number;
  position(): LoaderPosition;
  seek(pos: LoaderPosition): void;
}

/** What the loop itself must restore to continue exactly (the rest — weights, optimizer — is the caller's). */
export interface LoopState {
  step: number;
  loader: LoaderPosition;
  /** Metrics accumulated since the last logged line. */
  pending: { sums: Record<string, number>; counts: Record<string, number>; steps: number; tokens: number; seconds: number };
}

export interface TrainHooks {
  /** Each logged training line (every logging_steps optimizer steps and at the end). */
  onLog?(line: MetricLine): void;
  /** Evaluation at `step`: returns eval_-prefixed metrics (without step), logged as its own line. */
  evaluate?(step: number): Record<string, number>;
  onEvalLog?(line: MetricLine): void;
  /** Writes a checkpoint of everything (called every save_steps, on interrupt and at the end). */
  saveCheckpoint?(state: LoopState, reason: 'periodic' | 'interrupt' | 'final'): void;
  /** After each optimizer update (e.g. TR-DPO reference sync). */
  afterUpdate?(step: number): void;
  /** Polled after each update: true stops the run with a checkpoint (SIGINT). */
  shouldStop?(): boolean;
  /** Progress after each update (for a progress bar). */
  onProgress?(p: { step: number; maxSteps: number; loss: number; metrics: Record<string, number>; tokensPerSecond: number }): void;
}
