// A JSON file holding one top-level array of records, streamed: a byte-level scanner finds where
// each element of the array starts and ends (tracking strings, escapes and nesting), then each
// element alone is checked as UTF-8 and parsed. So a 5 GB array never sits in memory, a bad
// element is reported with the line it starts on, and the elements around it are still read.
// All JSON structure bytes are ASCII and never occur inside a UTF-8 multi-byte sequence, which is
// what makes scanning bytes (not characters) exact.

import { readBytes } from './byte-source.js';
import { parseJsonValue } from './json-value.js';
import { DataFileError, type RecordItem } from './record-types.js';
import { describeBadByte, firstInvalidUtf8Offset } from './utf8-check.js';

const EXPECTED = 'a JSON value as an element of the top-level array';

type State = 'start' | 'between' | 'afterValue' | 'inValue' | 'end';

export async function* readJsonArray(file: string): AsyncGenerator<RecordItem> {
  let state: State = 'start';
  let line = 1;
  let depth = 0;
  let inString = false;
  let escape = false;
  let bareLiteral = false;
  let startLine = 0;
  let parts: Buffer[] = [];
  let sawComma = false;
  let offset = 0;

  const structural = (what: string, hint: string): DataFileError =>
    new DataFileError({ file, line }, what, hint);

  for await (const chunk of readBytes(file, () => `near line ${line}`)) {
    let elemStart = state === 'inValue' ? 0 : -1;
    const bom = offset === 0 && chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf;
    for (let i = bom ? 3 : 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (state === 'inValue') {
        if (c === 0x0a) line++;
        let done = false;
        if (inString) {
          if (escape) escape = false;
          else if (c === 0x5c) escape = true;
          else if (c === 0x22) {
            inString = false;
            if (depth === 0) done = true;
          }
        } else if (bareLiteral) {
          if (c === 0x2c || c === 0x5d || isSpace(c)) {
            // The literal ended just before this byte: emit it, then rescan this byte.
            parts.push(chunk.subarray(elemStart, i));
            yield element(file, startLine, parts);
            parts = [];
            elemStart = -1;
            bareLiteral = false;
            state = 'afterValue';
            if (c === 0x0a) line--;
            i--;
            continue;
          }
        } else if (c === 0x22) inString = true;
        else if (c === 0x7b || c === 0x5b) depth++;
        else if (c === 0x7d || c === 0x5d) {
          depth--;
          if (depth === 0) done = true;
        }
        if (done) {
          parts.push(chunk.subarray(elemStart, i + 1));
          yield element(file, startLine, parts);
          parts = [];
          elemStart = -1;
          state = 'afterValue';
        }
        continue;
      }
      if (c === 0x0a) {
        line++;
        continue;
      }
      if (isSpace(c)) continue;
      if ((state as State) === 'start') {
        if (c === 0x5b) {
          state = 'between';
          sawComma = false;
          continue;
        }
        throw structural(
          `expected a JSON array of records at the top level, found ${c === 0x7b ? 'an object' : `'${String.fromCharCode(c)}'`}`,
          'a .json file holds either one array of records or one record per line (JSON Lines)',
        );
      }
      if (state === 'end') {
        throw structural('unexpected content after the closing ] of the top-level array', 'remove it');
      }
      if (state === 'afterValue') {
        if (c === 0x2c) {
          state = 'between';
          sawComma = true;
        } else if (c === 0x5d) state = 'end';
        else throw structural(`expected ',' or ']' after an array element, found '${String.fromCharCode(c)}'`, 'a comma is missing between two records');
        continue;
      }
      // state === 'between': a value starts here, or the array ends.
      if (c === 0x5d) {
        if (sawComma) throw structural("a trailing ',' before ']'", 'JSON does not allow a comma after the last element');
        state = 'end';
        continue;
      }
      state = 'inValue';
      startLine = line;
      elemStart = i;
      depth = 0;
      inString = false;
      escape = false;
      bareLiteral = false;
      if (c === 0x22) inString = true;
      else if (c === 0x7b || c === 0x5b) depth = 1;
      else bareLiteral = true;
    }
    if (state === 'inValue' && elemStart >= 0) parts.push(chunk.subarray(elemStart));
    offset += chunk.length;
  }
  if ((state as State) === 'inValue' && bareLiteral) {
    yield element(file, startLine, parts);
    state = 'afterValue';
  }
  if ((state as State) === 'start') {
    throw new DataFileError({ file, line }, 'the file is empty: expected a JSON array of records', 'write at least [] ');
  }
  if ((state as State) !== 'end') {
    const where = state === 'inValue' ? `inside the element that starts at line ${startLine}` : 'before the closing ]';
    throw new DataFileError(
      { file, line },
      `the file ends ${where}: the JSON array is not closed`,
      'the file looks cut short; fetch or write it again',
    );
  }
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

function element(file: string, line: number, parts: Buffer[]): RecordItem {
  const bytes = parts.length === 1 ? parts[0] : Buffer.concat(parts);
  const at = { file, line };
  const bad = firstInvalidUtf8Offset(bytes);
  if (bad >= 0) {
    const lineInElem = countNewlines(bytes, bad);
    return {
      ok: false,
      at: { file, line: line + lineInElem },
      problem: {
        expected: 'UTF-8 text',
        found: `bytes that are not UTF-8 (${describeBadByte(bytes, bad)} of the element)`,
        hint: 're-encode the file as UTF-8 (e.g. `iconv -f latin1 -t utf-8`)',
      },
    };
  }
  const parsed = parseJsonValue(bytes.toString('utf8'), EXPECTED);
  return parsed.ok ? { ok: true, at, value: parsed.value } : { ok: false, at, problem: parsed.problem };
}

function countNewlines(b: Uint8Array, end: number): number {
  let n = 0;
  for (let i = 0; i < end; i++) if (b[i] === 0x0a) n++;
  return n;
}
