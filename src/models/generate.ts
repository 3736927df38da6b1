// Text generation with a KV cache: greedy or sampling (temperature, top-k, top-p; seeded), batched
// prompts of different lengths (left-padded, positions counted from each row's first real token),
// stopping at EOS, at a token budget, or at stop strings (checked on the decoded text).
import * as T from '../tensor/index.js';
import type { DecoderModel } from './decoder-params.js';
import { decoderHidden, decoderLogits, emptyCache } from './decoder.js';

export interface GenerateOptions {
  maxNewTokens: number;
  /** 0 (default) = greedy. */
  temperature?: number;
  topK?: number;
  topP?: number;
  seed?: number;
  /** Token ids that end a row (default: the config's eos_token_id). */
  eosTokenIds?: number[];
  /** Stop strings, checked on decode(newTokens) when `decode` is given; the match is cut off. */
  stopStrings?: string[];
  decode?: (ids: number[]) => string;
}

export interface Generation {
  /** New token ids per prompt (EOS excluded). */
  tokens: number[][];
  /** Why each row stopped. */
  finish: ('eos' | 'length' | 'stop')[];
  /** Decoded text per row when `decode` was given. */
  text?: string[];
}

/** Picks the next token from one row of logits. */
export function sampleToken(logits: ArrayLike<number>, opts: GenerateOptions, rng: T.Rng): number {
  const V = logits.length;
  const temperature = opts.temperature ?? 0;
  if (temperature <= 0) {
    let best = 0;
    for (let v = 1; v < V; v++) if (logits[v] > logits[best]) best = v;
    return best;
  }
  let order = Array.from({ length: V }, (_, v) => v).sort((a, b) => logits[b] - logits[a]);
  if (opts.topK && opts.topK > 0) order = order.slice(0, opts.topK);
  const maxLogit = logits[order[0]];
  let probs = order.map((v) => Math.exp((logits[v] - maxLogit) / temperature));
  let total = probs.reduce((a, b) => a + b, 0);
  if (opts.topP !== undefined && opts.topP < 1) {
    // Keep the smallest prefix whose mass reaches topP (always at least one token).
    let mass = 0;
    let keep = 0;
    while (keep < probs.length && mass < opts.topP * total) mass += probs[keep++];
    order = order.slice(0, Math.max(1, keep));
    probs = probs.slice(0, Math.max(1, keep));
    total = probs.reduce((a, b) => a + b, 0);
  }
  let u = rng.uniform() * total;
  for (let i = 0; i < order.length; i++) {
    u -= probs[i];
    if (u <= 0) return order[i];
  }
  return order[order.length - 1];
}

export function generate(model: DecoderModel, prompts: number[][], opts: GenerateOptions): Generation {
  if (prompts.length === 0) return { tokens: [], finish: [] };
  if (prompts.some((p) => p.length === 0)) throw new Error('generate: every prompt needs at least one token (add a BOS token)');
  const cfg = model.config;
  const eos = opts.eosTokenIds ?? (cfg.eosTokenId === null ? [] : Array.isArray(cfg.eosTokenId) ? cfg.eosTokenId : [cfg.eosTokenId]);
  const rng = new T.Rng(opts.seed ?? 0);
  const B = prompts.length;
  const P = Math.max(...prompts.map((p) => p.length));
  const pad = cfg.padTokenId ?? 0;
  // Left padding: row b's real tokens end at column P - 1.
  const ids = new Int32Array(B * P).fill(pad);
  const mask: number[] = new Array(B * P).fill(0);
  const positions = new Int32Array(B * P);
  prompts.forEach((p, b) => {
    const off = P - p.length;
    p.forEach((tok, t) => {
      ids[b * P + off + t] = tok;
      mask[b * P + off + t] = 1;
      positions[b * P + off + t] = t;
    });
  });
  const next = prompts.map((p) => p.length); // next position per row
  const tokens: number[][] = prompts.map(() => []);
  const finish: Generation['finish'] = prompts.map(() => 'length');
  const done = new Array<boolean>(B).fill(false);
  const cache = emptyCache(cfg.layers);
  let keyMask = mask.slice();
  let stepIds = ids;
  let stepPositions = positions;
  let stepT = P;
  return T.noGrad(() => {
    for (let step = 0; step < opts.maxNewTokens; step++) {
      const hidden = decoderHidden(model, { ids: stepIds, B, T: stepT, positions: stepPositions, keyMask: Float32Array.from(keyMask), cache });
      const last = T.slice(hidden, 1, stepT - 1, stepT); // (B, 1, H)
      const logits = decoderLogits(model, last); // (B, 1, V)
      const V = cfg.vocabSize;
      const chosen = new Int32Array(B).fill(pad);
      for (let b = 0; b < B; b++) {
        if (done[b]) continue;
        const tok = sampleToken(logits.data.subarray(b * V, (b + 1) * V), opts, rng);
        if (eos.includes(tok)) {
          done[b] = true;
          finish[b] = 'eos';
          continue;
        }
        tokens[b].push(tok);
        chosen[b] = tok;
        if (opts.stopStrings && opts.decode) {
          const text = opts.decode(tokens[b]);
          if (opts.stopStrings.some((s) => text.includes(s))) {
            done[b] = true;
            finish[b] = 'stop';
          }
        }
      }
      if (done.every(Boolean)) break;
      // Append one column: finished rows get a masked pad token.
      const newMask: number[] = [];
      const S = keyMask.length / B;
      for (let b = 0; b < B; b++) {
        newMask.push(...keyMask.slice(b * S, (b + 1) * S), done[b] ? 0 : 1);
      }
      keyMask = newMask;
      stepIds = chosen;
      stepPositions = Int32Array.from(next.map((n, b) => (done[b] ? n : next[b]++)));
      stepT = 1;
    }
    const result: Generation = { tokens, finish };
    if (opts.decode) {
      result.text = tokens.map((t, b) => {
        let text = opts.decode!(t);
        if (finish[b] === 'stop') {
          const cut = Math.min(...opts.stopStrings!.map((s) => text.indexOf(s)).filter((i) => i >= 0));
          text = text.slice(0, cut);
        }
        return text;
      });
    }
    return result;
  });
}
