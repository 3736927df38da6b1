// `prefkit eval`: one pass of every model over a preference dataset, then every metric.
//   1. read the data (pairs, rated groups) and tokenize each distinct (prompt, completion) once;
//   2. policy pass: sequence log-probs + hidden-state sums (CHES); reference pass: log-probs;
//      each reward model: its own tokenization, the reward of every row;
//   3. sample completions from policy and reference for the first prompts: sampled KL, mean
//      reward, win rate;
//   4. eval-summary.ts turns the per-example numbers into the metrics.
// The result is plain JSON (eval.json); eval-report.ts renders it as HTML.

import { loadModel, type LoadedModel } from '../models/load-save.js';
import { formatPosition } from '../io/records/index.js';
import { formatProblem, type ReadOptions } from '../data/index.js';
import type { RatedGroup } from './calibration.js';
import { chesFromSums, type ChesScore } from './ches.js';
import { loadEvalData, tokenizeRows, type EvalDataset, type RowLimits, type TextRow } from './eval-data.js';
import { summarizeEvaluation, type EvalSummary, type RewardScores } from './eval-summary.js';
import { modelPass, type SequenceRow } from './model-pass.js';
import type { PairLogps } from './pair-logps.js';
import { resolveTokenizer } from './resolve-tokenizer.js';
import { completionText, sampleCompletions, scoreSamples } from './sample-pass.js';
import type { SampleLogps } from './sampled-kl.js';

export interface EvalOptions {
  model: string;
  ref?: string;
  data: string;
  rewardModels?: string[];
  /** DPO temperature β of the implicit reward and the idealized policy (default 0.1). */
  beta?: number;
  /** Rater proportion α for pairs without preference_probability (default 0.75, Chen et al.'s code). */
  alpha?: number;
  maxPairs?: number;
  /** Prompts to sample completions for (default 32; 0 = no sampling). */
  samples?: number;
  maxNewTokens?: number;
  seed?: number;
  batchSize?: number;
  /** Prompt + completion tokens at most (default min(1024, the model's positions)). */
  maxLength?: number;
  /** Prompt tokens at most; a longer prompt keeps its last tokens (default maxLength / 2). */
  maxPromptLength?: number;
  /** Tokenizer of policy and reference: a folder or 'byte' (default: the model folder's). */
  tokenizer?: string;
  bootstrapResamples?: number;
  read?: ReadOptions;
  log?: (line: string) => void;
}

export interface SampleRecord {
  prompt: string;
  policy_completion: string;
  policy_logp: number;
  ref_logp?: number;
  tokens: number;
  finish: string;
  policy_reward?: number;
  reference_completion?: string;
  reference_reward?: number;
}

export interface EvalResult extends EvalSummary {
  kind: 'prefkit-eval';
  version: 1;
  created: string;
  settings: Record<string, unknown>;
  data: {
    file: string;
    source?: string;
    records: number;
    pairs_read: number;
    pairs_evaluated: number;
    rows: number;
    groups: number;
    ties_left_out: number;
    truncated_prompts: number;
    truncated_completions: number;
    dropped: { at: string; reason: string }[];
    /** Rows that failed validation and were skipped (--skip-bad-rows). */
    bad_rows: string[];
  };
  pair_positions: string[];
  samples: SampleRecord[];
  timings_s: Record<string, number>;
}

function sameVocab(a: LoadedModel, b: LoadedModel, what: string): void {
  if (a.config.vocabSize !== b.config.vocabSize) {
    throw new Error(`${what} ${b.dir} has a vocabulary of ${b.config.vocabSize} tokens but the policy ${a.dir} has ${a.config.vocabSize} (hint: the reference must share the policy's tokenizer)`);
  }
}

function promptText(p: TextRow['prompt']): string {
  return typeof p === 'string' ? p : p.map((m) => `${m.role}: ${m.content}`).join('\n');
}

