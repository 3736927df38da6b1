// The optimizer object the training loop drives: AdamW over named parameters, with its state as
// named float32 arrays so checkpoints can save and restore it exactly.
import type { Tensor } from '../tensor/index.js';
import { adamwInit, adamwUpdate, type AdamWOptions, type AdamWState } from './adamw.js';

export interface Optimizer {
  readonly named: [string, Tensor][];
  /** One update with learning rate lr over every parameter that has a gradient. */
  update(lr: number): void;
  /** Updates done so far. */
  readonly steps: number;
  /** State for a checkpoint: step count and one array per (moment, parameter). */
  exportState(): { step: number; tensors: Record<string, { shape: number[]; data: Float32Array }> };
  /** Restores exportState()'s output (names and shapes are checked). */
  importState(state: { step: number; tensors: Record<string, { shape: number[]; data: Float32Array }> }): void;
}

export type AdamWConfig = Omit<AdamWOptions, 'lr'>;

/** AdamW (decoupled weight decay; no decay on rank-1 parameters — norms, biases — by default). */
export function createAdamW(named: [string, Tensor][], opts: AdamWConfig = {}): Optimizer {
  const state: AdamWState = adamwInit(named);
  return {
    named,
    get steps() {
      return state.step;
    },
    update(lr: number) {
      adamwUpdate(state, named, { ...opts, lr });
    },
    exportState() {
      const tensors: Record<string, { shape: number[]; data: Float32Array }> = {};
      for (const [name, p] of named) {
        tensors[`exp_avg.${name}`] = { shape: [...p.shape], data: Float32Array.from(state.m.get(name)!) };
        tensors[`exp_avg_sq.${name}`] = { shape: [...p.shape], data: Float32Array.from(state.v.get(name)!) };
      }
      return { step: state.step, tensors };
    },
    importState(saved) {
      for (const [name, p] of named) {
        for (const [key, target] of [['exp_avg', state.m], ['exp_avg_sq', state.v]] as const) {
          const t = saved.tensors[`${key}.${name}`];
          if (!t) throw new Error(`optimizer state: missing '${key}.${name}' (was the model or its LoRA targets changed?)`);
          if (t.data.length !== p.size) {
            throw new Error(`optimizer state: '${key}.${name}' has ${t.data.length} values, the parameter has ${p.size}`);
          }
          target.get(name)!.set(t.data);
        }
      }
      state.step = saved.step;
    },
  };
}
