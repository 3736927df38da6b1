// `data inspect` and `data validate`: one pass over a file, every row checked, every problem kept.
// inspect adds what the data looks like: format, kinds and styles, optional fields present, length
// histograms (characters, or tokens when a tokenizer is given) and hints for the next step.

import type { FileKind } from '../io/records/index.js';
import type { Tokenizer } from '../tokenizers/index.js';
import type { ExampleKind, PreferenceExample, RowProblem, Text } from './example-types.js';
import { extractPrompt } from './implicit-prompt.js';
import { LengthStats, type LengthSummary } from './length-stats.js';
import { ExampleReader, type ReadOptions } from './read-examples.js';
import type { SourceName } from './sources/index.js';

export interface InspectOptions extends ReadOptions {
  /** Measure lengths in tokens of this tokenizer (chat-templated for conversational data). */
  tokenizer?: Tokenizer;
  /** Skip length statistics (validate). */
  lengths?: boolean;
}

export interface InspectReport {
  file: string;
  fileKind?: FileKind;
  source?: SourceName;
  kind?: ExampleKind;
  records: number;
  examples: number;
  badRows: number;
  errors: RowProblem[];
  warnings: RowProblem[];
  counts: Record<string, number>;
  styles: { standard: number; conversational: number };
  prompts: { explicit: number; implicit: number };
  /** How many examples carry each optional or extra field. */
  fields: Record<string, number>;
  lengthUnit: 'characters' | 'tokens';
  lengths: Record<string, LengthSummary | undefined>;
  hints: string[];
}

export async function inspectFile(file: string, opts: InspectOptions = {}): Promise<InspectReport> {
  const reader = new ExampleReader(file, { ...opts, skipBadRows: true });
  const styles = { standard: 0, conversational: 0 };
  const prompts = { explicit: 0, implicit: 0 };
  const fields: Record<string, number> = {};
  const stats: Record<string, LengthStats> = {};
  const measure = lengthOf(opts.tokenizer);
  const add = (name: string, t: Text | undefined) => {
    if (t === undefined || opts.lengths === false) return;
    (stats[name] ??= new LengthStats()).add(measure(t));
  };
  let kind: ExampleKind | undefined;
  let looksHh = 0;
  for await (const { example } of reader) {
    kind ??= example.kind;
    countFields(example, fields);
    const firstText = example.kind === 'paired' ? example.chosen : example.kind === 'unpaired' ? example.completion : example.completions[0];
    styles[Array.isArray(firstText) ? 'conversational' : 'standard']++;
    prompts[example.prompt === undefined ? 'implicit' : 'explicit']++;
    if (example.kind === 'paired') {
      const e = extractPrompt(example);
      if (typeof example.chosen === 'string' && example.prompt === undefined && example.chosen.startsWith('\n\nHuman: ')) looksHh++;
      add('prompt', e.prompt);
      add('chosen', e.chosen);
      add('rejected', e.rejected);
    } else if (example.kind === 'unpaired') {
      add('prompt', example.prompt);
      add('completion', example.completion);
    } else {
      add('prompt', example.prompt);
      for (const c of example.completions) add('completions', c);
      add('completions per prompt', String(' ').repeat(example.completions.length));
    }
  }
  const r = reader.report;
  const lengths: Record<string, LengthSummary | undefined> = {};
  for (const [k, s] of Object.entries(stats)) lengths[k] = s.summary();
  const report: InspectReport = {
    file,
    fileKind: r.fileKind,
    source: r.source,
    kind,
    records: r.records,
    examples: r.examples,
    badRows: r.badRows,
    errors: r.errors,
    warnings: r.warnings,
    counts: r.counts,
    styles,
    prompts,
    fields,
    lengthUnit: opts.tokenizer ? 'tokens' : 'characters',
    lengths,
    hints: [],
  };
  report.hints = hintsFor(report, looksHh);
  return report;
}

/** Every row checked; no length statistics. */
export function validateFile(file: string, opts: ReadOptions = {}): Promise<InspectReport> {
  return inspectFile(file, { ...opts, lengths: false });
}

function lengthOf(tok?: Tokenizer): (t: Text) => number {
  if (!tok) return (t) => (typeof t === 'string' ? t.length : t.reduce((n, m) => n + m.content.length, 0));
  return (t) => {
    if (typeof t === 'string') return tok.encode(t).length;
    if (tok.applyChatTemplate) return tok.encode(tok.applyChatTemplate(t)).length;
    return t.reduce((n, m) => n + tok.encode(m.content).length, 0);
  };
}

function countFields(ex: PreferenceExample, fields: Record<string, number>): void {
  const bump = (k: string) => (fields[k] = (fields[k] ?? 0) + 1);
  if (ex.id !== undefined) bump('id');
  if (ex.annotatorId !== undefined) bump('annotator_id');
  if (ex.kind === 'paired') {
    if (ex.margin !== undefined) bump('margin');
    if (ex.preferenceProbability !== undefined) bump('preference_probability');
    if (ex.tie) bump('tie (true)');
  }
  if (ex.kind === 'ranked') bump(ex.scores ? 'scores' : 'ranks');
  if (ex.extra) for (const k of Object.keys(ex.extra)) bump(`${k} (extra)`);
}

function hintsFor(r: InspectReport, looksHh: number): string[] {
  const hints: string[] = [];
  if (r.source === 'hh-rlhf' || looksHh > 0) {
    hints.push('HH-RLHF dialogues: `prefkit data convert IN OUT.jsonl` writes explicit-prompt conversational pairs (add --allow-empty to keep its few empty replies)');
  }
  if (r.source === 'finegrained-qa') hints.push('FineGrained QA: `prefkit data convert IN OUT.jsonl` writes one pair per strict pairwise judgement');
  if (r.kind === 'ranked') hints.push('ranked data: `prefkit data convert IN OUT.jsonl --to pairs --pairing best-vs-rest|all-pairs|curry` builds pairs');
  if (r.prompts.implicit > 0 && r.source === 'trl') hints.push('implicit prompts: `prefkit data convert IN OUT.jsonl --to explicit` extracts them (longest common prefix)');
  if (r.badRows > 0) hints.push('bad rows: fix them, or pass --skip-bad-rows to convert the good rows (every skipped row is listed)');
  return hints;
}
