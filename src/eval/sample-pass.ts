// Samples completions from the policy (and the reference) for a set of prompts and scores them:
//   - log πθ(y|x) and log π_ref(y|x) of each policy sample  -> sampled KL (sampled-kl.ts)
//   - reward-model scores of policy and reference samples  -> mean reward, win rate (reward-metrics.ts)
// Sampling is at temperature 1 with no top-k/top-p, so the samples follow πθ exactly (the KL
// estimator needs that); a sample that ended with EOS keeps the EOS token, whose log-prob counts.
// Seeded: prompt i of the policy uses the generator stream of seed, the reference seed + 1.

import { generate } from '../models/generate.js';
import type { DecoderModel } from '../models/decoder-params.js';
import type { Text } from '../data/index.js';
import type { Tokenizer } from '../tokenizers/index.js';
import { modelPass, type SequenceRow } from './model-pass.js';

export interface SampleOptions {
  maxNewTokens: number;
  seed: number;
  batchSize?: number;
}

export interface Sampled {
  /** Prompt ids + sampled completion ids (EOS included when sampled). */
  rows: SequenceRow[];
  /** Decoded completion texts (special tokens left out). */
  texts: string[];
  finish: string[];
}

function eosIds(model: DecoderModel, tok: Tokenizer): number[] {
  if (tok.eosId !== undefined) return [tok.eosId];
  const e = model.config.eosTokenId;
  return e === null ? [] : Array.isArray(e) ? e : [e];
}

/** Draws one completion per prompt from `model` (temperature 1, unfiltered). */
export function sampleCompletions(model: DecoderModel, tok: Tokenizer, prompts: number[][], opts: SampleOptions): Sampled {
  const eos = eosIds(model, tok);
  const rows: SequenceRow[] = [];
  const texts: string[] = [];
  const finish: string[] = [];
  const bs = Math.max(1, opts.batchSize ?? 16);
  for (let start = 0; start < prompts.length; start += bs) {
    const chunk = prompts.slice(start, start + bs);
    const g = generate(model, chunk, { maxNewTokens: opts.maxNewTokens, temperature: 1, seed: opts.seed + start, eosTokenIds: eos });
    g.tokens.forEach((t, i) => {
      const completion = g.finish[i] === 'eos' && eos.length === 1 ? [...t, eos[0]] : [...t];
      rows.push({ prompt: chunk[i], completion });
      texts.push(tok.decode(t, { skipSpecialTokens: true }));
      finish.push(g.finish[i]);
    });
  }
  return { rows, texts, finish };
}

/** Log-probs of sampled rows under a model; rows with an empty completion get log-prob 0 and 0 tokens. */
export function scoreSamples(model: DecoderModel, rows: SequenceRow[], batchSize?: number): { logps: Float64Array; tokens: Int32Array } {
  const keep = rows.map((r, i) => (r.completion.length > 0 ? i : -1)).filter((i) => i >= 0);
  const res = modelPass(model, keep.map((i) => rows[i]), { batchSize });
  const logps = new Float64Array(rows.length);
  const tokens = new Int32Array(rows.length);
  keep.forEach((row, k) => {
    logps[row] = res.logps[k];
    tokens[row] = res.tokens[k];
  });
  return { logps, tokens };
}

/** The completion of a sample as data text, in the prompt's style (a chat turn for conversations). */
export function completionText(prompt: Text, text: string): Text {
  return typeof prompt === 'string' ? text : [{ role: 'assistant', content: text }];
}
