// FineGrainedRLHF QA feedback (github.com/allenai/FineGrainedRLHF, tasks/qa_feedback/data):
// each record has a question, its grounding passages, four sampled answers "prediction 1".."4"
// and `preference`: 6 pairwise human judgements in the order 1v2, 1v3, 1v4, 2v3, 2v4, 3v4, where
// 1 = the first is preferred, 2 = the second, 0 = no preference (data README).
// Each strict judgement becomes one pair; a 0 is a tie, left out (and counted) unless keepTies,
// which emits it with tie: true. The prompt is, by default, the input the paper's QA policy saw:
//   "question: Q context: wikipage: T1 text: S1 S2 ... | wikipage: T2 text: ..."
// (passage = [title, sentence, sentence, ...]; sentences joined with one space). This equals the
// `text` field of the repository's dev.json for 445 of the 500 dev questions; the others differ only
// in whitespace where dev.json joined sentences differently. promptStyle 'question' uses Q alone.

import type { RecordPosition } from '../../io/records/index.js';
import { describeValue } from '../describe-value.js';
import type { PairedExample, RowProblem } from '../example-types.js';
import { isEmptyText } from '../validate-text.js';
import type { SourceFormat, SourceOptions, SourceResult } from './source-format.js';

const ORDER: [number, number][] = [
  [1, 2],
  [1, 3],
  [1, 4],
  [2, 3],
  [2, 4],
  [3, 4],
];

export function looksLikeFineGrainedQa(r: Record<string, unknown>): boolean {
  return 'question' in r && 'prediction 1' in r && 'preference' in r;
}

export function fineGrainedPrompt(question: string, passages: string[][]): string {
  const ctx = passages.map((p) => `wikipage: ${p[0]} text: ${p.slice(1).join(' ')}`).join(' | ');
  return `question: ${question} context: ${ctx}`;
}

function convert(value: unknown, at: RecordPosition, opts: SourceOptions): SourceResult {
  const problems: RowProblem[] = [];
  const err = (field: string, expected: string, found: string, hint?: string) =>
    problems.push({ at, field, expected, found, hint, severity: 'error' });
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    err('', 'a FineGrained QA record (question, passages, prediction 1..4, preference)', describeValue(value));
    return { examples: [], problems };
  }
  const r = value as Record<string, unknown>;
  if (typeof r.question !== 'string' || r.question.trim() === '') err('question', 'a non-empty string', describeValue(r.question));
  const style = opts.promptStyle ?? 'question+passages';
  const passages = r.passages;
  const passagesOk =
    Array.isArray(passages) && passages.every((p) => Array.isArray(p) && p.length >= 1 && p.every((s) => typeof s === 'string'));
  if (style === 'question+passages' && !passagesOk) {
    err('passages', 'a list of passages, each [title, sentence, ...] of strings', describeValue(passages), 'use --prompt question to ignore passages');
  }
  const answers: string[] = [];
  for (let i = 1; i <= 4; i++) {
    const a = r[`prediction ${i}`];
    if (typeof a !== 'string') err(`prediction ${i}`, 'a string (a model answer)', describeValue(a));
    else answers.push(a);
  }
  const pref = r.preference;
  if (!Array.isArray(pref) || pref.length !== 6) {
    err('preference', 'a list of 6 judgements (1v2, 1v3, 1v4, 2v3, 2v4, 3v4), each 0, 1 or 2', describeValue(pref));
  } else {
    pref.forEach((p, k) => {
      if (p !== 0 && p !== 1 && p !== 2) err(`preference[${k}]`, '0 (no preference), 1 (first preferred) or 2 (second preferred)', describeValue(p));
    });
  }
  if (problems.length) return { examples: [], problems };

  const prompt = style === 'question' ? (r.question as string) : fineGrainedPrompt(r.question as string, passages as string[][]);
  const examples: PairedExample[] = [];
  let ties = 0;
  let identical = 0;
  (pref as number[]).forEach((p, k) => {
    const [i, j] = ORDER[k];
    const a = answers[i - 1];
    const b = answers[j - 1];
    const id = `${at.line ?? at.row}:${i}v${j}`;
    if (a === b) {
      identical++;
      return;
    }
    for (const [n, t] of [[i, a], [j, b]] as const) {
      if (isEmptyText(t)) {
        problems.push({
          at,
          field: `prediction ${n}`,
          expected: 'a non-empty answer',
          found: describeValue(t),
          severity: opts.allowEmptyCompletions ? 'warning' : 'error',
        });
      }
    }
    if (p === 0) {
      ties++;
      if (opts.keepTies) examples.push({ kind: 'paired', id, prompt, chosen: a, rejected: b, tie: true });
      return;
    }
    const [chosen, rejected] = p === 1 ? [a, b] : [b, a];
    examples.push({ kind: 'paired', id, prompt, chosen, rejected });
  });
  if (problems.some((x) => x.severity === 'error')) return { examples: [], problems };
  const counts: Record<string, number> = {};
  if (ties) counts[opts.keepTies ? 'ties kept (tie: true)' : 'ties left out (preference 0; --keep-ties keeps them)'] = ties;
  if (identical) counts['identical answer pairs left out'] = identical;
  return { examples, problems, counts };
}

export const fineGrainedQaSource: SourceFormat = {
  name: 'finegrained-qa',
  summary: 'FineGrainedRLHF QA feedback (4 answers + 6 pairwise judgements) -> one pair per strict judgement',
  detect: looksLikeFineGrainedQa,
  convert,
};
