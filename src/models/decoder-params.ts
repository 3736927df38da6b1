// Parameter tree of a decoder-only transformer (shared by the Llama family and GPT-2), and its
// seeded random initialisation (for models trained from scratch).
import { Rng, type Tensor } from '../tensor/index.js';
import { createLinear, type LinearParams } from '../nn/linear.js';
import { constantParam, normalParam } from '../nn/init.js';
import type { DecoderConfig } from './decoder-config.js';

export interface NormParams {
  weight: Tensor; // (H,)
  bias?: Tensor | null; // (H,) LayerNorm only
}

export interface LayerParams {
  attnNorm: NormParams;
  q: LinearParams; // (heads * headDim, H)
  k: LinearParams; // (kvHeads * headDim, H)
  v: LinearParams; // (kvHeads * headDim, H)
  o: LinearParams; // (H, heads * headDim)
  mlpNorm: NormParams;
  gate?: LinearParams | null; // (I, H), gated MLP only
  up: LinearParams; // (I, H)
  down: LinearParams; // (H, I)
}

export interface DecoderParams {
  embed: Tensor; // (V, H)
  positionEmbed?: Tensor | null; // (P, H), learned positions only
  layers: LayerParams[];
  finalNorm: NormParams;
  lmHead?: Tensor | null; // (V, H); absent when tied to embed
  /** Reward head (HF *ForSequenceClassification `score`, num_labels = 1): (1, H). */
  score?: Tensor | null;
}

export interface DecoderModel {
  config: DecoderConfig;
  params: DecoderParams;
}

function norm(cfg: DecoderConfig): NormParams {
  return { weight: constantParam([cfg.hidden], 1), bias: cfg.norm === 'layer' ? constantParam([cfg.hidden], 0) : null };
}

/** Random init like HF's _init_weights: normal(0, std) weights, zero biases, unit norms. */
export function initDecoder(cfg: DecoderConfig, seed: number, std = 0.02): DecoderModel {
  const rng = new Rng(seed);
  const lin = (inF: number, outF: number, bias: boolean): LinearParams => createLinear(inF, outF, rng, { bias, std });
  const qDim = cfg.heads * cfg.headDim;
  const kvDim = cfg.kvHeads * cfg.headDim;
  const layers: LayerParams[] = [];
  for (let i = 0; i < cfg.layers; i++) {
    layers.push({
      attnNorm: norm(cfg),
      q: lin(cfg.hidden, qDim, cfg.qkvBias),
      k: lin(cfg.hidden, kvDim, cfg.qkvBias),
      v: lin(cfg.hidden, kvDim, cfg.qkvBias),
      o: lin(qDim, cfg.hidden, cfg.oBias),
      mlpNorm: norm(cfg),
      gate: cfg.mlp === 'gated' ? lin(cfg.hidden, cfg.intermediate, cfg.mlpBias) : null,
      up: lin(cfg.hidden, cfg.intermediate, cfg.mlpBias),
      down: lin(cfg.intermediate, cfg.hidden, cfg.mlpBias),
    });
  }
  return {
    config: cfg,
    params: {
      embed: normalParam([cfg.vocabSize, cfg.hidden], std, rng),
      positionEmbed: cfg.positions === 'learned' ? normalParam([cfg.maxPositions, cfg.hidden], std, rng) : null,
      layers,
      finalNorm: norm(cfg),
      lmHead: cfg.tieEmbeddings ? null : normalParam([cfg.vocabSize, cfg.hidden], std, rng),
    },
  };
}

/** The (V, H) matrix producing logits: lm_head, or the embedding when tied. */
export function lmHeadWeight(model: DecoderModel): Tensor {
  return model.params.lmHead ?? model.params.embed;
}
