// Seeded sampling of completions for sentence openings (models layer's generate: KV cache, batched
// left-padded prompts). Each opening is repeated k times; rows are generated batchRows at a time, and
// batch b uses seed (seed, b), so the same seed gives the same samples. Every policy is sampled with
// the same seeds (common random numbers), which makes their differences less noisy.
import type { DecoderModel } from '../models/decoder-params.js';
import { generate } from '../models/generate.js';
import type { ByteTokenizer } from '../tokenizers/index.js';

export interface Completion {
  /** Decoded completion text (without the opening). */
  text: string;
  /** The sampled token ids (EOS excluded). */
  ids: number[];
  /** true when the model ended the row with <eos>; false when it hit max_new_tokens. */
  ended: boolean;
}

export interface SampleOptions {
  k: number;
  maxNewTokens: number;
  temperature: number;
  seed: number;
  batchRows: number;
  /** Called after each generated batch with the rows done so far. */
  onBatch?(rowsDone: number, rowsTotal: number): void;
}

/** A 32-bit seed from a base seed and a stream index (splitmix-style mixing). */
export function mixSeed(seed: number, stream: number): number {
  let z = (Math.imul(seed >>> 0, 0x9e3779b1) + Math.imul(stream + 1, 0x85ebca6b)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x7feb352d) >>> 0;
  z = Math.imul(z ^ (z >>> 15), 0x846ca68b) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

/** k completions for each opening: result[i][j] is sample j of opening i. */
export function sampleCompletions(model: DecoderModel, tok: ByteTokenizer, openings: string[], o: SampleOptions): Completion[][] {
  const rows: number[] = [];
  openings.forEach((_, i) => {
    for (let j = 0; j < o.k; j++) rows.push(i);
  });
  const out: Completion[][] = openings.map(() => []);
  const encoded = openings.map((t) => tok.encode(t, { addSpecialTokens: true })); // <bos> + bytes
  for (let start = 0, batch = 0; start < rows.length; start += o.batchRows, batch++) {
    const chunk = rows.slice(start, start + o.batchRows);
    const g = generate(model, chunk.map((i) => encoded[i]), {
      maxNewTokens: o.maxNewTokens, temperature: o.temperature, seed: mixSeed(o.seed, batch), eosTokenIds: [tok.eosId],
    });
    chunk.forEach((i, r) => {
      const ids = g.tokens[r];
      out[i].push({ text: tok.decode(ids, { skipSpecialTokens: true }), ids, ended: g.finish[r] === 'eos' });
    });
    o.onBatch?.(Math.min(start + o.batchRows, rows.length), rows.length);
  }
  return out;
}
