// Anthropic HH-RLHF (github.com/anthropics/hh-rlhf): each line holds two whole dialogues,
//   {"chosen": "\n\nHuman: ...\n\nAssistant: ...", "rejected": "\n\nHuman: ...\n\nAssistant: ..."}
// that share every turn but the last assistant reply(ies). We split each dialogue into turns at
// "\n\nHuman: " (role user) and "\n\nAssistant: " (role assistant), keeping every character of each
// turn's content (no trimming), and take the shared leading turns as the prompt. Rendering the
// turns back with the same markers must give the original text exactly; a row where it does not
// (markers without the space, text before the first marker) is reported, never altered.

import type { RecordPosition } from '../../io/records/index.js';
import { describeValue, quote } from '../describe-value.js';
import type { ChatMessage, PairedExample, RowProblem } from '../example-types.js';
import { extractPromptChecked } from '../implicit-prompt.js';
import type { SourceFormat, SourceOptions, SourceResult } from './source-format.js';

const MARKER = /\n\nHuman: |\n\nAssistant: /g;
const ROLE_TEXT: Record<string, string> = { user: 'Human', assistant: 'Assistant' };

/** "\n\nHuman: a\n\nAssistant: b" -> [{user, a}, {assistant, b}], or null if not lossless. */
export function parseHhDialogue(text: string): ChatMessage[] | null {
  const messages: ChatMessage[] = [];
  let last = -1;
  let role = '';
  let m: RegExpExecArray | null;
  MARKER.lastIndex = 0;
  while ((m = MARKER.exec(text)) !== null) {
    if (last < 0 && m.index !== 0) return null;
    if (last >= 0) messages.push({ role, content: text.slice(last, m.index) });
    role = m[0].includes('Human') ? 'user' : 'assistant';
    last = m.index + m[0].length;
  }
  if (last < 0) return null;
  messages.push({ role, content: text.slice(last) });
  return renderHhDialogue(messages) === text ? messages : null;
}

export function renderHhDialogue(messages: ChatMessage[]): string {
  let s = '';
  for (const m of messages) s += `\n\n${ROLE_TEXT[m.role] ?? m.role}: ${m.content}`;
  return s;
}

export function looksLikeHhRlhf(r: Record<string, unknown>): boolean {
  return (
    r.prompt === undefined &&
    typeof r.chosen === 'string' &&
    typeof r.rejected === 'string' &&
    r.chosen.startsWith('\n\nHuman: ') &&
    r.rejected.startsWith('\n\nHuman: ')
  );
}

function convert(value: unknown, at: RecordPosition, opts: SourceOptions): SourceResult {
  const problems: RowProblem[] = [];
  const err = (field: string, expected: string, found: string, hint?: string) =>
    problems.push({ at, field, expected, found, hint, severity: 'error' });
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    err('', 'a JSON object with chosen and rejected dialogues', describeValue(value));
    return { examples: [], problems };
  }
  const r = value as Record<string, unknown>;
  const turns: Record<string, ChatMessage[]> = {};
  for (const side of ['chosen', 'rejected'] as const) {
    const v = r[side];
    if (typeof v !== 'string') {
      err(side, 'a dialogue string "\\n\\nHuman: ...\\n\\nAssistant: ..."', describeValue(v));
      continue;
    }
    const parsed = parseHhDialogue(v);
    if (!parsed) {
      err(
        side,
        'turns that each start with "\\n\\nHuman: " or "\\n\\nAssistant: " from the first character on',
        `text that does not split into such turns losslessly (starts ${quote(v)})`,
        'this row is not in HH-RLHF dialogue form; read the file with --from trl',
      );
      continue;
    }
    turns[side] = parsed;
  }
  if (!turns.chosen || !turns.rejected) return { examples: [], problems };
  if (renderHhDialogue(turns.chosen) === renderHhDialogue(turns.rejected)) {
    err('chosen', 'a dialogue different from rejected', 'chosen and rejected are identical', 'drop this row');
    return { examples: [], problems };
  }
  const extra: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(r)) if (k !== 'chosen' && k !== 'rejected') extra[k] = v;
  const implicit: PairedExample = { kind: 'paired', chosen: turns.chosen, rejected: turns.rejected };
  if (Object.keys(extra).length) implicit.extra = extra;
  const { example, problems: split } = extractPromptChecked(implicit, at, opts.allowEmptyCompletions);
  problems.push(...split);
  if (problems.some((p) => p.severity === 'error')) return { examples: [], problems };
  return { examples: [example], problems };
}

export const hhRlhfSource: SourceFormat = {
  name: 'hh-rlhf',
  summary: 'Anthropic HH-RLHF dialogues ("\\n\\nHuman: ... \\n\\nAssistant: ...") -> explicit-prompt conversational pairs',
  detect: looksLikeHhRlhf,
  convert,
};
