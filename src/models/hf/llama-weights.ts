// Hugging Face tensor names of LlamaForCausalLM / MistralForCausalLM / Qwen2ForCausalLM (and their
// *ForSequenceClassification `score` head) <-> DecoderParams.
import { Tensor } from '../../tensor/index.js';
import type { LinearParams } from '../../nn/linear.js';
import type { DecoderConfig } from '../decoder-config.js';
import type { DecoderParams, LayerParams } from '../decoder-params.js';
import { requireWeight, type HfTensor, type WeightSource } from './weight-source.js';

const param = (data: Float32Array, shape: number[]): Tensor => new Tensor(data, shape, true);

function linear(src: WeightSource, name: string, out: number, inF: number, bias: boolean): LinearParams {
  return {
    weight: param(requireWeight(src, `${name}.weight`, [out, inF]), [out, inF]),
    bias: bias ? param(requireWeight(src, `${name}.bias`, [out]), [out]) : null,
  };
}

export function llamaParamsFromHf(cfg: DecoderConfig, src: WeightSource): DecoderParams {
  const H = cfg.hidden;
  const qDim = cfg.heads * cfg.headDim;
  const kvDim = cfg.kvHeads * cfg.headDim;
  const norm = (name: string) => ({ weight: param(requireWeight(src, name, [H]), [H]) });
  const layers: LayerParams[] = [];
  for (let i = 0; i < cfg.layers; i++) {
    const p = `model.layers.${i}`;
    layers.push({
      attnNorm: norm(`${p}.input_layernorm.weight`),
      q: linear(src, `${p}.self_attn.q_proj`, qDim, H, cfg.qkvBias),
      k: linear(src, `${p}.self_attn.k_proj`, kvDim, H, cfg.qkvBias),
      v: linear(src, `${p}.self_attn.v_proj`, kvDim, H, cfg.qkvBias),
      o: linear(src, `${p}.self_attn.o_proj`, H, qDim, cfg.oBias),
      mlpNorm: norm(`${p}.post_attention_layernorm.weight`),
      gate: linear(src, `${p}.mlp.gate_proj`, cfg.intermediate, H, cfg.mlpBias),
      up: linear(src, `${p}.mlp.up_proj`, cfg.intermediate, H, cfg.mlpBias),
      down: linear(src, `${p}.mlp.down_proj`, H, cfg.intermediate, cfg.mlpBias),
    });
  }
  const V = cfg.vocabSize;
  // With tied embeddings HF ignores any lm_head.weight in the file.
  const lmHead = cfg.tieEmbeddings ? null : param(requireWeight(src, 'lm_head.weight', [V, H]), [V, H]);
  const score = src.get('score.weight') ? param(requireWeight(src, 'score.weight', [1, H]), [1, H]) : null;
  return { embed: param(requireWeight(src, 'model.embed_tokens.weight', [V, H]), [V, H]), layers, finalNorm: norm('model.norm.weight'), lmHead, score };
}

export function llamaParamsToHf(cfg: DecoderConfig, p: DecoderParams): Record<string, HfTensor> {
  const out: Record<string, HfTensor> = {};
  const put = (name: string, t: Tensor | null | undefined): void => {
    if (t) out[name] = { shape: [...t.shape], data: t.data as Float32Array };
  };
  const putLinear = (name: string, l: LinearParams): void => {
    put(`${name}.weight`, l.weight);
    put(`${name}.bias`, l.bias);
  };
  put('model.embed_tokens.weight', p.embed);
  p.layers.forEach((l, i) => {
    const n = `model.layers.${i}`;
    put(`${n}.input_layernorm.weight`, l.attnNorm.weight);
    putLinear(`${n}.self_attn.q_proj`, l.q);
    putLinear(`${n}.self_attn.k_proj`, l.k);
    putLinear(`${n}.self_attn.v_proj`, l.v);
    putLinear(`${n}.self_attn.o_proj`, l.o);
    put(`${n}.post_attention_layernorm.weight`, l.mlpNorm.weight);
    putLinear(`${n}.mlp.gate_proj`, l.gate!);
    putLinear(`${n}.mlp.up_proj`, l.up);
    putLinear(`${n}.mlp.down_proj`, l.down);
  });
  put('model.norm.weight', p.finalNorm.weight);
  if (!cfg.tieEmbeddings) put('lm_head.weight', p.lmHead);
  put('score.weight', p.score);
  return out;
}
