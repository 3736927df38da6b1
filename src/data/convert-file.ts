// `data convert IN OUT`: read any supported source, reshape, write JSONL / JSON (gzip by name).
//   --to explicit   paired: implicit prompt -> explicit (HH-RLHF dialogues: by turns)
//   --to pairs      ranked: build pairs (best-vs-rest, all-pairs, curry); paired: as explicit
//   --to unpaired   paired -> two KTO rows per pair (chosen: label true, rejected: false); ties left out
//   --to same       rewrite as read (e.g. Parquet or JSON array -> JSONL), fields normalised
//   auto (default)  paired -> explicit, ranked -> pairs, unpaired -> same
// Streams, except --pairing curry, which orders all pairs across the dataset before writing.
// Output is written to OUT.partial and renamed at the end; a failed run leaves no OUT.

import { createRecordWriter, DataFileError, type RecordPosition } from '../io/records/index.js';
import { exampleToRecord } from './example-to-record.js';
import type { PairedExample, PreferenceExample, RowProblem } from './example-types.js';
import { extractPromptChecked } from './implicit-prompt.js';
import {
  newPairingStats,
  orderCurriculum,
  pairsOf,
  type CurriculumOrder,
  type CurriculumPair,
  type Pairing,
  type PairingStats,
} from './pair-construction.js';
import { DataValidationError, ExampleReader, type ReadOptions, type ReadReport } from './read-examples.js';

export const CONVERT_TARGETS = ['auto', 'explicit', 'pairs', 'unpaired', 'same'] as const;
export type ConvertTarget = (typeof CONVERT_TARGETS)[number];

export interface ConvertOptions extends ReadOptions {
  to?: ConvertTarget;
  pairing?: Pairing;
  curriculum?: CurriculumOrder;
  /** all-pairs: emit tied pairs with tie: true. */
  includeTies?: boolean;
}

export interface ConvertReport {
  input: ReadReport;
  output: string;
  written: number;
  target: Exclude<ConvertTarget, 'auto'>;
  pairing?: PairingStats;
  /** Pairs with tie: true not written as unpaired rows. */
  tiesLeftOut: number;
}

export async function convertFile(input: string, output: string, opts: ConvertOptions = {}): Promise<ConvertReport> {
  const reader = new ExampleReader(input, opts);
  const writer = createRecordWriter(output);
  const report: ConvertReport = { input: reader.report, output, written: 0, target: 'same', tiesLeftOut: 0 };
  const pairing = opts.pairing ?? 'best-vs-rest';
  const stats = newPairingStats();
  const held: CurriculumPair[] = [];
  let target: ConvertReport['target'] | undefined;
  try {
    for await (const { example, at } of reader) {
      target ??= resolveTarget(opts.to ?? 'auto', example, at);
      report.target = target;
      const out = reshape(example, at, target, opts, report, stats);
      if (target === 'pairs' && pairing === 'curry' && example.kind === 'ranked') {
        held.push(...(out as CurriculumPair[]));
        continue;
      }
      for (const ex of out) await writer.write(exampleToRecord(ex));
    }
    for (const ex of orderCurriculum(held, opts.curriculum)) await writer.write(exampleToRecord(ex));
    report.written = writer.count;
    await writer.close();
  } catch (err) {
    await writer.abort();
    throw err;
  }
  if (target === 'pairs' && stats.prompts > 0) report.pairing = stats;
  return report;
}

function resolveTarget(to: ConvertTarget, ex: PreferenceExample, at: RecordPosition): ConvertReport['target'] {
  if (to === 'auto') return ex.kind === 'paired' ? 'explicit' : ex.kind === 'ranked' ? 'pairs' : 'same';
  const ok: Record<Exclude<ConvertTarget, 'auto'>, PreferenceExample['kind'][]> = {
    explicit: ['paired', 'unpaired', 'ranked'],
    pairs: ['paired', 'ranked'],
    unpaired: ['paired', 'unpaired'],
    same: ['paired', 'unpaired', 'ranked'],
  };
  if (!ok[to].includes(ex.kind)) {
    const possible = (Object.keys(ok) as (keyof typeof ok)[]).filter((t) => ok[t].includes(ex.kind));
    throw new DataFileError(at, `--to ${to} cannot be made from ${ex.kind} examples`, `for ${ex.kind} data use --to ${possible.join(', ')}`);
  }
  return to;
}

function reshape(
  ex: PreferenceExample,
  at: RecordPosition,
  target: ConvertReport['target'],
  opts: ConvertOptions,
  report: ConvertReport,
  stats: PairingStats,
): PreferenceExample[] {
  if (target === 'same') return [ex];
  if (ex.kind === 'ranked') {
    return target === 'pairs' ? pairsOf(ex, { pairing: opts.pairing, includeTies: opts.includeTies }, stats) : [ex];
  }
  if (ex.kind === 'unpaired') return [ex];
  const explicit = explicitOrReject(ex, at, opts, report.input);
  if (!explicit) return [];
  if (target !== 'unpaired') return [explicit];
  if (explicit.tie) {
    report.tiesLeftOut++;
    return [];
  }
  const base = { prompt: explicit.prompt, ...(explicit.annotatorId ? { annotatorId: explicit.annotatorId } : {}) };
  return [
    { kind: 'unpaired', ...base, completion: explicit.chosen, label: true, ...(explicit.id ? { id: `${explicit.id}:chosen` } : {}) },
    { kind: 'unpaired', ...base, completion: explicit.rejected, label: false, ...(explicit.id ? { id: `${explicit.id}:rejected` } : {}) },
  ];
}

/** Explicit prompt, or the row is bad (listed in the report; stops the run unless skipping). */
function explicitOrReject(ex: PairedExample, at: RecordPosition, opts: ConvertOptions, read: ReadReport): PairedExample | undefined {
  const { example, problems } = extractPromptChecked(ex, at, opts.allowEmptyCompletions);
  const errors = problems.filter((p: RowProblem) => p.severity === 'error');
  read.warnings.push(...problems.filter((p) => p.severity === 'warning'));
  if (!errors.length) return example;
  read.badRows++;
  read.examples--;
  read.errors.push(...errors);
  if (!opts.skipBadRows) throw new DataValidationError(errors);
  return undefined;
}
