// JSON Lines: one JSON value per line, streamed. Lines are split on byte 0x0A (a trailing \r is
// dropped); blank lines hold no record and are passed over. Each line is checked as strict UTF-8 —
// the whole chunk at once through Node's native validator, line by line only when that fails — so
// a bad byte is reported with its line and the other lines are still read.

import { readBytes } from './byte-source.js';
import { parseJsonValue } from './json-value.js';
import type { RecordItem } from './record-types.js';
import { describeBadByte, firstInvalidUtf8Offset, isValidUtf8 } from './utf8-check.js';

const EXPECTED = 'one JSON value per line (JSON Lines)';

type Line = { line: number; text: string } | { line: number; badUtf8: string };

export async function* readJsonl(file: string): AsyncGenerator<RecordItem> {
  for await (const l of readLines(file)) {
    const at = { file, line: l.line };
    if ('badUtf8' in l) {
      yield {
        ok: false,
        at,
        problem: {
          expected: 'UTF-8 text',
          found: `bytes that are not UTF-8 (${l.badUtf8})`,
          hint: 're-encode the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8`)',
        },
      };
      continue;
    }
    if (isBlank(l.text)) continue;
    const parsed = parseJsonValue(l.text, EXPECTED);
    yield parsed.ok ? { ok: true, at, value: parsed.value } : { ok: false, at, problem: parsed.problem };
  }
}

function isBlank(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== 0x20 && c !== 0x09 && c !== 0x0d) return false;
  }
  return true;
}

/** Splits a (possibly gzipped) file into lines without ever holding more than a chunk and a line. */
export async function* readLines(file: string): AsyncGenerator<Line> {
  let lineNo = 0;
  let pending: Buffer[] = [];
  let first = true;
  for await (const chunk of readBytes(file, () => `near line ${lineNo + 1}`)) {
    const lastNl = chunk.lastIndexOf(0x0a);
    if (lastNl < 0) {
      pending.push(chunk);
      continue;
    }
    const head = chunk.subarray(0, lastNl + 1);
    const block = pending.length ? Buffer.concat([...pending, head]) : head;
    pending = lastNl + 1 < chunk.length ? [chunk.subarray(lastNl + 1)] : [];
    for (const l of splitBlock(block, lineNo, first)) {
      lineNo = l.line;
      yield l;
    }
    first = false;
  }
  if (pending.length) {
    const block = Buffer.concat(pending);
    for (const l of splitBlock(block, lineNo, first)) yield l;
  }
}

/** `block` holds whole lines (the last may lack its newline at end of file). */
function* splitBlock(block: Buffer, lineBefore: number, first: boolean): Generator<Line> {
  let line = lineBefore;
  if (isValidUtf8(block)) {
    let text = block.toString('utf8');
    if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    const parts = text.split('\n');
    if (parts[parts.length - 1] === '') parts.pop();
    for (const p of parts) {
      line += 1;
      yield { line, text: p.endsWith('\r') ? p.slice(0, -1) : p };
    }
    return;
  }
  let start = 0;
  while (start < block.length) {
    let end = block.indexOf(0x0a, start);
    if (end < 0) end = block.length;
    const bytes = block.subarray(start, end);
    line += 1;
    const bad = firstInvalidUtf8Offset(bytes);
    if (bad >= 0) {
      yield { line, badUtf8: describeBadByte(bytes, bad) };
    } else {
      let text = bytes.toString('utf8');
      if (first && line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      yield { line, text: text.endsWith('\r') ? text.slice(0, -1) : text };
    }
    start = end + 1;
  }
}
