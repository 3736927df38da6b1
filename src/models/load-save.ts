// Load a Hugging Face checkpoint folder into a DecoderModel, and save one back in HF layout.
import { join } from 'node:path';
import { readCheckpointFolder, writeCheckpointFolder, CONFIG_FILE } from '../io/checkpoint/index.js';
import type { DecoderModel } from './decoder-params.js';
import { decoderConfigToHf } from './hf/config-writer.js';
import { modelTypeSpec } from './registry.js';

export interface LoadedModel extends DecoderModel {
  /** The folder it came from and its tokenizer files. */
  dir: string;
  tokenizerFiles: Record<string, string>;
  /** config.json as read (saved back with updated fields). */
  rawConfig: Record<string, unknown>;
}

export function loadModel(dir: string): LoadedModel {
  const folder = readCheckpointFolder(dir);
  try {
    const configFile = folder.configPath;
    const spec = modelTypeSpec(folder.config.model_type, configFile);
    const config = spec.parseConfig(folder.config, configFile);
    const weights = folder.weights;
    const params = spec.fromHf(config, {
      file: folder.weightsPath,
      names: () => [...weights.names],
      get: (name) => (weights.has(name) ? { shape: [...weights.info(name).shape], data: weights.get(name) } : undefined),
    });
    return { config, params, dir: folder.dir, tokenizerFiles: { ...folder.tokenizerFiles }, rawConfig: folder.config };
  } finally {
    folder.weights.close();
  }
}

export interface SaveOptions {
  /** Folder whose tokenizer files are copied alongside. */
  copyTokenizerFrom?: string;
  /** config.json fields to keep from the loaded config (default: the model's raw config if any). */
  rawConfig?: Record<string, unknown>;
}

/** Writes config.json + model.safetensors (+ tokenizer files) that HF transformers loads. */
export function saveModel(model: DecoderModel, dir: string, opts: SaveOptions = {}): string[] {
  const spec = modelTypeSpec(model.config.modelType, join(dir, CONFIG_FILE));
  const tensors = spec.toHf(model.config, model.params);
  const config = { ...(opts.rawConfig ?? (model as Partial<LoadedModel>).rawConfig ?? {}), ...decoderConfigToHf(model.config) };
  if (model.params.score) {
    config.num_labels = 1;
    config.architectures = [String((config.architectures as string[])[0]).replace(/ForCausalLM|LMHeadModel/, 'ForSequenceClassification')];
  }
  return writeCheckpointFolder(dir, {
    config,
    tensors: Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, { dtype: 'F32' as const, shape: t.shape, data: t.data }])),
    copyFiles: opts.copyTokenizerFrom,
  });
}
