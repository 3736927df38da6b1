// Shared types of the dataset readers: where a record came from, what a reader yields, and the
// one error a reader throws when the file as a whole cannot be read on.

/** Where a record sits in its file: `line` (1-based) for text formats, `row` (0-based) for Parquet. */
export interface RecordPosition {
  file: string;
  line?: number;
  row?: number;
}

/** A record a reader could not turn into a JSON value (bad JSON, bad UTF-8). The reader goes on. */
export interface RecordProblem {
  /** What the reader expected there, e.g. 'one JSON value per line'. */
  expected: string;
  /** What it found, e.g. 'Unexpected end of JSON input at column 41: {"prompt": "a", "cho'. */
  found: string;
  hint?: string;
}

export type RecordItem =
  | { ok: true; at: RecordPosition; value: unknown }
  | { ok: false; at: RecordPosition; problem: RecordProblem };

export type FileFormat = 'jsonl' | 'json' | 'parquet';

/** `file:line`, or `file row N` for Parquet (rows counted from 0, as the file stores them). */
export function formatPosition(at: RecordPosition): string {
  if (at.line !== undefined) return `${at.file}:${at.line}`;
  if (at.row !== undefined) return `${at.file} row ${at.row}`;
  return at.file;
}

/**
 * The file cannot be read past some point: missing, cut short, not gzip/JSON/Parquet at all.
 * Rows already yielded stay valid; nothing after `at` was read.
 */
export class DataFileError extends Error {
  constructor(
    readonly at: RecordPosition,
    readonly what: string,
    readonly hint?: string,
  ) {
    super(`${formatPosition(at)}: ${what}${hint ? ` (hint: ${hint})` : ''}`);
    this.name = 'DataFileError';
  }
}
