// `prefkit score`: per-token log-probs of texts (or prompt + completion, or raw token ids) under a
// model, with the completion's sum and mean — the tool for ranking responses.
import * as T from '../tensor/index.js';
import { loadModel, type LoadedModel } from '../models/load-save.js';
import { decoderHidden } from '../models/decoder.js';
import { lmHeadWeight } from '../models/decoder-params.js';
import { sequenceLogprobs } from '../logprobs/sequence-logprobs.js';
import { createRecordWriter, formatPosition, readRecords } from '../io/records/index.js';
import { loadTokenizer, type Tokenizer } from '../tokenizers/index.js';

export interface ScoreResult {
  /** Entry t-1 is log p(token t | tokens < t), for t = 1 .. n-1. */
  token_logprobs: number[];
  completion_start: number;
  completion_sum: number;
  completion_mean: number;
  num_completion_tokens: number;
  num_tokens: number;
}

/** Scores one token sequence; completionStart is the index of the first completion token (>= 1). */
export function scoreIds(model: LoadedModel, ids: number[], completionStart = 1): ScoreResult {
  const n = ids.length;
  const start = Math.max(1, completionStart);
  return T.noGrad(() => {
    const batch = { ids: Int32Array.from(ids), B: 1, T: n, completionMask: new Float32Array(n).fill(1) };
    const hidden = decoderHidden(model, batch); // (1, n, H)
    const lp = sequenceLogprobs(hidden, lmHeadWeight(model), batch).tokenLogprobs.data; // (1, n)
    const tokenLogprobs = Array.from(lp.subarray(0, n - 1));
    let sum = 0;
    for (let t = start; t < n; t++) sum += tokenLogprobs[t - 1];
    const count = Math.max(0, n - start);
    return {
      token_logprobs: tokenLogprobs, completion_start: start, completion_sum: sum,
      completion_mean: count > 0 ? sum / count : 0, num_completion_tokens: count, num_tokens: n,
    };
  });
}

function idsOf(value: unknown, where: string, tokenizer: () => Tokenizer): { ids: number[]; start: number } {
  const rec = value as Record<string, unknown>;
  if (typeof rec !== 'object' || rec === null || Array.isArray(rec)) throw new Error(`${where}: expected a JSON object`);
  const withBos = (ids: number[]): number[] => {
    const tok = tokenizer();
    return tok.bosId !== undefined && tok.addBosToken ? [tok.bosId, ...ids] : ids;
  };
  if (rec.ids !== undefined) {
    if (!Array.isArray(rec.ids) || rec.ids.length < 2 || !rec.ids.every((x) => Number.isInteger(x) && x >= 0)) {
      throw new Error(`${where}: field 'ids' should be a list of at least 2 non-negative integer token ids`);
    }
    const start = rec.completion_start ?? 1;
    if (!Number.isInteger(start) || (start as number) < 1 || (start as number) > rec.ids.length) {
      throw new Error(`${where}: field 'completion_start' should be an integer in [1, ${rec.ids.length}], got ${JSON.stringify(rec.completion_start)}`);
    }
    return { ids: rec.ids as number[], start: start as number };
  }
  if (typeof rec.prompt === 'string' && typeof rec.completion === 'string') {
    const prompt = withBos(tokenizer().encode(rec.prompt));
    return { ids: [...prompt, ...tokenizer().encode(rec.completion)], start: Math.max(1, prompt.length) };
  }
  if (typeof rec.text === 'string') return { ids: withBos(tokenizer().encode(rec.text)), start: 1 };
  throw new Error(`${where}: expected a field 'text' (string), 'prompt' + 'completion' (strings), or 'ids' (token ids); ` +
    `found fields: ${Object.keys(rec).join(', ') || 'none'}`);
}

export interface ScoreFileReport {
  scored: number;
  outFile: string;
}

/** Reads FILE (JSONL/JSON/Parquet), writes one JSON line per input row to OUT (same order). */
export async function scoreFile(modelDir: string, dataFile: string, outFile: string, onRow?: (n: number) => void): Promise<ScoreFileReport> {
  const model = loadModel(modelDir);
  let tok: Tokenizer | null = null;
  const tokenizer = (): Tokenizer => (tok ??= loadTokenizer(modelDir) as Tokenizer);
  const writer = createRecordWriter(outFile);
  let scored = 0;
  try {
    for await (const item of readRecords(dataFile)) {
      if (!item.ok) throw new Error(`${formatPosition(item.at)}: expected ${item.problem.expected}, found ${item.problem.found}`);
      const where = formatPosition(item.at);
      const { ids, start } = idsOf(item.value, where, tokenizer);
      for (const id of ids) {
        if (id >= model.config.vocabSize) throw new Error(`${where}: token id ${id} is outside the model's vocabulary (${model.config.vocabSize})`);
      }
      await writer.write(scoreIds(model, ids, start));
      onRow?.(++scored);
    }
    await writer.close();
  } catch (e) {
    await writer.abort();
    throw e;
  }
  return { scored, outFile };
}
