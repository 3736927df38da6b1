// Model registry: config.json's model_type -> config parser and weight mapping.
import type { DecoderConfig } from './decoder-config.js';
import type { DecoderParams } from './decoder-params.js';
import { parseLlamaFamilyConfig } from './hf/llama-config.js';
import { parseGpt2Config } from './hf/gpt2-config.js';
import { llamaParamsFromHf, llamaParamsToHf } from './hf/llama-weights.js';
import { gpt2ParamsFromHf, gpt2ParamsToHf } from './hf/gpt2-weights.js';
import type { Json } from './hf/config-fields.js';
import type { HfTensor, WeightSource } from './hf/weight-source.js';

export interface ModelTypeSpec {
  description: string;
  parseConfig(json: Json, file: string): DecoderConfig;
  fromHf(cfg: DecoderConfig, src: WeightSource): DecoderParams;
  toHf(cfg: DecoderConfig, params: DecoderParams): Record<string, HfTensor>;
}

const llamaFamily = { parseConfig: parseLlamaFamilyConfig, fromHf: llamaParamsFromHf, toHf: llamaParamsToHf };

export const MODEL_TYPES = {
  llama: { description: 'Llama 1-3 (RMSNorm, RoPE incl. llama3 scaling, GQA, SwiGLU)', ...llamaFamily },
  mistral: { description: 'Mistral (Llama layout; contexts longer than sliding_window are refused)', ...llamaFamily },
  qwen2: { description: 'Qwen2 / Qwen2.5 (Llama layout + q/k/v biases)', ...llamaFamily },
  gpt2: { description: 'GPT-2 (LayerNorm, learned positions, GELU-tanh, tied head)', parseConfig: parseGpt2Config, fromHf: gpt2ParamsFromHf, toHf: gpt2ParamsToHf },
} satisfies Record<string, ModelTypeSpec>;

export type ModelType = keyof typeof MODEL_TYPES;

export function modelTypeSpec(modelType: unknown, file: string): ModelTypeSpec {
  if (typeof modelType !== 'string' || !(modelType in MODEL_TYPES)) {
    throw new Error(`${file}: model_type ${JSON.stringify(modelType)} is not supported; expected one of: ` +
      Object.keys(MODEL_TYPES).join(', '));
  }
  return MODEL_TYPES[modelType as ModelType];
}
