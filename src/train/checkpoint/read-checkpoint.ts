// Finding and reading checkpoints: complete folders step-<n>/ (with trainer_state.json) only; hidden
// temporary folders of an interrupted save are ignored and cleaned up.
import { existsSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { readSafetensors } from '../../io/safetensors/index.js';
import type { DecoderModel } from '../../models/decoder-params.js';
import { loadModel } from '../../models/load-save.js';
import { loraAdapters } from '../../models/lora-peft.js';
import { namedParams } from '../../nn/params.js';
import type { Optimizer } from '../../optim/optimizer.js';

export interface CheckpointRef {
  dir: string;
  step: number;
}

/** Complete checkpoints under root, oldest first. */
export function listCheckpoints(root: string): CheckpointRef[] {
  if (!existsSync(root)) return [];
  const out: CheckpointRef[] = [];
  for (const name of readdirSync(root)) {
    const m = /^step-(\d+)$/.exec(name);
    const dir = join(root, name);
    if (m && statSync(dir).isDirectory() && existsSync(join(dir, 'trainer_state.json'))) out.push({ dir, step: Number(m[1]) });
  }
  return out.sort((a, b) => a.step - b.step);
}

/** Removes hidden temporary folders left by a save that was killed; returns their names. */
export function removeStaleTemps(root: string): string[] {
  if (!existsSync(root)) return [];
  const stale = readdirSync(root).filter((n) => /^\.step-\d+\.(tmp|old)-/.test(n));
  for (const n of stale) rmSync(join(root, n), { recursive: true, force: true });
  return stale;
}

export function readJson<T>(file: string): T {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (e) {
    throw new Error(`${file}: cannot read checkpoint file: ${(e as Error).message}`);
  }
}

function copyInto(target: Float32Array | Float64Array, source: Float32Array, what: string): void {
  if (target.length !== source.length) throw new Error(`${what}: checkpoint has ${source.length} values, the model has ${target.length}`);
  target.set(source);
}

/** Overwrites the model's weights with a full HF checkpoint's (same architecture). */
export function restoreFullModel(model: DecoderModel, dir: string): void {
  const saved = new Map(namedParams(loadModel(dir).params));
  for (const [name, p] of namedParams(model.params)) {
    if (/(^|\.)lora\./.test(name)) continue;
    const s = saved.get(name);
    if (!s) throw new Error(`${dir}: checkpoint has no weight for parameter '${name}'`);
    copyInto(p.data, s.data as Float32Array, `${dir}: parameter '${name}'`);
  }
}

/** Overwrites the attached LoRA adapters with a PEFT adapter folder's. */
export function restoreAdapters(model: DecoderModel, dir: string): void {
  const file = join(dir, 'adapter_model.safetensors');
  const { tensors } = readSafetensors(file);
  for (const { path, lora } of loraAdapters(model)) {
    for (const [key, t] of [['lora_A', lora.a], ['lora_B', lora.b]] as const) {
      const name = `base_model.model.${path}.${key}.weight`;
      if (!tensors[name]) throw new Error(`${file}: missing tensor '${name}'`);
      copyInto(t.data, tensors[name].data, `${file}: '${name}'`);
    }
  }
}

export function restoreOptimizer(opt: Optimizer, file: string): void {
  const { tensors, metadata } = readSafetensors(file);
  const step = Number(metadata.step);
  if (!Number.isInteger(step)) throw new Error(`${file}: metadata 'step' is missing`);
  opt.importState({ step, tensors: Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, { shape: [...t.shape], data: t.data }])) });
}
