// Small models built from tensor ops for engine tests: an MLP and a 2-layer Llama-style transformer.
import * as T from '../../src/tensor/index.js';
import { applyLinear, createLinear, type LinearParams } from '../../src/nn/linear.js';
import { constantParam, normalParam } from '../../src/nn/init.js';

export interface Mlp {
  l1: LinearParams;
  l2: LinearParams;
}

export function createMlp(inF: number, hidden: number, outF: number, seed: number): Mlp {
  const rng = new T.Rng(seed);
  return { l1: createLinear(inF, hidden, rng, { bias: true }), l2: createLinear(hidden, outF, rng, { bias: true }) };
}

/** x (N, in) -> (N, out) */
export function mlpForward(p: Mlp, x: T.Tensor): T.Tensor {
  return applyLinear(p.l2, T.gelu(applyLinear(p.l1, x)));
}

export interface TinyTransformer {
  embed: T.Tensor;
  layers: {
    norm1: T.Tensor; q: LinearParams; k: LinearParams; v: LinearParams; o: LinearParams;
    norm2: T.Tensor; gate: LinearParams; up: LinearParams; down: LinearParams;
  }[];
  norm: T.Tensor;
  head: T.Tensor;
  cfg: { vocab: number; hidden: number; heads: number; kvHeads: number; inter: number };
}

export function createTinyTransformer(seed: number, cfg = { vocab: 32, hidden: 16, heads: 4, kvHeads: 2, inter: 32 }): TinyTransformer {
  const rng = new T.Rng(seed);
  const hd = cfg.hidden / cfg.heads;
  const layer = () => ({
    norm1: constantParam([cfg.hidden], 1),
    q: createLinear(cfg.hidden, cfg.heads * hd, rng),
    k: createLinear(cfg.hidden, cfg.kvHeads * hd, rng),
    v: createLinear(cfg.hidden, cfg.kvHeads * hd, rng),
    o: createLinear(cfg.heads * hd, cfg.hidden, rng),
    norm2: constantParam([cfg.hidden], 1),
    gate: createLinear(cfg.hidden, cfg.inter, rng),
    up: createLinear(cfg.hidden, cfg.inter, rng),
    down: createLinear(cfg.inter, cfg.hidden, rng),
  });
  return {
    embed: normalParam([cfg.vocab, cfg.hidden], 0.5, rng),
    layers: [layer(), layer()],
    norm: constantParam([cfg.hidden], 1),
    head: normalParam([cfg.vocab, cfg.hidden], 0.2, rng),
    cfg,
  };
}

/** Mean next-token NLL of ids (B, T) under the model, through the fused lm-head log-prob. */
export function transformerLoss(m: TinyTransformer, ids: Int32Array, B: number, Tlen: number): T.Tensor {
  const { hidden, heads, kvHeads } = m.cfg;
  const hd = hidden / heads;
  const positions = new Int32Array(B * Tlen).map((_, i) => i % Tlen);
  const invFreq = new Float32Array(hd / 2).map((_, j) => Math.pow(10000, (-2 * j) / hd));
  let x = T.embedding({ data: ids, shape: [B, Tlen] }, m.embed); // (B, T, H)
  for (const l of m.layers) {
    const h = T.rmsNorm(x, l.norm1, 1e-6);
    const q = T.rope(T.reshape(applyLinear(l.q, h), [B, Tlen, heads, hd]), positions, invFreq); // (B, T, nh, hd)
    const k = T.rope(T.reshape(applyLinear(l.k, h), [B, Tlen, kvHeads, hd]), positions, invFreq); // (B, T, nkv, hd)
    const v = T.reshape(applyLinear(l.v, h), [B, Tlen, kvHeads, hd]); // (B, T, nkv, hd)
    const a = T.reshape(T.attention(q, k, v, { causal: true }), [B, Tlen, hidden]); // (B, T, H)
    x = T.add(x, applyLinear(l.o, a));
    const h2 = T.rmsNorm(x, l.norm2, 1e-6);
    x = T.add(x, applyLinear(l.down, T.swiglu(applyLinear(l.gate, h2), applyLinear(l.up, h2))));
  }
  const hN = T.rmsNorm(x, m.norm, 1e-6); // (B, T, H)
  // Labels: the next token; the last position of each row is ignored (-1).
  const labels = new Int32Array(B * Tlen).map((_, i) => ((i + 1) % Tlen === 0 ? -1 : ids[i + 1]));
  const logp = T.linearLogprob(hN, m.head, labels); // (B, T)
  return T.scale(T.sum(logp), -1 / (B * (Tlen - 1)));
}
