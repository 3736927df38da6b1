// Streams validated examples from a dataset file. Bad rows either stop the read with a
// DataValidationError naming file:line, the field, expected and found (the default), or — with
// skipBadRows — are counted and every one of them listed in the report, while all good rows are
// kept. Nothing is dropped silently: the report accounts for every record read.

import {
  DataFileError,
  detectFileKind,
  formatPosition,
  readRecords,
  type FileKind,
} from '../io/records/index.js';
import type { LocatedExample, PreferenceExample, RowProblem } from './example-types.js';
import { detectSource, isSourceName, SOURCES, type SourceName, type SourceOptions, type SourceState } from './sources/index.js';

export interface ReadOptions extends SourceOptions {
  /** 'auto' (default) detects HH-RLHF and FineGrained QA files; otherwise TRL's formats. */
  source?: SourceName | 'auto';
  /** Count, list and skip bad rows instead of stopping at the first. */
  skipBadRows?: boolean;
}

export interface ReadReport {
  file: string;
  fileKind?: FileKind;
  source?: SourceName;
  /** Records read from the file (good and bad). */
  records: number;
  /** Examples produced (a record may give several, e.g. FineGrained QA). */
  examples: number;
  /** Rows rejected (each listed in `errors`, possibly with several problems). */
  badRows: number;
  errors: RowProblem[];
  warnings: RowProblem[];
  /** Things counted by the source, e.g. ties left out. */
  counts: Record<string, number>;
}

/** Thrown at the first bad row when skipBadRows is off. */
export class DataValidationError extends Error {
  constructor(readonly problems: RowProblem[]) {
    super(problems.filter((p) => p.severity === 'error').map(formatProblem).join('\n'));
    this.name = 'DataValidationError';
  }
}

export function formatProblem(p: RowProblem): string {
  const field = p.field ? `field "${p.field}": ` : '';
  return `${formatPosition(p.at)}: ${field}expected ${p.expected}, found ${p.found}${p.hint ? ` (hint: ${p.hint})` : ''}`;
}

export function emptyReport(file: string): ReadReport {
  return { file, records: 0, examples: 0, badRows: 0, errors: [], warnings: [], counts: {} };
}

/**
 * Async iterable of examples; `report` is filled as it is consumed and complete when the loop
 * ends. A file-level failure (missing, cut-short gzip) throws DataFileError.
 */
export class ExampleReader implements AsyncIterable<LocatedExample> {
  readonly report: ReadReport;

  constructor(
    readonly file: string,
    readonly opts: ReadOptions = {},
  ) {
    this.report = emptyReport(file);
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<LocatedExample> {
    const report = this.report;
    const opts = this.opts;
    const requested = opts.source ?? 'auto';
    if (requested !== 'auto' && !isSourceName(requested)) {
      throw new DataFileError({ file: this.file }, `unknown source format '${String(requested)}'`, `expected one of auto, ${Object.keys(SOURCES).join(', ')}`);
    }
    report.fileKind = await detectFileKind(this.file);
    const state: SourceState = {};
    for await (const item of readRecords(this.file, report.fileKind)) {
      report.records++;
      if (!item.ok) {
        this.reject([{ at: item.at, field: '', expected: item.problem.expected, found: item.problem.found, hint: item.problem.hint, severity: 'error' }]);
        continue;
      }
      if (!report.source) report.source = requested === 'auto' ? detectSource(item.value) : requested;
      const result = SOURCES[report.source].convert(item.value, item.at, opts, state);
      for (const [k, n] of Object.entries(result.counts ?? {})) report.counts[k] = (report.counts[k] ?? 0) + n;
      const errors = result.problems.filter((p) => p.severity === 'error');
      for (const w of result.problems) if (w.severity === 'warning') report.warnings.push(w);
      if (errors.length) {
        this.reject(errors);
        continue;
      }
      for (const example of result.examples) {
        report.examples++;
        yield { example, at: item.at };
      }
    }
  }

  private reject(problems: RowProblem[]): void {
    this.report.badRows++;
    this.report.errors.push(...problems);
    if (!this.opts.skipBadRows) throw new DataValidationError(problems);
  }
}

export function readExamples(file: string, opts: ReadOptions = {}): ExampleReader {
  return new ExampleReader(file, opts);
}

/** Reads a whole file into memory (for small data and tests). */
export async function loadExamples(
  file: string,
  opts: ReadOptions = {},
): Promise<{ examples: LocatedExample[]; report: ReadReport }> {
  const reader = new ExampleReader(file, opts);
  const examples: LocatedExample[] = [];
  for await (const e of reader) examples.push(e);
  return { examples, report: reader.report };
}

/** Narrows examples to one kind, or throws naming the file and the kind found. */
export function expectKind<K extends PreferenceExample['kind']>(
  items: LocatedExample[],
  kind: K,
): LocatedExample<Extract<PreferenceExample, { kind: K }>>[] {
  for (const it of items) {
    if (it.example.kind !== kind) {
      throw new DataFileError(it.at, `expected ${kind} examples, found a ${it.example.kind} example`, kind === 'paired' ? 'build pairs from ranked data with `prefkit data convert --to pairs`' : undefined);
    }
  }
  return items as LocatedExample<Extract<PreferenceExample, { kind: K }>>[];
}
