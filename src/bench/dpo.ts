// `prefkit bench dpo`: one DPO training step of a Llama-style decoder, exactly the step of the PyTorch
// peer (../shared/bench/pytorch_dpo_step.py): policy forward on 2 x pairs sequences, summed completion
// log-probs, sigmoid DPO loss (beta 0.1) against precomputed reference log-probs, backward, AdamW
// (lr 1e-4, weight decay 0). Random init and token ids from a fixed seed.
//
// Achieved GFLOP/s = flops / seconds, with flops per step counted as
//   6 * tokens * (weights of every linear layer + the lm head)    (forward 2x, backward 4x)
// + 12 * layers * B * T^2 * heads * headDim                        (attention QK^T and PV, fwd + bwd,
//                                                                   counted for the full T x T square)
// The embedding lookup, norms, activations and the optimizer are not counted.
import * as T from '../tensor/index.js';
import { initDecoder, lmHeadWeight } from '../models/decoder-params.js';
import { decoderHidden } from '../models/decoder.js';
import type { DecoderConfig } from '../models/decoder-config.js';
import { sequenceLogprobs } from '../logprobs/sequence-logprobs.js';
import { adamwInit, adamwUpdate } from '../optim/adamw.js';
import { countParams, namedParams, zeroGrad } from '../nn/params.js';
import { setNativeThreads } from '../tensor/native/gemm.js';

export interface DpoPreset {
  vocab: number;
  hidden: number;
  inter: number;
  layers: number;
  heads: number;
  kv: number;
  T: number;
  pairs: number;
  prompt: number;
  tie: boolean;
}

export const DPO_PRESETS: Record<string, DpoPreset> = {
  tiny: { vocab: 256, hidden: 256, inter: 768, layers: 4, heads: 4, kv: 4, T: 128, pairs: 4, prompt: 32, tie: false },
  small: { vocab: 32000, hidden: 384, inter: 1024, layers: 6, heads: 6, kv: 2, T: 256, pairs: 4, prompt: 64, tie: true },
};

export interface DpoBenchOptions {
  preset: string;
  steps?: number;
  warmup?: number;
  threads?: number;
  /** Overrides (for the scaling tables): sequence length, vocabulary. */
  seqLen?: number;
  vocab?: number;
}

export interface DpoBenchResult {
  impl: string;
  preset: string;
  threads: number;
  params: number;
  seq_len: number;
  vocab: number;
  ms_per_step: number;
  tokens_per_s: number;
  peak_rss_mb: number;
  gflops: number;
  loss: number;
}

export function presetConfig(p: DpoPreset): DecoderConfig {
  return {
    modelType: 'llama', vocabSize: p.vocab, hidden: p.hidden, layers: p.layers, heads: p.heads, kvHeads: p.kv,
    headDim: p.hidden / p.heads, intermediate: p.inter, norm: 'rms', normEps: 1e-6, positions: 'rope', ropeTheta: 10000,
    ropeScaling: null, maxPositions: p.T, mlp: 'gated', activation: 'silu', qkvBias: false, oBias: false, mlpBias: false,
    tieEmbeddings: p.tie, bosTokenId: null, eosTokenId: null, padTokenId: null,
  };
}

export function stepFlops(p: DpoPreset, B: number): number {
  const hd = p.hidden / p.heads;
  const perLayer = p.hidden * p.heads * hd + 2 * p.hidden * p.kv * hd + p.heads * hd * p.hidden + 3 * p.hidden * p.inter;
  const linearWeights = p.layers * perLayer + p.vocab * p.hidden;
  return 6 * B * p.T * linearWeights + 12 * p.layers * B * p.T * p.T * p.heads * hd;
}

export function runDpoBench(opts: DpoBenchOptions): DpoBenchResult {
  const base = DPO_PRESETS[opts.preset];
  if (!base) throw new Error(`bench dpo: unknown preset '${opts.preset}'; expected one of: ${Object.keys(DPO_PRESETS).join(', ')}`);
  const p: DpoPreset = { ...base, T: opts.seqLen ?? base.T, vocab: opts.vocab ?? base.vocab };
  if (opts.threads && T.backend().name === 'native') setNativeThreads(opts.threads);
  const cfg = presetConfig(p);
  const model = initDecoder(cfg, 0, 0.02);
  const named = namedParams(model.params as never);
  const opt = adamwInit(named);
  const B = 2 * p.pairs;
  const rng = new T.Rng(1);
  const ids = new Int32Array(B * p.T).map(() => rng.int(p.vocab));
  const completionMask = new Float32Array(B * p.T).map((_, i) => (i % p.T >= p.prompt ? 1 : 0));
  const batch = { ids, B, T: p.T, completionMask };
  const logps = () => sequenceLogprobs(decoderHidden(model, { ids, B, T: p.T }), lmHeadWeight(model), batch).sum; // (B,)
  const ref = T.noGrad(() => logps()).data.slice(); // precomputed reference log-probs
  const refChosen = T.tensor(ref.subarray(0, p.pairs));
  const refRejected = T.tensor(ref.subarray(p.pairs));
  const times: number[] = [];
  let loss = 0;
  const warmup = opts.warmup ?? 2;
  const steps = opts.steps ?? 8;
  for (let i = 0; i < warmup + steps; i++) {
    const t0 = performance.now();
    const lp = logps(); // (B,)
    const pc = T.slice(lp, 0, 0, p.pairs); // (pairs,)
    const pr = T.slice(lp, 0, p.pairs); // (pairs,)
    const logits = T.scale(T.sub(T.sub(pc, refChosen), T.sub(pr, refRejected)), 0.1); // (pairs,)
    const l = T.neg(T.mean(T.logSigmoid(logits)));
    zeroGrad(model.params as never);
    l.backward();
    adamwUpdate(opt, named, { lr: 1e-4, weightDecay: 0 });
    const dt = performance.now() - t0;
    loss = l.item();
    if (i >= warmup) times.push(dt);
  }
  times.sort((a, b) => a - b);
  const ms = times[Math.floor(times.length / 2)];
  return {
    impl: `prefkit ${T.backend().name}`,
    preset: opts.preset,
    threads: opts.threads ?? 0,
    params: countParams(model.params as never),
    seq_len: p.T,
    vocab: p.vocab,
    ms_per_step: Math.round(ms * 10) / 10,
    tokens_per_s: Math.round((B * p.T) / (ms / 1000) * 10) / 10,
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024 * 10) / 10,
    gflops: Math.round(stepFlops(p, B) / (ms / 1000) / 1e9 * 10) / 10,
    loss: Math.round(loss * 1e5) / 1e5,
  };
}
