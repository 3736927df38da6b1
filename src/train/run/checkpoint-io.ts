// What a checkpoint of a run holds and how a run is restored from one: the model (HF layout) or the
// adapter (PEFT) + score head, optimizer moments, a TR-DPO reference, RNG states of LoRA dropout,
// the loop state (step, data position, pending metric sums) and the resolved config.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readSafetensors, type TensorToWrite } from '../../io/safetensors/index.js';
import type { DecoderModel } from '../../models/decoder-params.js';
import { loraAdapters } from '../../models/lora-peft.js';
import { namedParams } from '../../nn/params.js';
import type { Optimizer } from '../../optim/optimizer.js';
import {
  OPTIMIZER_FILE, TRAINER_STATE_FILE, TRAINING_CONFIG_FILE, type CheckpointFiles,
} from '../checkpoint/write-checkpoint.js';
import { readJson, restoreAdapters, restoreFullModel, restoreOptimizer } from '../checkpoint/read-checkpoint.js';
import type { LoopState } from '../types.js';
import { PEFT_SCORE_NAME, saveTrained, type ModelSetup } from './model-setup.js';

export const REFERENCE_FILE = 'reference.safetensors';

export interface TrainerStateFile {
  format: 'prefkit-trainer-state-v1';
  global_step: number;
  epoch: number;
  max_steps: number;
  loop: LoopState;
  rng: { lora: Record<string, number[]> };
  wall_seconds: number;
  reason: string;
}

export function checkpointFiles(o: {
  setup: ModelSetup; optimizer: Optimizer; frozenRef: DecoderModel | null; syncRef: boolean; state: LoopState;
  epoch: number; maxSteps: number; config: Record<string, unknown>; wallSeconds: number; reason: string;
}): CheckpointFiles {
  const opt = o.optimizer.exportState();
  const tensors: CheckpointFiles['tensors'] = {
    [OPTIMIZER_FILE]: {
      tensors: Object.fromEntries(Object.entries(opt.tensors).map(([k, t]) => [k, { dtype: 'F32', shape: t.shape, data: t.data } as TensorToWrite])),
      metadata: { format: 'prefkit-adamw', step: String(opt.step) },
    },
  };
  if (o.syncRef && o.frozenRef) {
    tensors[REFERENCE_FILE] = {
      tensors: Object.fromEntries(namedParams(o.frozenRef.params).map(([k, t]) => [k, { dtype: 'F32', shape: [...t.shape], data: t.data as Float32Array }])),
    };
  }
  const state: TrainerStateFile = {
    format: 'prefkit-trainer-state-v1', global_step: o.state.step, epoch: o.epoch, max_steps: o.maxSteps, loop: o.state,
    rng: { lora: Object.fromEntries(loraAdapters(o.setup.model).map(({ path, lora }) => [path, lora.rng.getState()])) },
    wall_seconds: o.wallSeconds, reason: o.reason,
  };
  return {
    writeModel: (dir) => saveTrained(o.setup, dir),
    tensors,
    json: { [TRAINING_CONFIG_FILE]: o.config, [TRAINER_STATE_FILE]: state },
  };
}

/** Keys that may differ between the checkpoint's config and the resumed run's. */
const RESUME_MAY_CHANGE = new Set(['resume_from_checkpoint', 'save_steps', 'save_total_limit', 'ref_cache_dir', 'output_dir', 'eval_steps', 'logging_steps']);

export function checkResumeConfig(dir: string, now: Record<string, unknown>): void {
  const file = join(dir, TRAINING_CONFIG_FILE);
  if (!existsSync(file)) return;
  const saved = readJson<Record<string, unknown>>(file);
  const diffs = Object.keys({ ...saved, ...now })
    .filter((k) => !RESUME_MAY_CHANGE.has(k) && JSON.stringify(saved[k]) !== JSON.stringify(now[k]))
    .map((k) => `${k}: ${JSON.stringify(saved[k])} in the checkpoint, ${JSON.stringify(now[k])} now`);
  if (diffs.length) {
    throw new Error(`cannot resume from ${dir}: the config differs from the one it was trained with (an exact resume needs the same config):\n  ` +
      `${diffs.join('\n  ')}\nhint: resume with the same config file, or start a new run in another output_dir`);
  }
}

/** Restores weights, optimizer, reference and RNG states; returns the trainer state. */
export function restoreFromCheckpoint(dir: string, o: { setup: ModelSetup; optimizer: Optimizer; frozenRef: DecoderModel | null }): TrainerStateFile {
  const state = readJson<TrainerStateFile>(join(dir, TRAINER_STATE_FILE));
  if (state.format !== 'prefkit-trainer-state-v1') throw new Error(`${dir}: unknown trainer_state format '${String(state.format)}'`);
  const m = o.setup.model;
  if (o.setup.lora) {
    restoreAdapters(m, dir);
    if (m.params.score) {
      const head = readSafetensors(join(dir, 'adapter_model.safetensors')).tensors[PEFT_SCORE_NAME];
      if (!head) throw new Error(`${dir}: adapter_model.safetensors has no '${PEFT_SCORE_NAME}' (the reward head)`);
      (m.params.score.data as Float32Array).set(head.data);
    }
    for (const { path, lora } of loraAdapters(m)) {
      const s = state.rng.lora[path];
      if (!s) throw new Error(`${dir}: trainer_state.json has no RNG state for adapter '${path}'`);
      lora.rng.setState(s);
    }
  } else {
    restoreFullModel(m, dir);
  }
  restoreOptimizer(o.optimizer, join(dir, OPTIMIZER_FILE));
  if (o.frozenRef && existsSync(join(dir, REFERENCE_FILE))) {
    const { tensors } = readSafetensors(join(dir, REFERENCE_FILE));
    for (const [name, t] of namedParams(o.frozenRef.params)) (t.data as Float32Array).set(tensors[name].data);
  }
  return state;
}