export async function runEvaluation(opts: EvalOptions): Promise<EvalResult> {
  const log = opts.log ?? (() => {});
  const beta = opts.beta ?? 0.1;
  const alpha = opts.alpha ?? 0.75;
  const seed = opts.seed ?? 0;
  const timings: Record<string, number> = {};
  const timed = async <R>(name: string, fn: () => R | Promise<R>): Promise<R> => {
    const t0 = performance.now();
    const r = await fn();
    timings[name] = Math.round(performance.now() - t0) / 1000;
    return r;
  };

  const data: EvalDataset = await timed('read', () => loadEvalData(opts.data, { ...opts.read, maxPairs: opts.maxPairs }));
  if (data.pairs.length === 0) throw new Error(`${opts.data}: no preference pairs to evaluate (${data.read.examples} examples read, ${data.tiesLeftOut} ties left out)`);
  log(`read ${data.pairs.length} pairs (${data.rows.length} distinct completions, ${data.groups.length} rated groups) from ${opts.data}`);

  const policy = loadModel(opts.model);
  const tokOpts: RowLimits = { maxLength: opts.maxLength ?? Math.min(1024, policy.config.maxPositions), maxPromptLength: opts.maxPromptLength };
  const tok = resolveTokenizer(opts.model, policy, opts.tokenizer);
  if (tok.note) log(tok.note);
  const ref: LoadedModel | undefined = opts.ref ? loadModel(opts.ref) : undefined;
  if (ref) sameVocab(policy, ref, 'the reference');
  const tokenized = tokenizeRows(data.rows, tok.tokenizer, tokOpts);
  const dropped = tokenized.report.dropped.map((d) => ({ at: d.at ? formatPosition(d.at) : '', reason: d.reason }));
  const valid = (row: number, ids: (SequenceRow | undefined)[]): boolean => ids[row] !== undefined;
  const rowIds = tokenized.ids;

  // Reward models tokenize with their own tokenizers; a pair counts only if every model can score it.
  const rms = (opts.rewardModels ?? []).map((dir) => {
    const model = loadModel(dir);
    if (!model.params.score) throw new Error(`${dir}: not a reward model: no score head (score.weight); save it as *ForSequenceClassification`);
    const t = resolveTokenizer(dir, model);
    return { dir, model, tok: t.tokenizer, ids: tokenizeRows(data.rows, t.tokenizer, tokOpts).ids };
  });
  const pairIdx = data.pairs
    .map((p, i) => i)
    .filter((i) => {
      const p = data.pairs[i];
      return valid(p.chosen, rowIds) && valid(p.rejected, rowIds) && rms.every((r) => valid(p.chosen, r.ids) && valid(p.rejected, r.ids));
    });
  if (pairIdx.length === 0) throw new Error(`${opts.data}: every pair was dropped at tokenization (first reason: ${dropped[0]?.reason ?? 'unknown'})`);
  const used = new Set(pairIdx.flatMap((i) => [data.pairs[i].chosen, data.pairs[i].rejected]));
  const groups = data.groups.filter((g) => g.rows.every((r) => valid(r, rowIds)));
  for (const g of groups) for (const r of g.rows) used.add(r);
  const usedRows = [...used];
  const slot = new Map(usedRows.map((r, k) => [r, k]));
  const seqs = usedRows.map((r) => rowIds[r]!);
  log(`policy pass over ${seqs.length} sequences`);
  const pol = await timed('policy_pass', () => modelPass(policy, seqs, { batchSize: opts.batchSize, hiddenSums: true }));

  let refPass: { logps: Float64Array } | undefined;
  if (ref) {
    log(`reference pass over ${seqs.length} sequences`);
    refPass = await timed('reference_pass', () => modelPass(ref, seqs, { batchSize: opts.batchSize }));
  }
  const rmRewards = await timed('reward_pass', () =>
    rms.map((r) => {
      log(`reward pass (${r.dir})`);
      return modelPass(r.model, usedRows.map((row) => r.ids[row]!), { batchSize: opts.batchSize, rewards: true, skipLogps: true }).rewards!;
    }),
  );

  const H = pol.hidden!;
  const pairs: PairLogps[] = [];
  const ches: ChesScore[] = [];
  const rewards: RewardScores[] = rms.map(() => ({ chosen: [], rejected: [] }));
  for (const i of pairIdx) {
    const p = data.pairs[i];
    const c = slot.get(p.chosen)!;
    const r = slot.get(p.rejected)!;
    const pl: PairLogps = { policyChosen: pol.logps[c], policyRejected: pol.logps[r], chosenTokens: pol.tokens[c], rejectedTokens: pol.tokens[r] };
    if (refPass) Object.assign(pl, { refChosen: refPass.logps[c], refRejected: refPass.logps[r] });
    if (p.alpha !== undefined) pl.alpha = p.alpha;
    pairs.push(pl);
    ches.push(chesFromSums(pol.hiddenSums!.subarray(c * H, (c + 1) * H), pol.hiddenSums!.subarray(r * H, (r + 1) * H), pol.tokens[c], pol.tokens[r]));
    rmRewards.forEach((rw, m) => {
      rewards[m].chosen.push(rw[c]);
      rewards[m].rejected.push(rw[r]);
    });
  }
  const rated: RatedGroup[] = groups.map((g) => ({
    logps: g.rows.map((r) => pol.logps[slot.get(r)!]),
    tokens: g.rows.map((r) => pol.tokens[slot.get(r)!]),
    scores: g.scores,
  }));

  // Sampling: one completion per distinct prompt of the first evaluated pairs.
  const nSamples = opts.samples ?? 32;
  const samples: SampleRecord[] = [];
  let sampleLogps: SampleLogps[] | undefined;
  let sampleRewards: { policy: number[]; reference?: number[] } | undefined;
  if (nSamples > 0 && (ref || rms.length > 0)) {
    const prompts: { text: TextRow['prompt']; ids: number[] }[] = [];
    const seen = new Set<string>();
    const maxNew = opts.maxNewTokens ?? 48;
    // Learned absolute positions end at max_position_embeddings: the prompt plus the sample must fit.
    const room = (m: LoadedModel): number => (m.config.positions === 'learned' ? m.config.maxPositions : Infinity);
    const fits = (ids: number[]): boolean => ids.length > 0 && ids.length + maxNew <= Math.min(room(policy), ref ? room(ref) : Infinity);
    for (const i of pairIdx) {
      const row = data.rows[data.pairs[i].chosen];
      const key = JSON.stringify(row.prompt);
      if (seen.has(key) || !fits(rowIds[data.pairs[i].chosen]!.prompt)) continue;
      seen.add(key);
      prompts.push({ text: row.prompt, ids: rowIds[data.pairs[i].chosen]!.prompt });
      if (prompts.length >= nSamples) break;
    }
    const gen = { maxNewTokens: maxNew, batchSize: opts.batchSize };
    log(`sampling ${prompts.length} completions from the policy${ref ? ' and the reference' : ''}`);
    const polS = await timed('sample_policy', () => sampleCompletions(policy, tok.tokenizer, prompts.map((p) => p.ids), { ...gen, seed }));
    const refS = ref ? await timed('sample_reference', () => sampleCompletions(ref!, tok.tokenizer, prompts.map((p) => p.ids), { ...gen, seed: seed + 1 })) : undefined;
    const polScores = await timed('score_samples', () => ({
      pol: scoreSamples(policy, polS.rows, opts.batchSize),
      ref: ref ? scoreSamples(ref, polS.rows, opts.batchSize) : undefined,
    }));
    prompts.forEach((p, i) => {
      samples.push({
        prompt: promptText(p.text),
        policy_completion: polS.texts[i],
        policy_logp: polScores.pol.logps[i],
        tokens: polScores.pol.tokens[i],
        finish: polS.finish[i],
        ...(polScores.ref ? { ref_logp: polScores.ref.logps[i] } : {}),
        ...(refS ? { reference_completion: refS.texts[i] } : {}),
      });
    });
    if (polScores.ref) sampleLogps = samples.map((s) => ({ policy: s.policy_logp, ref: s.ref_logp!, tokens: s.tokens }));
    if (rms.length > 0) {
      const rm = rms[0];
      const rewardOf = (texts: string[]): number[] => {
        const rows: TextRow[] = prompts.map((p, i) => ({ prompt: p.text, completion: completionText(p.text, texts[i]), at: { file: 'sample' } }));
        const ids = tokenizeRows(rows, rm.tok, tokOpts).ids;
        const ok = ids.map((x, i) => (x && x.completion.length > 0 ? i : -1)).filter((i) => i >= 0);
        const rw = modelPass(rm.model, ok.map((i) => ids[i]!), { rewards: true, skipLogps: true, batchSize: opts.batchSize }).rewards!;
        const out = new Array<number>(texts.length).fill(NaN);
        ok.forEach((i, k) => (out[i] = rw[k]));
        return out;
      };
      const polR = await timed('reward_samples', () => rewardOf(polS.texts));
      const refR = refS ? rewardOf(refS.texts) : undefined;
      samples.forEach((s, i) => {
        s.policy_reward = polR[i];
        if (refR) s.reference_reward = refR[i];
      });
      const both = samples.map((_, i) => i).filter((i) => Number.isFinite(polR[i]) && (!refR || Number.isFinite(refR[i])));
      sampleRewards = { policy: both.map((i) => polR[i]), ...(refR ? { reference: both.map((i) => refR[i]) } : {}) };
    }
  }

  const summary = summarizeEvaluation({
    pairs, beta, alpha, ches, rewards: rms.length ? rewards : undefined, samples: sampleLogps, sampleRewards, groups: rated,
    bootstrap: { resamples: opts.bootstrapResamples ?? 1000, seed },
  });
  return {
    kind: 'prefkit-eval',
    version: 1,
    created: new Date().toISOString(),
    settings: {
      model: opts.model, ref: opts.ref ?? null, data: opts.data, reward_models: opts.rewardModels ?? [], beta, alpha,
      max_pairs: opts.maxPairs ?? null, samples: nSamples, max_new_tokens: opts.maxNewTokens ?? 48, seed,
      max_length: tokOpts.maxLength, max_prompt_length: tokOpts.maxPromptLength ?? Math.floor(tokOpts.maxLength! / 2), tokenizer: tok.source, bootstrap_resamples: opts.bootstrapResamples ?? 1000,
    },
    data: {
      file: opts.data, source: data.read.source, records: data.read.records, pairs_read: data.pairs.length, pairs_evaluated: pairIdx.length,
      rows: seqs.length, groups: rated.length, ties_left_out: data.tiesLeftOut, truncated_prompts: tokenized.report.truncatedPrompts, truncated_completions: tokenized.report.truncatedCompletions, dropped,
      bad_rows: data.read.errors.map(formatProblem),
    },
    pair_positions: pairIdx.map((i) => formatPosition(data.pairs[i].at)),
    ...summary,
    samples,
    timings_s: timings,
  };
}
