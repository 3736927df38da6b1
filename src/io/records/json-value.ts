// Parses one JSON value from text and, when that fails, describes the failure the way our error
// messages want it: the column, and a short excerpt of the text around it.

import type { RecordProblem } from './record-types.js';

export type ParseResult = { ok: true; value: unknown } | { ok: false; problem: RecordProblem };

const EXCERPT = 60;

export function parseJsonValue(text: string, expected: string): ParseResult {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, problem: describeJsonError(text, (err as Error).message, expected) };
  }
}

export function describeJsonError(text: string, message: string, expected: string): RecordProblem {
  const pos = /position (\d+)/.exec(message);
  const reason = message.split(/, "| in JSON at position/)[0].trim();
  const at = pos ? Math.min(Number(pos[1]), text.length) : undefined;
  const centre = at ?? 0;
  const start = Math.max(0, centre - EXCERPT / 2);
  const end = Math.min(text.length, start + EXCERPT);
  const excerpt = (start > 0 ? '…' : '') + printable(text.slice(start, end)) + (end < text.length ? '…' : '');
  const truncated = /end of JSON input|Unterminated string/i.test(message);
  return {
    expected,
    found: `invalid JSON (${reason})${at !== undefined ? ` at column ${at + 1}` : ''}: ${excerpt}`,
    hint: truncated
      ? 'the value ends early; the line looks cut short'
      : 'fix the JSON syntax on this line (a JSON validator shows the exact spot)',
  };
}

/** Control characters escaped, everything else as it is. */
function printable(s: string): string {
  return s.replace(/[\u0000-\u001f]/g, (c) => (c === '\n' ? '\\n' : c === '\t' ? '\\t' : c === '\r' ? '\\r' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
}
