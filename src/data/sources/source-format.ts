// A source format turns one record of some dataset's own layout into prefkit examples. 'trl' is
// the native one (TRL's formats); the others adapt well-known datasets as they are published.

import type { RecordPosition } from '../../io/records/index.js';
import type { PreferenceExample, RowProblem } from '../example-types.js';

export interface SourceOptions {
  allowEmptyCompletions?: boolean;
  /** FineGrained QA: keep the pairs the annotators marked as equal, with tie: true. */
  keepTies?: boolean;
  /** FineGrained QA: 'question' alone, or 'question+passages' (the policy input of the paper). */
  promptStyle?: 'question' | 'question+passages';
}

export interface SourceResult {
  /** Zero or more examples: one record may hold several pairs. */
  examples: PreferenceExample[];
  /** Errors reject the whole record; warnings keep it. */
  problems: RowProblem[];
  /** Things counted but not errors, e.g. { ties: 1 } pairs left out by design. */
  counts?: Record<string, number>;
}

export interface SourceFormat {
  name: string;
  summary: string;
  detect(record: Record<string, unknown>): boolean;
  /** `state` lets a source keep what it learnt from earlier rows (e.g. the file's kind). */
  convert(value: unknown, at: RecordPosition, opts: SourceOptions, state: SourceState): SourceResult;
}

export interface SourceState {
  kind?: PreferenceExample['kind'];
  kindDecidedAt?: string;
}
