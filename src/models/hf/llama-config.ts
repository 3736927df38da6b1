// config.json of model_type llama, mistral and qwen2 -> DecoderConfig.
import type { DecoderConfig, RopeScaling } from '../decoder-config.js';
import { ConfigReader, type Json } from './config-fields.js';

function ropeScaling(r: ConfigReader): RopeScaling | null {
  const raw = (r.json.rope_scaling ?? (r.json.rope_parameters as Json | undefined)) as Json | null | undefined;
  if (!raw) return null;
  const type = (raw.rope_type ?? raw.type) as string | undefined;
  if (type === undefined || type === 'default') return null;
  const s = new ConfigReader(raw, `${r.file} (rope_scaling)`);
  if (type === 'linear') return { type: 'linear', factor: s.num('factor') };
  if (type === 'llama3') {
    return {
      type: 'llama3', factor: s.num('factor'), lowFreqFactor: s.num('low_freq_factor', 1),
      highFreqFactor: s.num('high_freq_factor', 4), originalMaxPositions: s.int('original_max_position_embeddings', 8192),
    };
  }
  throw new Error(`${r.file}: rope_scaling type '${type}' is not supported (supported: default, linear, llama3)`);
}

export function parseLlamaFamilyConfig(json: Json, file: string): DecoderConfig {
  const r = new ConfigReader(json, file);
  const modelType = r.oneOf('model_type', ['llama', 'mistral', 'qwen2'] as const);
  const hidden = r.int('hidden_size');
  const heads = r.int('num_attention_heads');
  const kvHeads = r.int('num_key_value_heads', heads);
  const headDim = r.has('head_dim') ? r.int('head_dim') : hidden / heads;
  if (!Number.isInteger(headDim) || headDim % 2 !== 0) throw new Error(`${file}: head_dim ${headDim} must be an even integer`);
  if (heads % kvHeads !== 0) throw new Error(`${file}: num_attention_heads ${heads} is not a multiple of num_key_value_heads ${kvHeads}`);
  const act = r.str('hidden_act', 'silu');
  if (act !== 'silu') throw new Error(`${file}: hidden_act '${act}' is not supported for ${modelType} (expected 'silu')`);
  // rope_theta moved into rope_parameters in transformers v5.
  const ropeParams = json.rope_parameters as Json | undefined;
  const ropeTheta = r.has('rope_theta') ? r.num('rope_theta') : typeof ropeParams?.rope_theta === 'number' ? ropeParams.rope_theta : 10000;
  const isQwen = modelType === 'qwen2';
  return {
    modelType,
    vocabSize: r.int('vocab_size'),
    hidden,
    layers: r.int('num_hidden_layers'),
    heads,
    kvHeads,
    headDim,
    intermediate: r.int('intermediate_size'),
    norm: 'rms',
    normEps: r.num('rms_norm_eps', 1e-6),
    positions: 'rope',
    ropeTheta,
    ropeScaling: ropeScaling(r),
    maxPositions: r.int('max_position_embeddings', 2048),
    mlp: 'gated',
    activation: 'silu',
    // Qwen2 always has q/k/v biases and no o_proj bias; Llama's attention_bias covers all four.
    qkvBias: isQwen ? true : r.bool('attention_bias', false),
    oBias: isQwen ? false : r.bool('attention_bias', false),
    mlpBias: isQwen ? false : r.bool('mlp_bias', false),
    tieEmbeddings: r.bool('tie_word_embeddings', isQwen),
    bosTokenId: r.optInt('bos_token_id'),
    eosTokenId: r.tokenIds('eos_token_id'),
    padTokenId: r.optInt('pad_token_id'),
    slidingWindow: modelType === 'mistral' || (isQwen && r.bool('use_sliding_window', false)) ? r.optInt('sliding_window') : null,
  };
}
