// The preference example shapes the methods need, as validated in memory. On disk the field
// names are TRL's (snake_case); see docs/data.md for the file forms.
//
//   paired    prompt?, chosen, rejected           (DPO family, reward models)
//   unpaired  prompt?, completion, label          (KTO)
//   ranked    prompt, completions, scores | ranks (UltraFeedback-style; pairs are built from it)
//
// A text is either a string ("standard" format) or a list of chat messages ("conversational").
// A paired or unpaired example without `prompt` has an implicit prompt: it is inside chosen and
// rejected (their longest common prefix; see implicit-prompt.ts).

import type { ChatMessage } from '../tokenizers/index.js';
import type { RecordPosition } from '../io/records/index.js';

export type { ChatMessage };
export type Text = string | ChatMessage[];
export type Style = 'standard' | 'conversational';
export type ExampleKind = 'paired' | 'unpaired' | 'ranked';

interface Common {
  /** Optional example id (`id` on disk). */
  id?: string;
  /** Who labelled it (`annotator_id` on disk). */
  annotatorId?: string;
  /** Other fields of the record, kept as they were and written back on convert. */
  extra?: Record<string, unknown>;
}

export interface PairedExample extends Common {
  kind: 'paired';
  prompt?: Text;
  chosen: Text;
  rejected: Text;
  /** How much better chosen is than rejected (`margin`), e.g. a score gap, for margin losses. */
  margin?: number;
  /** Probability that chosen is preferred, in [0, 1] (`preference_probability`): soft labels, cDPO-style losses. */
  preferenceProbability?: number;
  /** The annotator saw no preference (`tie`); chosen/rejected order is then arbitrary. */
  tie?: boolean;
}

export interface UnpairedExample extends Common {
  kind: 'unpaired';
  prompt?: Text;
  completion: Text;
  /** true: desirable, false: undesirable. */
  label: boolean;
}

export interface RankedExample extends Common {
  kind: 'ranked';
  prompt: Text;
  completions: Text[];
  /** One score per completion, higher is better. */
  scores?: number[];
  /** One rank per completion, 1 is best; equal ranks are ties. */
  ranks?: number[];
}

export type PreferenceExample = PairedExample | UnpairedExample | RankedExample;

/** An example with where it came from in its file. */
export interface LocatedExample<E extends PreferenceExample = PreferenceExample> {
  example: E;
  at: RecordPosition;
}

/** One thing wrong with one record: the field, what was expected, what was found, and a hint. */
export interface RowProblem {
  at: RecordPosition;
  /** Dotted path of the field, e.g. `chosen[1].content`; empty for the record as a whole. */
  field: string;
  expected: string;
  found: string;
  hint?: string;
  /** Warnings keep the row; errors reject it. */
  severity: 'error' | 'warning';
}

export function isConversational(t: Text): t is ChatMessage[] {
  return Array.isArray(t);
}

export function styleOf(t: Text): Style {
  return Array.isArray(t) ? 'conversational' : 'standard';
}
