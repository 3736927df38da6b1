// Forward pass of a decoder-only transformer: Llama family (RMSNorm, RoPE, GQA, gated SiLU MLP)
// and GPT-2 (LayerNorm, learned positions, GELU-tanh MLP), with right padding and an optional
// KV cache for generation.
import * as T from '../tensor/index.js';
import { applyLinear } from '../nn/linear.js';
import type { DecoderModel, NormParams } from './decoder-params.js';
import { ropeInverseFrequencies } from './rope-frequencies.js';

export interface DecoderInput {
  /** Token ids, row-major (B, T). */
  ids: Int32Array;
  B: number;
  T: number;
  /** (B, S) key mask over cache + new tokens: 1 real, 0 padding. Default: all real. */
  keyMask?: Float32Array | null;
  /** (B, T) positions; default: cache length + 0..T-1 (what HF forward uses with right padding). */
  positions?: Int32Array;
  cache?: KVCache;
}

/** Keys and values of earlier tokens, per layer: (B, S, kvHeads, headDim). */
export interface KVCache {
  k: (T.Tensor | null)[];
  v: (T.Tensor | null)[];
  length: number;
}

export function emptyCache(layers: number): KVCache {
  return { k: new Array(layers).fill(null), v: new Array(layers).fill(null), length: 0 };
}

const invFreqCache = new WeakMap<object, Float32Array>();

function applyNorm(model: DecoderModel, p: NormParams, x: T.Tensor): T.Tensor {
  const cfg = model.config;
  return cfg.norm === 'rms' ? T.rmsNorm(x, p.weight, cfg.normEps) : T.layerNorm(x, p.weight, p.bias!, cfg.normEps);
}

function defaultPositions(B: number, Tn: number, offset: number): Int32Array {
  const pos = new Int32Array(B * Tn);
  for (let i = 0; i < pos.length; i++) pos[i] = offset + (i % Tn);
  return pos;
}

/** Final hidden states after the last norm: (B, T, H). */
export function decoderHidden(model: DecoderModel, input: DecoderInput): T.Tensor {
  const cfg = model.config;
  const p = model.params;
  const { B, T: Tn, ids, cache } = input;
  if (ids.length !== B * Tn) throw new Error(`decoder: ${ids.length} ids do not fill (B, T) = (${B}, ${Tn})`);
  const past = cache?.length ?? 0;
  if (cfg.slidingWindow != null && past + Tn > cfg.slidingWindow) {
    throw new Error(`decoder: ${past + Tn} positions exceed this ${cfg.modelType} model's sliding_window of ` +
      `${cfg.slidingWindow}; sliding-window attention is not implemented, so shorten the sequences (max_length) ` +
      'to at most the window');
  }
  const positions = input.positions ?? defaultPositions(B, Tn, past);
  const hd = cfg.headDim;
  let x = T.embedding({ data: ids, shape: [B, Tn] }, p.embed); // (B, T, H)
  if (cfg.positions === 'learned') {
    for (const q of positions) {
      if (q >= cfg.maxPositions) throw new Error(`decoder: position ${q} exceeds the model's ${cfg.maxPositions} positions`);
    }
    x = T.add(x, T.embedding({ data: positions, shape: [B, Tn] }, p.positionEmbed!)); // (B, T, H)
  }
  let invFreq: Float32Array | null = null;
  if (cfg.positions === 'rope') {
    invFreq = invFreqCache.get(model) ?? ropeInverseFrequencies(cfg);
    invFreqCache.set(model, invFreq);
  }
  p.layers.forEach((l, i) => {
    const h = applyNorm(model, l.attnNorm, x); // (B, T, H)
    let q = T.reshape(applyLinear(l.q, h), [B, Tn, cfg.heads, hd]); // (B, T, nh, hd)
    let k = T.reshape(applyLinear(l.k, h), [B, Tn, cfg.kvHeads, hd]); // (B, T, nkv, hd)
    let v = T.reshape(applyLinear(l.v, h), [B, Tn, cfg.kvHeads, hd]); // (B, T, nkv, hd)
    if (invFreq) {
      q = T.rope(q, positions, invFreq);
      k = T.rope(k, positions, invFreq);
    }
    if (cache) {
      if (cache.k[i]) {
        k = T.concat([cache.k[i]!, k], 1); // (B, S, nkv, hd)
        v = T.concat([cache.v[i]!, v], 1);
      }
      cache.k[i] = k.detach();
      cache.v[i] = v.detach();
    }
    const a = T.attention(q, k, v, { causal: true, keyMask: input.keyMask ?? null }); // (B, T, nh, hd)
    x = T.add(x, applyLinear(l.o, T.reshape(a, [B, Tn, cfg.heads * hd]))); // (B, T, H)
    const m = applyNorm(model, l.mlpNorm, x); // (B, T, H)
    const act = cfg.mlp === 'gated'
      ? T.swiglu(applyLinear(l.gate!, m), applyLinear(l.up, m)) // (B, T, I)
      : T.gelu(applyLinear(l.up, m)); // (B, T, I)
    x = T.add(x, applyLinear(l.down, act)); // (B, T, H)
  });
  if (cache) cache.length = past + Tn;
  return applyNorm(model, p.finalNorm, x); // (B, T, H)
}

/** Full logits (B, T, V) — for inspection and generation; training uses the fused log-prob path. */
export function decoderLogits(model: DecoderModel, hidden: T.Tensor): T.Tensor {
  return T.matmul(hidden, model.params.lmHead ?? model.params.embed, { transB: true }); // (B, T, V)
}
