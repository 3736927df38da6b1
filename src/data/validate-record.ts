// One record (a parsed JSON object) -> one validated example, or the list of what is wrong with
// it. Every problem names the field, what was expected and what was found. Fields that are not
// part of the schema are kept in `extra` (and written back by convert).

import type { RecordPosition } from '../io/records/index.js';
import { describeValue } from './describe-value.js';
import type { ExampleKind, PreferenceExample, RowProblem, Style, Text } from './example-types.js';
import { checkCompletion, checkText, textsEqual } from './validate-text.js';

export interface ValidateOptions {
  /** Treat an empty completion as a warning instead of an error (e.g. a deliberately silent reply). */
  allowEmptyCompletions?: boolean;
  /** The kind earlier rows of the file had; a row of another kind is an error. */
  expectKind?: ExampleKind;
  /** Where the file's kind was decided, for the message. */
  kindDecidedAt?: string;
}

export interface Validated {
  example?: PreferenceExample;
  problems: RowProblem[];
}

const KNOWN: Record<ExampleKind, string[]> = {
  paired: ['prompt', 'chosen', 'rejected', 'margin', 'preference_probability', 'tie', 'annotator_id', 'id'],
  unpaired: ['prompt', 'completion', 'label', 'annotator_id', 'id'],
  ranked: ['prompt', 'completions', 'scores', 'ranks', 'annotator_id', 'id'],
};

export function detectKind(r: Record<string, unknown>): ExampleKind | undefined {
  if ('chosen' in r || 'rejected' in r) return 'paired';
  if ('completions' in r) return 'ranked';
  if ('completion' in r || 'label' in r) return 'unpaired';
  return undefined;
}

export function validateRecord(value: unknown, at: RecordPosition, opts: ValidateOptions = {}): Validated {
  const problems: RowProblem[] = [];
  const err = (field: string, expected: string, found: string, hint?: string) =>
    problems.push({ at, field, expected, found, hint, severity: 'error' });
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) {
    err('', 'a JSON object (one record)', describeValue(value));
    return { problems };
  }
  const r = value as Record<string, unknown>;
  const kind = detectKind(r);
  if (!kind) {
    err(
      '',
      'fields chosen + rejected (paired), completion + label (unpaired) or completions + scores/ranks (ranked)',
      Object.keys(r).length ? `fields ${Object.keys(r).join(', ')}` : 'an empty object',
      'see docs/data.md for the formats; `--from` reads HH-RLHF and FineGrained QA files',
    );
    return { problems };
  }
  if (opts.expectKind && kind !== opts.expectKind) {
    err('', `a ${opts.expectKind} record like the rows before${opts.kindDecidedAt ? ` (decided at ${opts.kindDecidedAt})` : ''}`, `a ${kind} record`, 'one file holds one kind of example');
    return { problems };
  }
  const ctx: Ctx = { at, problems, allowEmpty: opts.allowEmptyCompletions ?? false };
  const common = commonFields(r, ctx);
  const extra = extraFields(r, KNOWN[kind]);
  let example: PreferenceExample | undefined;
  if (kind === 'paired') example = paired(r, ctx, common, extra);
  else if (kind === 'unpaired') example = unpaired(r, ctx, common, extra);
  else example = ranked(r, ctx, common, extra);
  return problems.some((p) => p.severity === 'error') ? { problems } : { example, problems };
}

interface Ctx {
  at: RecordPosition;
  problems: RowProblem[];
  allowEmpty: boolean;
}

function commonFields(r: Record<string, unknown>, ctx: Ctx): { id?: string; annotatorId?: string } {
  const out: { id?: string; annotatorId?: string } = {};
  for (const [key, prop] of [['id', 'id'], ['annotator_id', 'annotatorId']] as const) {
    const v = r[key];
    if (v === undefined || v === null) continue;
    if (typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v))) out[prop] = String(v);
    else ctx.problems.push({ at: ctx.at, field: key, expected: 'a string or a number', found: describeValue(v), severity: 'error' });
  }
  return out;
}

function extraFields(r: Record<string, unknown>, known: string[]): Record<string, unknown> | undefined {
  let extra: Record<string, unknown> | undefined;
  for (const k of Object.keys(r)) {
    if (known.includes(k)) continue;
    (extra ??= {})[k] = r[k];
  }
  return extra;
}

/** The style every text of the row must share: the prompt's if given, else the first completion's. */
function rowStyle(texts: unknown[]): Style | undefined {
  for (const t of texts) {
    if (typeof t === 'string') return 'standard';
    if (Array.isArray(t)) return 'conversational';
  }
  return undefined;
}

