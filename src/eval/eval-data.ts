// A dataset file -> what an evaluation scores: a table of distinct (prompt, completion) rows, the
// pairs that reference them (chosen row, rejected row) and rated groups for calibration.
//   paired examples   one pair each (implicit prompts extracted; `tie: true` pairs are left out and
//                     counted: a tie has no ranking to get right)
//   ranked examples   best-vs-rest pairs, and one rated group (all completions with their scores)
//   unpaired (KTO)    not evaluable here: an error naming the file and line
// When the file has no ranked examples, prompts that have ≥ 3 distinct completions across their
// pairs become rated groups scored by wins − losses (Copeland score), e.g. FineGrained QA's four
// answers per question. Each distinct (prompt, completion) is scored once, however many pairs use it.

import { DataFileError, type RecordPosition } from '../io/records/index.js';
import {
  extractPrompt,
  newTokenizeReport,
  pairsOf,
  readExamples,
  scoresOf,
  tokenizeUnpaired,
  type PairedExample,
  type ReadOptions,
  type ReadReport,
  type Text,
  type DroppedExample,
} from '../data/index.js';
import type { Tokenizer } from '../tokenizers/index.js';
import type { SequenceRow } from './model-pass.js';

export interface TextRow {
  prompt: Text;
  completion: Text;
  at: RecordPosition;
}

export interface EvalPair {
  chosen: number;
  rejected: number;
  at: RecordPosition;
  example: PairedExample;
  /** Rater proportion α from `preference_probability`. */
  alpha?: number;
}

export interface EvalGroup {
  rows: number[];
  scores: number[];
  at: RecordPosition;
  /** 'scores' from ranked data, 'wins' from pairwise judgements. */
  scoreKind: 'scores' | 'wins';
}

export interface EvalDataset {
  file: string;
  rows: TextRow[];
  pairs: EvalPair[];
  groups: EvalGroup[];
  read: ReadReport;
  tiesLeftOut: number;
}

export interface EvalDataOptions extends ReadOptions {
  /** Stop after this many pairs (in file order). */
  maxPairs?: number;
  /** Keep `tie: true` pairs (CHES filtering scores them; ranking metrics must not). Default false. */
  keepTiedPairs?: boolean;
}

export async function loadEvalData(file: string, opts: EvalDataOptions = {}): Promise<EvalDataset> {
  const reader = readExamples(file, opts);
  const rows: TextRow[] = [];
  const rowIndex = new Map<string, number>();
  const rowOf = (prompt: Text, completion: Text, at: RecordPosition): number => {
    const key = JSON.stringify([prompt, completion]);
    let i = rowIndex.get(key);
    if (i === undefined) {
      i = rows.length;
      rows.push({ prompt, completion, at });
      rowIndex.set(key, i);
    }
    return i;
  };
  const pairs: EvalPair[] = [];
  const groups: EvalGroup[] = [];
  let tiesLeftOut = 0;
  const max = opts.maxPairs ?? Infinity;
  const addPair = (ex: PairedExample, at: RecordPosition): void => {
    if (ex.tie && !opts.keepTiedPairs) {
      tiesLeftOut++;
      return;
    }
    const e = extractPrompt(ex);
    const prompt = e.prompt ?? '';
    const pair: EvalPair = { chosen: rowOf(prompt, e.chosen, at), rejected: rowOf(prompt, e.rejected, at), at, example: e };
    if (ex.preferenceProbability !== undefined) pair.alpha = ex.preferenceProbability;
    pairs.push(pair);
  };
  for await (const { example, at } of reader) {
    if (pairs.length >= max) break;
    if (example.kind === 'unpaired') {
      throw new DataFileError(at, 'prefkit eval needs paired or ranked examples, found an unpaired (prompt/completion/label) example', 'evaluate KTO data by pairing it first, or pass a paired file');
    }
    if (example.kind === 'paired') {
      addPair(example, at);
      continue;
    }
    const scores = scoresOf(example);
    groups.push({ rows: example.completions.map((c) => rowOf(example.prompt, c, at)), scores, at, scoreKind: 'scores' });
    for (const p of pairsOf(example, { pairing: 'best-vs-rest' })) if (pairs.length < max) addPair(p, at);
  }
  if (groups.length === 0) groups.push(...groupsFromPairs(pairs, rows));
  return { file, rows, pairs, groups, read: reader.report, tiesLeftOut };
}

