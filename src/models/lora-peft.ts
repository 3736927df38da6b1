// LoRA on a DecoderModel: attach adapters to target modules, freeze the base, merge, and save/load
// PEFT's adapter_config.json + adapter_model.safetensors with PEFT's tensor names.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tensor } from '../tensor/index.js';
import type { LinearParams } from '../nn/linear.js';
import { createLora, mergedWeight, type LoraAdapter } from '../nn/lora.js';
import { setTrainable } from '../nn/params.js';
import { openSafetensors, writeSafetensors } from '../io/safetensors/index.js';
import type { DecoderModel, LayerParams } from './decoder-params.js';

export interface LoraConfig {
  rank: number;
  alpha: number;
  dropout?: number;
  /** HF module names: q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj (Llama family); c_fc, c_proj (GPT-2). */
  targetModules: string[];
  seed?: number;
}

/** (HF module path, our linear) for every adaptable linear of the model. */
function adaptableModules(model: DecoderModel): { path: string; module: string; linear: LinearParams }[] {
  const gpt2 = model.config.modelType === 'gpt2';
  return model.params.layers.flatMap((l: LayerParams, i) => {
    if (gpt2) {
      return [
        { path: `transformer.h.${i}.attn.c_proj`, module: 'c_proj', linear: l.o },
        { path: `transformer.h.${i}.mlp.c_fc`, module: 'c_fc', linear: l.up },
        { path: `transformer.h.${i}.mlp.c_proj`, module: 'c_proj', linear: l.down },
      ];
    }
    const p = `model.layers.${i}`;
    return [
      { path: `${p}.self_attn.q_proj`, module: 'q_proj', linear: l.q },
      { path: `${p}.self_attn.k_proj`, module: 'k_proj', linear: l.k },
      { path: `${p}.self_attn.v_proj`, module: 'v_proj', linear: l.v },
      { path: `${p}.self_attn.o_proj`, module: 'o_proj', linear: l.o },
      { path: `${p}.mlp.gate_proj`, module: 'gate_proj', linear: l.gate! },
      { path: `${p}.mlp.up_proj`, module: 'up_proj', linear: l.up },
      { path: `${p}.mlp.down_proj`, module: 'down_proj', linear: l.down },
    ];
  });
}

/** Freezes the base model and attaches fresh adapters (B = 0) to the target modules. */
export function attachLora(model: DecoderModel, cfg: LoraConfig): void {
  const modules = adaptableModules(model);
  const known = [...new Set(modules.map((m) => m.module))];
  for (const t of cfg.targetModules) {
    if (!known.includes(t)) {
      throw new Error(`lora: target module '${t}' does not exist in a ${model.config.modelType} model; expected some of: ${known.join(', ')}` +
        (t === 'c_attn' ? ' (GPT-2 c_attn is not supported: prefkit splits it into q, k, v)' : ''));
    }
  }
  setTrainable(model.params as never, false);
  let seed = cfg.seed ?? 0;
  for (const m of modules) {
    if (!cfg.targetModules.includes(m.module)) continue;
    const [out, inF] = m.linear.weight.shape;
    m.linear.lora = createLora(out, inF, { rank: cfg.rank, alpha: cfg.alpha, dropout: cfg.dropout, seed: seed++ });
  }
}

export function loraAdapters(model: DecoderModel): { path: string; lora: LoraAdapter }[] {
  return adaptableModules(model).flatMap((m) => (m.linear.lora ? [{ path: m.path, lora: m.linear.lora }] : []));
}

/** Turns every adapter on or off (off = the base model, usable as the DPO reference). */
export function setLoraEnabled(model: DecoderModel, enabled: boolean): void {
  for (const { lora } of loraAdapters(model)) lora.enabled = enabled;
}

/** Folds each adapter into its base weight and removes it. */
export function mergeLora(model: DecoderModel): void {
  for (const m of adaptableModules(model)) {
    if (!m.linear.lora) continue;
    m.linear.weight = new Tensor(mergedWeight(m.linear.weight, m.linear.lora), m.linear.weight.shape, m.linear.weight.requiresGrad);
    m.linear.lora = null;
  }
}

/** PEFT layout: adapter_config.json + adapter_model.safetensors. */
export function saveLoraAdapter(model: DecoderModel, dir: string, baseModel = ''): void {
  const adapters = loraAdapters(model);
  if (adapters.length === 0) throw new Error('saveLoraAdapter: the model has no LoRA adapters');
  const first = adapters[0].lora;
  mkdirSync(dir, { recursive: true });
  const tensors: Record<string, { dtype: 'F32'; shape: number[]; data: Float32Array }> = {};
  for (const { path, lora } of adapters) {
    tensors[`base_model.model.${path}.lora_A.weight`] = { dtype: 'F32', shape: [...lora.a.shape], data: lora.a.data as Float32Array };
    tensors[`base_model.model.${path}.lora_B.weight`] = { dtype: 'F32', shape: [...lora.b.shape], data: lora.b.data as Float32Array };
  }
  const targets = [...new Set(adapters.map((a) => a.path.split('.').pop()!))];
  const config = {
    base_model_name_or_path: baseModel, bias: 'none', fan_in_fan_out: model.config.modelType === 'gpt2',
    inference_mode: true, lora_alpha: first.alpha, lora_dropout: first.dropout, peft_type: 'LORA', r: first.rank,
    target_modules: targets, task_type: 'CAUSAL_LM',
  };
  writeFileSync(join(dir, 'adapter_config.json'), JSON.stringify(config, null, 2) + '\n');
  writeSafetensors(join(dir, 'adapter_model.safetensors'), tensors);
}

/** Attaches adapters read from a PEFT folder (shapes checked against the model). */
export function loadLoraAdapter(model: DecoderModel, dir: string): void {
  const cfgPath = join(dir, 'adapter_config.json');
  if (!existsSync(cfgPath)) throw new Error(`${cfgPath}: missing — not a PEFT adapter folder`);
  const cfg = JSON.parse(readFileSync(cfgPath, 'utf8')) as { r: number; lora_alpha: number; lora_dropout?: number; target_modules: string[]; peft_type?: string };
  if (cfg.peft_type !== undefined && cfg.peft_type !== 'LORA') throw new Error(`${cfgPath}: peft_type '${cfg.peft_type}' is not supported (expected LORA)`);
  attachLora(model, { rank: cfg.r, alpha: cfg.lora_alpha, dropout: cfg.lora_dropout ?? 0, targetModules: cfg.target_modules });
  const weights = openSafetensors(join(dir, 'adapter_model.safetensors'));
  try {
    for (const { path, lora } of loraAdapters(model)) {
      for (const [key, t] of [['lora_A', lora.a], ['lora_B', lora.b]] as const) {
        const name = `base_model.model.${path}.${key}.weight`;
        if (!weights.has(name)) throw new Error(`${weights.path}: missing tensor '${name}'`);
        const shape = weights.info(name).shape;
        if (shape.join() !== t.shape.join()) throw new Error(`${weights.path}: tensor '${name}' has shape [${shape}], expected [${t.shape}]`);
        (t.data as Float32Array).set(weights.get(name));
      }
    }
  } finally {
    weights.close();
  }
}
