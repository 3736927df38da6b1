// Implicit prompt -> explicit prompt. A paired example without `prompt` carries the prompt inside
// both chosen and rejected; it is their longest common prefix:
//   conversational: the longest run of identical leading messages (role and content);
//   standard (strings): the longest common character prefix, moved back to the start of the word
//     it ends in, and before the space that precedes that word (TRL's convention: the completion
//     starts with the space, " I think", which is how byte-level BPE tokenizers split it).
// In both cases prompt + chosen and prompt + rejected are exactly the original texts.

import type { RecordPosition } from '../io/records/index.js';
import type { ChatMessage, PairedExample, RowProblem, Text } from './example-types.js';
import { isEmptyText, messagesEqual } from './validate-text.js';

export interface PromptSplit {
  prompt: Text;
  chosen: Text;
  rejected: Text;
}

/** Splits an implicit-prompt pair; returns the example unchanged when it already has a prompt. */
export function extractPrompt(ex: PairedExample): PairedExample {
  if (ex.prompt !== undefined) return ex;
  const split = splitCommonPrefix(ex.chosen, ex.rejected);
  return { ...ex, prompt: split.prompt, chosen: split.chosen, rejected: split.rejected };
}

/**
 * extractPrompt, and a problem for each side left empty by the split (one response is a prefix
 * of the other, so nothing of it remains once the shared prompt is taken out).
 */
export function extractPromptChecked(
  ex: PairedExample,
  at: RecordPosition,
  allowEmpty = false,
): { example: PairedExample; problems: RowProblem[] } {
  if (ex.prompt !== undefined) return { example: ex, problems: [] };
  const out = extractPrompt(ex);
  const problems: RowProblem[] = [];
  for (const side of ['chosen', 'rejected'] as const) {
    const rest = out[side];
    if (!isEmptyText(rest)) continue;
    const other = side === 'chosen' ? 'rejected' : 'chosen';
    const nothingLeft = rest.length === 0;
    problems.push({
      at,
      field: side,
      expected: nothingLeft
        ? `a response that is not a prefix of ${other} (so something remains after the shared prompt)`
        : 'a non-empty response after the shared prompt',
      found: nothingLeft
        ? `${side} is empty once the common prefix (the implicit prompt) is taken out`
        : describeRest(rest),
      hint: nothingLeft
        ? 'give the prompt explicitly in a "prompt" field'
        : allowEmpty
          ? 'kept because empty completions are allowed (--allow-empty)'
          : 'an empty response trains the model to stop at once; pass --allow-empty if that is intended, or --skip-bad-rows to drop the row',
      severity: allowEmpty && !nothingLeft ? 'warning' : 'error',
    });
  }
  return { example: out, problems };
}

function describeRest(t: Text): string {
  if (typeof t === 'string') return `only whitespace (${JSON.stringify(t)})`;
  const roles = [...new Set(t.map((m) => m.role))].join('/');
  return t.length === 1 ? `one ${roles} message with empty content` : `${t.length} ${roles} messages, all with empty content`;
}

export function splitCommonPrefix(chosen: Text, rejected: Text): PromptSplit {
  if (Array.isArray(chosen) && Array.isArray(rejected)) {
    const n = commonMessages(chosen, rejected);
    return { prompt: chosen.slice(0, n), chosen: chosen.slice(n), rejected: rejected.slice(n) };
  }
  if (typeof chosen === 'string' && typeof rejected === 'string') {
    const n = stringSplitPoint(chosen, rejected);
    return { prompt: chosen.slice(0, n), chosen: chosen.slice(n), rejected: rejected.slice(n) };
  }
  throw new TypeError('splitCommonPrefix: chosen and rejected must both be strings or both message lists');
}

function commonMessages(a: ChatMessage[], b: ChatMessage[]): number {
  let n = 0;
  while (n < a.length && n < b.length && messagesEqual(a[n], b[n])) n++;
  return n;
}

function stringSplitPoint(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let n = 0;
  while (n < max && a.charCodeAt(n) === b.charCodeAt(n)) n++;
  if (n === a.length || n === b.length) return n;
  // Back to the start of the word the split falls in, then before its leading space.
  while (n > 0 && !isSpace(a.charCodeAt(n - 1))) n--;
  if (n > 0 && a.charCodeAt(n - 1) === 0x20) n--;
  return n === 0 ? 0 : n;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}
