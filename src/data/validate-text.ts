// Checks one text field: a string (standard format) or a list of {role, content} messages
// (conversational), in the style the rest of the row uses; completions must not be empty.

import type { RecordPosition } from '../io/records/index.js';
import { describeValue } from './describe-value.js';
import type { ChatMessage, RowProblem, Style, Text } from './example-types.js';

interface Ctx {
  at: RecordPosition;
  problems: RowProblem[];
  allowEmpty: boolean;
}

export function checkText(v: unknown, field: string, style: Style | undefined, ctx: Ctx, completion: boolean): Text | undefined {
  const push = (f: string, expected: string, found: string, hint?: string) =>
    ctx.problems.push({ at: ctx.at, field: f, expected, found, hint, severity: 'error' });
  const wanted =
    style === 'conversational'
      ? 'a list of {role, content} messages (conversational, like the other fields of the row)'
      : style === 'standard'
        ? 'a string (standard format, like the other fields of the row)'
        : 'a string or a list of {role, content} messages';
  if (v === undefined || v === null) {
    push(field, wanted, describeValue(v), completion ? undefined : 'add the field, or leave it out entirely for an implicit prompt');
    return undefined;
  }
  if (typeof v === 'string') {
    if (style === 'conversational') {
      push(field, wanted, describeValue(v), 'all texts of a row use one format: all strings, or all message lists');
      return undefined;
    }
    return v;
  }
  if (!Array.isArray(v)) {
    push(field, wanted, describeValue(v));
    return undefined;
  }
  if (style === 'standard') {
    push(field, wanted, describeValue(v), 'all texts of a row use one format: all strings, or all message lists');
    return undefined;
  }
  const out: ChatMessage[] = [];
  let ok = true;
  v.forEach((m, i) => {
    const f = `${field}[${i}]`;
    if (m === null || typeof m !== 'object' || Array.isArray(m)) {
      push(f, 'a message {role, content}', describeValue(m));
      ok = false;
      return;
    }
    const msg = m as Record<string, unknown>;
    if (typeof msg.role !== 'string' || msg.role.length === 0) {
      push(`${f}.role`, 'a non-empty string such as "user" or "assistant"', describeValue(msg.role));
      ok = false;
    }
    if (typeof msg.content !== 'string') {
      const parts = Array.isArray(msg.content);
      push(`${f}.content`, 'a string', describeValue(msg.content), parts ? 'content given as a list of parts (multimodal) is not supported; join the text parts into one string' : undefined);
      ok = false;
    }
    if (ok) out.push(msg as ChatMessage);
  });
  return ok ? out : undefined;
}

/** A completion: a text that must hold something (an empty one is an error unless allowed). */
export function checkCompletion(v: unknown, field: string, style: Style | undefined, ctx: Ctx): Text | undefined {
  const t = checkText(v, field, style, ctx, true);
  if (t === undefined) return undefined;
  if (isEmptyText(t)) {
    ctx.problems.push({
      at: ctx.at,
      field,
      expected: 'a non-empty response',
      found: describeEmpty(t),
      hint: ctx.allowEmpty
        ? 'kept because empty completions are allowed (--allow-empty)'
        : 'an empty response trains the model to stop at once; fix or drop the row, or pass --allow-empty if that is intended',
      severity: ctx.allowEmpty ? 'warning' : 'error',
    });
  }
  return t;
}

export function isEmptyText(t: Text): boolean {
  if (typeof t === 'string') return t.trim().length === 0;
  return t.length === 0 || t.every((m) => m.content.trim().length === 0);
}

function describeEmpty(t: Text): string {
  if (typeof t === 'string') return describeValue(t);
  if (t.length === 0) return 'an empty list of messages';
  return `${t.length} message${t.length === 1 ? '' : 's'} with empty content`;
}

export function textsEqual(a: Text, b: Text): boolean {
  if (typeof a === 'string' || typeof b === 'string') return a === b;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!messagesEqual(a[i], b[i])) return false;
  return true;
}

export function messagesEqual(a: ChatMessage, b: ChatMessage): boolean {
  return a.role === b.role && a.content === b.content;
}