function paired(r: Record<string, unknown>, ctx: Ctx, common: object, extra?: Record<string, unknown>): PreferenceExample | undefined {
  const style = rowStyle([r.prompt, r.chosen, r.rejected]);
  const prompt = r.prompt === undefined || r.prompt === null ? undefined : checkText(r.prompt, 'prompt', style, ctx, false);
  const chosen = checkCompletion(r.chosen, 'chosen', style, ctx);
  const rejected = checkCompletion(r.rejected, 'rejected', style, ctx);
  if (chosen !== undefined && rejected !== undefined && textsEqual(chosen, rejected)) {
    ctx.problems.push({
      at: ctx.at,
      field: 'chosen',
      expected: 'a response different from rejected',
      found: 'chosen and rejected are identical',
      hint: 'a pair needs two different responses; drop this row or fix it',
      severity: 'error',
    });
  }
  const margin = optionalNumber(r, 'margin', ctx);
  const prob = optionalNumber(r, 'preference_probability', ctx, [0, 1]);
  let tie: boolean | undefined;
  if (r.tie !== undefined && r.tie !== null) {
    if (typeof r.tie === 'boolean') tie = r.tie;
    else ctx.problems.push({ at: ctx.at, field: 'tie', expected: 'true or false', found: describeValue(r.tie), severity: 'error' });
  }
  if (chosen === undefined || rejected === undefined) return undefined;
  return clean<PreferenceExample>({ kind: 'paired' as const, ...common, prompt, chosen, rejected, margin, preferenceProbability: prob, tie, extra });
}

function unpaired(r: Record<string, unknown>, ctx: Ctx, common: object, extra?: Record<string, unknown>): PreferenceExample | undefined {
  const style = rowStyle([r.prompt, r.completion]);
  const prompt = r.prompt === undefined || r.prompt === null ? undefined : checkText(r.prompt, 'prompt', style, ctx, false);
  const completion = checkCompletion(r.completion, 'completion', style, ctx);
  if (typeof r.label !== 'boolean') {
    ctx.problems.push({
      at: ctx.at,
      field: 'label',
      expected: 'true (desirable) or false (undesirable)',
      found: describeValue(r.label),
      hint: r.label === 1 || r.label === 0 ? 'write true/false, not 1/0' : undefined,
      severity: 'error',
    });
    return undefined;
  }
  if (completion === undefined) return undefined;
  return clean<PreferenceExample>({ kind: 'unpaired' as const, ...common, prompt, completion, label: r.label, extra });
}

function ranked(r: Record<string, unknown>, ctx: Ctx, common: object, extra?: Record<string, unknown>): PreferenceExample | undefined {
  const list = r.completions;
  const style = rowStyle([r.prompt, ...(Array.isArray(list) ? list : [])]);
  const prompt = checkText(r.prompt, 'prompt', style, ctx, false);
  if (!Array.isArray(list) || list.length < 2) {
    ctx.problems.push({ at: ctx.at, field: 'completions', expected: 'a list of at least 2 responses', found: describeValue(list), severity: 'error' });
    return undefined;
  }
  const completions = list.map((c, i) => checkCompletion(c, `completions[${i}]`, style, ctx));
  const hasScores = r.scores !== undefined && r.scores !== null;
  const hasRanks = r.ranks !== undefined && r.ranks !== null;
  let scores: number[] | undefined;
  let ranks: number[] | undefined;
  if (hasScores === hasRanks) {
    ctx.problems.push({
      at: ctx.at,
      field: hasScores ? 'ranks' : 'scores',
      expected: 'exactly one of scores (higher is better) or ranks (1 is best)',
      found: hasScores ? 'both scores and ranks' : 'neither',
      severity: 'error',
    });
  } else if (hasScores) scores = numberList(r.scores, 'scores', list.length, ctx, false);
  else ranks = numberList(r.ranks, 'ranks', list.length, ctx, true);
  if (completions.some((c) => c === undefined) || prompt === undefined) return undefined;
  return clean<PreferenceExample>({ kind: 'ranked' as const, ...common, prompt, completions: completions as Text[], scores, ranks, extra });
}

function optionalNumber(r: Record<string, unknown>, key: string, ctx: Ctx, range?: [number, number]): number | undefined {
  const v = r[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || (range && (v < range[0] || v > range[1]))) {
    const expected = range ? `a number from ${range[0]} to ${range[1]}` : 'a finite number';
    ctx.problems.push({ at: ctx.at, field: key, expected, found: describeValue(v), severity: 'error' });
    return undefined;
  }
  return v;
}

function numberList(v: unknown, key: string, n: number, ctx: Ctx, ranks: boolean): number[] | undefined {
  const what = ranks ? 'positive integers (1 is best)' : 'finite numbers';
  if (!Array.isArray(v) || v.length !== n) {
    ctx.problems.push({ at: ctx.at, field: key, expected: `a list of ${n} ${what}, one per completion`, found: describeValue(v), severity: 'error' });
    return undefined;
  }
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    const ok = typeof x === 'number' && Number.isFinite(x) && (!ranks || (Number.isInteger(x) && x >= 1));
    if (!ok) {
      ctx.problems.push({ at: ctx.at, field: `${key}[${i}]`, expected: ranks ? 'a positive integer' : 'a finite number', found: describeValue(x), severity: 'error' });
      return undefined;
    }
  }
  return v as number[];
}

/** Drops undefined fields so examples compare and serialise cleanly. */
function clean<T extends object>(o: T): T {
  for (const k of Object.keys(o) as (keyof T)[]) if (o[k] === undefined) delete o[k];
  return o;
}