/** Prompts with ≥ 3 distinct completions -> groups scored by wins − losses over their pairs. */
export function groupsFromPairs(pairs: EvalPair[], rows: TextRow[]): EvalGroup[] {
  const byPrompt = new Map<string, { score: Map<number, number>; at: RecordPosition }>();
  for (const p of pairs) {
    const key = JSON.stringify(rows[p.chosen].prompt);
    let g = byPrompt.get(key);
    if (!g) byPrompt.set(key, (g = { score: new Map(), at: p.at }));
    g.score.set(p.chosen, (g.score.get(p.chosen) ?? 0) + 1);
    g.score.set(p.rejected, (g.score.get(p.rejected) ?? 0) - 1);
  }
  const out: EvalGroup[] = [];
  for (const g of byPrompt.values()) {
    if (g.score.size < 3) continue;
    out.push({ rows: [...g.score.keys()], scores: [...g.score.values()], at: g.at, scoreKind: 'wins' });
  }
  return out;
}

export interface RowLimits {
  /** Prompt + completion tokens at most (default 1024). */
  maxLength?: number;
  /** Prompt tokens at most (default maxLength / 2). */
  maxPromptLength?: number;
}

export interface RowTokenizeReport {
  /** Rows that could not be tokenized (chat-template mismatches), with where and why. */
  dropped: DroppedExample[];
  /** Rows whose prompt lost its beginning, and rows whose completion lost its end. */
  truncatedPrompts: number;
  truncatedCompletions: number;
}

export interface TokenizedRows {
  /** undefined where the row was dropped (see report.dropped). */
  ids: (SequenceRow | undefined)[];
  report: RowTokenizeReport;
}

/**
 * Tokenizes every row with one tokenizer (the prompt rendered as for training, EOS appended), then
 * fits it into the limits the way an evaluation needs: a long prompt keeps its LAST tokens (and its
 * BOS), so every completion of one prompt sees the same truncated prompt; a completion that still
 * does not fit keeps its first tokens. Nothing is dropped for length; truncations are counted.
 */
export function tokenizeRows(rows: TextRow[], tok: Tokenizer, limits: RowLimits = {}): TokenizedRows {
  const maxLength = limits.maxLength ?? 1024;
  const maxPrompt = Math.max(1, Math.min(maxLength - 1, limits.maxPromptLength ?? Math.floor(maxLength / 2)));
  const inner = newTokenizeReport();
  const report: RowTokenizeReport = { dropped: inner.dropped, truncatedPrompts: 0, truncatedCompletions: 0 };
  const ids = rows.map((r) => {
    const t = tokenizeUnpaired({ kind: 'unpaired', prompt: r.prompt, completion: r.completion, label: true }, tok, { truncationMode: 'keep_start' }, inner, r.at);
    if (!t) return undefined;
    if (t.completionIds.length === 0) {
      report.dropped.push({ at: r.at, reason: 'the completion has no tokens (empty text and no EOS token)' });
      return undefined;
    }
    let prompt = t.promptIds;
    if (prompt.length > maxPrompt) {
      const keepBos = tok.bosId !== undefined && prompt[0] === tok.bosId ? 1 : 0;
      prompt = [...prompt.slice(0, keepBos), ...prompt.slice(prompt.length - (maxPrompt - keepBos))];
      report.truncatedPrompts++;
    }
    let completion = t.completionIds;
    if (prompt.length + completion.length > maxLength) {
      completion = completion.slice(0, maxLength - prompt.length);
      report.truncatedCompletions++;
    }
    return { prompt, completion };
  });
  return { ids, report };
}
