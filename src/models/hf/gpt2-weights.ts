// Hugging Face tensor names of GPT2LMHeadModel <-> DecoderParams. GPT-2 stores Conv1D weights as
// [in, out] and fuses q/k/v into c_attn; we keep nn.Linear [out, in] and separate q, k, v.
// Accepts names with or without the `transformer.` prefix; skips attn.bias / attn.masked_bias buffers.
import { Tensor } from '../../tensor/index.js';
import type { LinearParams } from '../../nn/linear.js';
import type { DecoderConfig } from '../decoder-config.js';
import type { DecoderParams, LayerParams } from '../decoder-params.js';
import { requireWeight, transpose2d, type HfTensor, type WeightSource } from './weight-source.js';

const param = (data: Float32Array, shape: number[]): Tensor => new Tensor(data, shape, true);

function prefixOf(src: WeightSource): string {
  return src.get('transformer.wte.weight') ? 'transformer.' : '';
}

/** Conv1D [in, out] -> Linear {weight (out, in), bias (out)}. */
function conv1d(src: WeightSource, name: string, inF: number, out: number): LinearParams {
  const w = requireWeight(src, `${name}.weight`, [inF, out]);
  return { weight: param(transpose2d(w, inF, out), [out, inF]), bias: param(requireWeight(src, `${name}.bias`, [out]), [out]) };
}

export function gpt2ParamsFromHf(cfg: DecoderConfig, src: WeightSource): DecoderParams {
  const pre = prefixOf(src);
  const H = cfg.hidden;
  const I = cfg.intermediate;
  const ln = (name: string) => ({
    weight: param(requireWeight(src, `${name}.weight`, [H]), [H]),
    bias: param(requireWeight(src, `${name}.bias`, [H]), [H]),
  });
  const layers: LayerParams[] = [];
  for (let i = 0; i < cfg.layers; i++) {
    const p = `${pre}h.${i}`;
    // c_attn [H, 3H]: output columns [q | k | v].
    const qkv = conv1d(src, `${p}.attn.c_attn`, H, 3 * H); // weight (3H, H), bias (3H)
    const part = (j: number): LinearParams => ({
      weight: param(qkv.weight.data.slice(j * H * H, (j + 1) * H * H) as Float32Array, [H, H]),
      bias: param(qkv.bias!.data.slice(j * H, (j + 1) * H) as Float32Array, [H]),
    });
    layers.push({
      attnNorm: ln(`${p}.ln_1`),
      q: part(0),
      k: part(1),
      v: part(2),
      o: conv1d(src, `${p}.attn.c_proj`, H, H),
      mlpNorm: ln(`${p}.ln_2`),
      gate: null,
      up: conv1d(src, `${p}.mlp.c_fc`, H, I),
      down: conv1d(src, `${p}.mlp.c_proj`, I, H),
    });
  }
  const V = cfg.vocabSize;
  return {
    embed: param(requireWeight(src, `${pre}wte.weight`, [V, H]), [V, H]),
    positionEmbed: param(requireWeight(src, `${pre}wpe.weight`, [cfg.maxPositions, H]), [cfg.maxPositions, H]),
    layers,
    finalNorm: ln(`${pre}ln_f`),
    lmHead: null,
    score: src.get('score.weight') ? param(requireWeight(src, 'score.weight', [1, H]), [1, H]) : null,
  };
}

/** Writes the `transformer.`-prefixed names that save_pretrained uses. */
export function gpt2ParamsToHf(cfg: DecoderConfig, p: DecoderParams): Record<string, HfTensor> {
  const H = cfg.hidden;
  const out: Record<string, HfTensor> = {};
  const put = (name: string, t: Tensor | null | undefined): void => {
    if (t) out[name] = { shape: [...t.shape], data: t.data as Float32Array };
  };
  const conv = (name: string, l: LinearParams): void => {
    const [o, i] = l.weight.shape;
    out[`${name}.weight`] = { shape: [i, o], data: transpose2d(l.weight.data as Float32Array, o, i) };
    put(`${name}.bias`, l.bias);
  };
  put('transformer.wte.weight', p.embed);
  put('transformer.wpe.weight', p.positionEmbed);
  p.layers.forEach((l, i) => {
    const n = `transformer.h.${i}`;
    put(`${n}.ln_1.weight`, l.attnNorm.weight);
    put(`${n}.ln_1.bias`, l.attnNorm.bias);
    const w = new Float32Array(3 * H * H);
    const b = new Float32Array(3 * H);
    [l.q, l.k, l.v].forEach((part, j) => {
      w.set(part.weight.data, j * H * H);
      b.set(part.bias!.data, j * H);
    });
    out[`${n}.attn.c_attn.weight`] = { shape: [H, 3 * H], data: transpose2d(w, 3 * H, H) };
    out[`${n}.attn.c_attn.bias`] = { shape: [3 * H], data: b };
    conv(`${n}.attn.c_proj`, l.o);
    put(`${n}.ln_2.weight`, l.mlpNorm.weight);
    put(`${n}.ln_2.bias`, l.mlpNorm.bias);
    conv(`${n}.mlp.c_fc`, l.up);
    conv(`${n}.mlp.c_proj`, l.down);
  });
  put('transformer.ln_f.weight', p.finalNorm.weight);
  put('transformer.ln_f.bias', p.finalNorm.bias);
  put('score.weight', p.score);
  return out;
}
