// The registry of source formats. `auto` picks one from the first readable record.

import { validateRecord } from '../validate-record.js';
import { formatPosition } from '../../io/records/index.js';
import { fineGrainedQaSource } from './finegrained-qa.js';
import { hhRlhfSource } from './hh-rlhf.js';
import type { SourceFormat } from './source-format.js';

export const trlSource: SourceFormat = {
  name: 'trl',
  summary: "TRL's formats: paired (prompt/chosen/rejected), unpaired (prompt/completion/label), ranked (prompt/completions/scores|ranks)",
  detect: () => true,
  convert(value, at, opts, state) {
    const v = validateRecord(value, at, {
      allowEmptyCompletions: opts.allowEmptyCompletions,
      expectKind: state.kind,
      kindDecidedAt: state.kindDecidedAt,
    });
    if (v.example && !state.kind) {
      state.kind = v.example.kind;
      state.kindDecidedAt = formatPosition(at);
    }
    return { examples: v.example ? [v.example] : [], problems: v.problems };
  },
};

export const SOURCES = {
  trl: trlSource,
  'hh-rlhf': hhRlhfSource,
  'finegrained-qa': fineGrainedQaSource,
} satisfies Record<string, SourceFormat>;

export type SourceName = keyof typeof SOURCES;

export function isSourceName(s: string): s is SourceName {
  return Object.prototype.hasOwnProperty.call(SOURCES, s);
}

/** The most specific source whose detector accepts the record; 'trl' otherwise. */
export function detectSource(record: unknown): SourceName {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return 'trl';
  const r = record as Record<string, unknown>;
  if (fineGrainedQaSource.detect(r)) return 'finegrained-qa';
  if (hhRlhfSource.detect(r)) return 'hh-rlhf';
  return 'trl';
}

export type { SourceFormat, SourceOptions, SourceResult, SourceState } from './source-format.js';
export { fineGrainedPrompt } from './finegrained-qa.js';
export { parseHhDialogue, renderHhDialogue } from './hh-rlhf.js';
