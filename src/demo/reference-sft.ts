// Step 2 of the demo: the reference policy. A small Llama-style decoder with the byte-level tokenizer
// is trained from scratch (seeded init) on the corpus's training sentences, so that given the opening
// of a sentence it writes the rest and stops with <eos>.
//
// Data layout: the shuffled sentences are packed into one stream  <bos> s1 <eos> <bos> s2 <eos> ...
// cut into rows of seq_len tokens (GPT-style packing: no padding, every token counts). Loss: the
// token-mean NLL over every position (the train layer's sftStep with completionOnly = false).
// Loop: the train layer's train() with AdamW and a cosine schedule after a linear warmup.
import type { InitConfig } from '../config/index.js';
import type { SequenceBatch } from '../data/index.js';
import { shuffledIndices } from '../data/index.js';
import type { DecoderModel } from '../models/decoder-params.js';
import { initDecoder } from '../models/decoder-params.js';
import { namedParams, countParams } from '../nn/params.js';
import { createAdamW } from '../optim/optimizer.js';
import { learningRateAt } from '../optim/schedule.js';
import { ByteTokenizer } from '../tokenizers/index.js';
import { createLoader, initConfig, sftStep, train, type SftBatch } from '../train/index.js';
import type { DemoConfig } from './demo-config.js';
import type { DemoProgress } from './progress.js';

export interface ReferenceResult {
  model: DecoderModel;
  parameters: number;
  /** Mean training loss (nats per byte) of each logged window: [step, loss]. */
  lossCurve: [number, number][];
  finalLoss: number;
  tokensSeen: number;
  packedRows: number;
  seconds: number;
}

/** The byte-level Llama-style DecoderConfig of the demo model. */
export function demoModelConfig(cfg: DemoConfig, tok: ByteTokenizer) {
  const init: InitConfig = {
    model_type: 'llama',
    hidden_size: cfg.model.hidden_size,
    num_hidden_layers: cfg.model.num_hidden_layers,
    num_attention_heads: cfg.model.num_attention_heads,
    num_key_value_heads: null,
    intermediate_size: cfg.model.intermediate_size,
    // Prompts are short openings; generation goes at most max_new_tokens beyond them.
    max_position_embeddings: Math.max(256, cfg.sft.seq_len),
    tie_word_embeddings: true,
    initializer_range: 0.02,
  };
  return initConfig(init, tok);
}

/** Token rows of the packed corpus: (rows, seqLen), every sentence as <bos> bytes <eos>. */
export function packCorpus(sentences: string[], tok: ByteTokenizer, seqLen: number, seed: number): Int32Array[] {
  const order = shuffledIndices(sentences.length, seed);
  const rows: Int32Array[] = [];
  let row = new Int32Array(seqLen);
  let fill = 0;
  for (const i of order) {
    const ids = [tok.bosId, ...tok.encode(sentences[i]), tok.eosId];
    for (const id of ids) {
      row[fill++] = id;
      if (fill === seqLen) {
        rows.push(row);
        row = new Int32Array(seqLen);
        fill = 0;
      }
    }
  }
  return rows; // the last partial row is dropped: at most seqLen - 1 tokens
}

function packedBatch(rows: Int32Array[], indices: Int32Array, seqLen: number): SftBatch {
  const B = indices.length;
  const inputIds = new Int32Array(B * seqLen); // (B, T)
  indices.forEach((r, b) => inputIds.set(rows[r], b * seqLen));
  const ones = new Float32Array(B * seqLen).fill(1); // (B, T)
  const seq: SequenceBatch = {
    rows: B, seqLen, inputIds, attentionMask: ones, completionMask: ones,
    lengths: new Int32Array(B).fill(seqLen), promptLengths: new Int32Array(B), completionLengths: new Int32Array(B).fill(seqLen),
  };
  return { seq };
}

/** Trains the reference policy from scratch on the training sentences. */
export async function trainReference(cfg: DemoConfig, sentences: string[], progress: DemoProgress): Promise<ReferenceResult> {
  const t0 = performance.now();
  const tok = new ByteTokenizer();
  const model = initDecoder(demoModelConfig(cfg, tok), cfg.seed, 0.02);
  const rows = packCorpus(sentences, tok, cfg.sft.seq_len, cfg.seed);
  if (rows.length < cfg.sft.batch_size) throw new Error(`demo SFT: the corpus fills ${rows.length} rows of ${cfg.sft.seq_len} tokens, fewer than one batch`);
  const loader = createLoader<SftBatch>({
    size: rows.length, batchSize: cfg.sft.batch_size, seed: cfg.seed, dropLast: true,
    make: (idx) => packedBatch(rows, idx, cfg.sft.seq_len),
  });
  const optimizer = createAdamW(namedParams(model.params), { weightDecay: 0.01, beta2: 0.99 });
  const steps = cfg.sft.steps;
  const lossCurve: [number, number][] = [];
  const bar = progress.stage('1/4 SFT reference', steps, 'steps');
  let ema = NaN;
  const result = await train({
    model, step: sftStep({ completionOnly: false }), optimizer, loader, maxSteps: steps,
    learningRate: (s) => learningRateAt(s, { name: 'cosine', lr: cfg.sft.learning_rate, warmupSteps: cfg.sft.warmup_steps, totalSteps: steps, minLrRatio: 0.1 }),
    maxGradNorm: 1, loggingSteps: Math.max(1, Math.floor(steps / 50)),
    hooks: {
      onLog: (line) => lossCurve.push([line.step, line.loss]),
      onProgress: (p) => {
        ema = Number.isNaN(ema) ? p.loss : 0.9 * ema + 0.1 * p.loss;
        bar.update(p.step, `loss ${ema.toFixed(3)}`);
      },
    },
  });
  const finalLoss = result.lastLine?.loss ?? NaN;
  bar.finish(`loss ${finalLoss.toFixed(3)} nats/byte, ${countParams(model.params).toLocaleString('en-US')} parameters`);
  return {
    model, parameters: countParams(model.params), lossCurve, finalLoss,
    tokensSeen: steps * cfg.sft.batch_size * cfg.sft.seq_len, packedRows: rows.length, seconds: (performance.now() - t0) / 1000,
  };
}
