// config.json of model_type gpt2 -> DecoderConfig.
import type { DecoderConfig } from '../decoder-config.js';
import { ConfigReader, type Json } from './config-fields.js';

export function parseGpt2Config(json: Json, file: string): DecoderConfig {
  const r = new ConfigReader(json, file);
  r.oneOf('model_type', ['gpt2'] as const);
  const hidden = r.int('n_embd');
  const heads = r.int('n_head');
  const act = r.oneOf('activation_function', ['gelu_new', 'gelu_pytorch_tanh', 'gelu_fast'] as const, 'gelu_new');
  void act; // all three are the tanh approximation
  if (r.has('scale_attn_by_inverse_layer_idx') && r.bool('scale_attn_by_inverse_layer_idx')) {
    throw new Error(`${file}: scale_attn_by_inverse_layer_idx = true is not supported`);
  }
  return {
    modelType: 'gpt2',
    vocabSize: r.int('vocab_size'),
    hidden,
    layers: r.int('n_layer'),
    heads,
    kvHeads: heads,
    headDim: hidden / heads,
    intermediate: r.has('n_inner') ? r.int('n_inner') : 4 * hidden,
    norm: 'layer',
    normEps: r.num('layer_norm_epsilon', 1e-5),
    positions: 'learned',
    ropeTheta: 0,
    ropeScaling: null,
    maxPositions: r.int('n_positions', 1024),
    mlp: 'plain',
    activation: 'gelu_tanh',
    qkvBias: true,
    oBias: true,
    mlpBias: true,
    tieEmbeddings: true,
    bosTokenId: r.optInt('bos_token_id'),
    eosTokenId: r.tokenIds('eos_token_id'),
    padTokenId: r.optInt('pad_token_id'),
  };
}
