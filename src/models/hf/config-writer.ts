// DecoderConfig -> the config.json fields transformers needs to load the model back.
import type { DecoderConfig } from '../decoder-config.js';

export function decoderConfigToHf(cfg: DecoderConfig): Record<string, unknown> {
  const common = {
    bos_token_id: cfg.bosTokenId,
    eos_token_id: cfg.eosTokenId,
    ...(cfg.padTokenId !== null ? { pad_token_id: cfg.padTokenId } : {}),
    torch_dtype: 'float32',
    vocab_size: cfg.vocabSize,
  };
  if (cfg.modelType === 'gpt2') {
    return {
      ...common,
      architectures: ['GPT2LMHeadModel'],
      model_type: 'gpt2',
      activation_function: 'gelu_new',
      layer_norm_epsilon: cfg.normEps,
      n_embd: cfg.hidden,
      n_head: cfg.heads,
      n_inner: cfg.intermediate === 4 * cfg.hidden ? null : cfg.intermediate,
      n_layer: cfg.layers,
      n_positions: cfg.maxPositions,
    };
  }
  const arch = { llama: 'LlamaForCausalLM', mistral: 'MistralForCausalLM', qwen2: 'Qwen2ForCausalLM' }[cfg.modelType];
  const rope = cfg.ropeScaling
    ? cfg.ropeScaling.type === 'linear'
      ? { rope_type: 'linear', factor: cfg.ropeScaling.factor }
      : {
        rope_type: 'llama3', factor: cfg.ropeScaling.factor, low_freq_factor: cfg.ropeScaling.lowFreqFactor,
        high_freq_factor: cfg.ropeScaling.highFreqFactor, original_max_position_embeddings: cfg.ropeScaling.originalMaxPositions,
      }
    : null;
  return {
    ...common,
    architectures: [arch ?? 'LlamaForCausalLM'],
    model_type: cfg.modelType,
    hidden_act: 'silu',
    hidden_size: cfg.hidden,
    intermediate_size: cfg.intermediate,
    num_hidden_layers: cfg.layers,
    num_attention_heads: cfg.heads,
    num_key_value_heads: cfg.kvHeads,
    head_dim: cfg.headDim,
    max_position_embeddings: cfg.maxPositions,
    rms_norm_eps: cfg.normEps,
    rope_theta: cfg.ropeTheta,
    rope_scaling: rope,
    tie_word_embeddings: cfg.tieEmbeddings,
    ...(cfg.modelType === 'llama' ? { attention_bias: cfg.qkvBias, mlp_bias: cfg.mlpBias } : {}),
    // Explicit, because transformers' MistralConfig defaults to a 4096 window when the key is absent.
    ...(cfg.modelType === 'mistral' ? { sliding_window: cfg.slidingWindow ?? null } : {}),
    ...(cfg.modelType === 'qwen2' && cfg.slidingWindow ? { use_sliding_window: true, sliding_window: cfg.slidingWindow } : {}),
  };
}
