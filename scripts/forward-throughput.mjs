#!/usr/bin/env node
// Forward tokens/s of a SmolLM2-135M-shaped Llama (hidden 576, 30 layers, 9 heads / 3 kv heads,
// intermediate 1536, vocab 49152, tied embeddings; random weights) on batch 8 x 256 tokens:
// decoder forward plus the fused per-token log-probs (no (B, T, V) logits), no gradients.
// usage: node scripts/forward-throughput.mjs [--steps N]
import { tensor as T, initDecoder, decoderHidden, lmHeadWeight, sequenceLogprobs } from '../dist/src/index.js';

const steps = Number(process.argv[process.argv.indexOf('--steps') + 1] || 3);
const cfg = {
  modelType: 'llama', vocabSize: 49152, hidden: 576, layers: 30, heads: 9, kvHeads: 3, headDim: 64, intermediate: 1536,
  norm: 'rms', normEps: 1e-5, positions: 'rope', ropeTheta: 100000, ropeScaling: null, maxPositions: 2048, mlp: 'gated',
  activation: 'silu', qkvBias: false, oBias: false, mlpBias: false, tieEmbeddings: true, bosTokenId: null, eosTokenId: null,
  padTokenId: null,
};
const model = initDecoder(cfg, 0, 0.02);
const B = 8;
const Tn = 256;
const rng = new T.Rng(1);
const ids = new Int32Array(B * Tn).map(() => rng.int(cfg.vocabSize));
const batch = { ids, B, T: Tn, completionMask: new Float32Array(B * Tn).fill(1) };
const times = [];
for (let i = 0; i < steps + 1; i++) {
  const t0 = performance.now();
  T.noGrad(() => sequenceLogprobs(decoderHidden(model, batch), lmHeadWeight(model), batch));
  if (i > 0) times.push(performance.now() - t0);
}
times.sort((a, b) => a - b);
const ms = times[Math.floor(times.length / 2)];
console.log(JSON.stringify({
  shape: 'SmolLM2-135M-like', batch: `${B}x${Tn}`, ms_per_forward: Math.round(ms), tokens_per_s: Math.round((B * Tn) / (ms / 1000)),
  peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
}));
