// One no-grad forward pass of a decoder over token sequences (prompt + completion), giving what the
// metrics need from each sequence:
//   logps       Σ_t log π(y_t | x, y_<t) over the completion tokens (fused lm-head log-prob)
//   tokens      number of completion tokens that have a prediction (|y|)
//   hiddenSums  Σ_t h_t over the positions that predict completion tokens (CHES, ches.ts), (rows, H)
//   rewards     score · h_last, h_last the final hidden state at the last real token (reward heads)
// Rows are sorted by length and batched (right padding, key mask), so padding stays small; the
// outputs come back in input order.

import * as T from '../tensor/index.js';
import { decoderHidden } from '../models/decoder.js';
import { lmHeadWeight, type DecoderModel } from '../models/decoder-params.js';
import { sequenceLogprobs } from '../logprobs/sequence-logprobs.js';
import { collateUnpaired } from '../data/index.js';

export interface SequenceRow {
  prompt: number[];
  completion: number[];
}

export interface PassOptions {
  /** Rows per forward pass (default 16). */
  batchSize?: number;
  /** Also sum hidden states over completion-predicting positions (CHES). */
  hiddenSums?: boolean;
  /** Also compute the reward head's score (needs params.score). */
  rewards?: boolean;
  /** Skip the lm-head log-probs (e.g. for a reward model). */
  skipLogps?: boolean;
  onBatch?: (done: number, total: number) => void;
}

export interface PassResult {
  logps: Float64Array;
  tokens: Int32Array;
  /** Row r occupies [r*H, (r+1)*H). */
  hiddenSums?: Float64Array;
  hidden?: number;
  rewards?: Float64Array;
}

export function modelPass(model: DecoderModel, rows: SequenceRow[], opts: PassOptions = {}): PassResult {
  const H = model.config.hidden;
  const V = model.config.vocabSize;
  const n = rows.length;
  const score = model.params.score;
  if (opts.rewards && !score) throw new Error('reward pass: the model has no reward head (score.weight); pass a *ForSequenceClassification checkpoint');
  rows.forEach((r, i) => {
    for (const id of [...r.prompt, ...r.completion]) {
      if (!(id >= 0 && id < V)) throw new Error(`sequence ${i}: token id ${id} is outside the model's vocabulary (${V}); the tokenizer does not match the model`);
    }
    if (r.prompt.length + r.completion.length < 2 || r.completion.length < 1) throw new Error(`sequence ${i}: needs at least one completion token after a prompt token`);
  });
  const out: PassResult = { logps: new Float64Array(n), tokens: new Int32Array(n) };
  if (opts.hiddenSums) {
    out.hiddenSums = new Float64Array(n * H);
    out.hidden = H;
  }
  if (opts.rewards) out.rewards = new Float64Array(n);
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => rows[a].prompt.length + rows[a].completion.length - (rows[b].prompt.length + rows[b].completion.length),
  );
  const bs = Math.max(1, opts.batchSize ?? 16);
  const pad = model.config.padTokenId ?? 0;
  T.noGrad(() => {
    for (let start = 0; start < n; start += bs) {
      const idx = order.slice(start, start + bs);
      const batch = collateUnpaired(
        idx.map((i) => ({ promptIds: rows[i].prompt, completionIds: rows[i].completion, label: true })),
        { padId: pad },
      );
      const B = batch.rows;
      const S = batch.seqLen;
      const hidden = decoderHidden(model, { ids: batch.inputIds, B, T: S, keyMask: batch.attentionMask }); // (B, S, H)
      const h = hidden.data;
      if (!opts.skipLogps) {
        const lp = sequenceLogprobs(hidden, lmHeadWeight(model), { ids: batch.inputIds, B, T: S, completionMask: batch.completionMask });
        const sums = lp.sum.data; // (B,)
        idx.forEach((row, b) => {
          out.logps[row] = sums[b];
          out.tokens[row] = lp.counts[b];
        });
      } else {
        idx.forEach((row, b) => {
          let c = 0;
          for (let t = 1; t < S; t++) if (batch.completionMask[b * S + t] !== 0) c++;
          out.tokens[row] = c;
        });
      }
      idx.forEach((row, b) => {
        if (out.hiddenSums) {
          // Position t predicts token t + 1: sum the states whose next token is a completion token.
          const dst = row * H;
          for (let t = 0; t + 1 < S; t++) {
            if (batch.completionMask[b * S + t + 1] === 0) continue;
            const src = (b * S + t) * H;
            for (let j = 0; j < H; j++) out.hiddenSums![dst + j] += h[src + j];
          }
        }
        if (out.rewards) {
          const last = (b * S + batch.lengths[b] - 1) * H; // last real token of row b
          const w = score!.data; // (1, H)
          let r = 0;
          for (let j = 0; j < H; j++) r += h[last + j] * w[j];
          out.rewards[row] = r;
        }
      });
      opts.onBatch?.(Math.min(n, start + bs), n);
    }
  });
  return out;
}
