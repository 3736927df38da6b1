import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DataFileError, detectFileKind, readRecords, type RecordItem } from '../src/io/records/index.js';
import { writeParquet } from './fixtures/data/write-parquet.js';

const dir = mkdtempSync(join(tmpdir(), 'prefkit-readers-'));
const file = (name: string, content: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};
async function all(path: string): Promise<RecordItem[]> {
  const out: RecordItem[] = [];
  for await (const r of readRecords(path)) out.push(r);
  return out;
}

test('JSONL: records with their line numbers; blank lines, CRLF and a BOM are handled', async () => {
  const p = file('a.jsonl', '\ufeff{"a":1}\r\n\n{"a":2}\n   \n{"a":3}');
  const rows = await all(p);
  assert.deepEqual(rows.map((r) => (r.ok ? [r.at.line, r.value] : null)), [[1, { a: 1 }], [3, { a: 2 }], [5, { a: 3 }]]);
});

test('JSONL: a truncated JSON line is a row problem with its line and column; the next lines are still read', async () => {
  const p = file('b.jsonl', '{"prompt": "a", "chosen": "b", "rejected": "c"}\n{"prompt": "a", "cho\n{"x": 1}\n');
  const rows = await all(p);
  assert.equal(rows.length, 3);
  const bad = rows[1];
  assert.equal(bad.ok, false);
  if (bad.ok) return;
  assert.equal(bad.at.line, 2);
  assert.match(bad.problem.found, /invalid JSON .*column \d+/);
  assert.match(bad.problem.hint ?? '', /cut short/);
  assert.ok(rows[2].ok);
});

test('JSONL: non-UTF-8 bytes are reported with their line and byte; other lines are read', async () => {
  const bytes = Buffer.concat([Buffer.from('{"a":"ok"}\n{"a":"caf'), Buffer.from([0xe9]), Buffer.from('"}\n{"a":"é fine"}\n')]);
  const rows = await all(file('c.jsonl', bytes));
  assert.equal(rows.length, 3);
  assert.ok(!rows[1].ok && rows[1].at.line === 2);
  if (!rows[1].ok) assert.match(rows[1].problem.found, /not UTF-8 .*0xe9 at byte column 10/);
  assert.deepEqual(rows[2].ok && rows[2].value, { a: 'é fine' });
});

test('JSONL across many chunks: line numbers stay exact (multi-byte characters split across chunks)', async () => {
  const lines = Array.from({ length: 30000 }, (_, i) => JSON.stringify({ i, s: 'héllo wörld 😀'.repeat(3) }));
  const rows = await all(file('big.jsonl', lines.join('\n') + '\n'));
  assert.equal(rows.length, 30000);
  assert.ok(rows.every((r, i) => r.ok && r.at.line === i + 1 && (r.value as { i: number }).i === i));
});

test('gzip: read transparently; a file cut short is a DataFileError that says so', async () => {
  const text = Array.from({ length: 5000 }, (_, i) => JSON.stringify({ i, pad: 'x'.repeat(50 + (i % 17)) })).join('\n');
  const gz = gzipSync(text);
  const ok = await all(file('d.jsonl.gz', gz));
  assert.equal(ok.length, 5000);
  const cut = file('e.jsonl.gz', gz.subarray(0, Math.floor(gz.length / 2)));
  let n = 0;
  await assert.rejects(
    async () => {
      for await (const r of readRecords(cut)) if (r.ok) n++;
    },
    (e: unknown) => e instanceof DataFileError && /cut short/.test(e.message) && /near line/.test(e.message),
  );
  assert.ok(n > 0, 'rows before the damage were read');
});

test('JSON array: elements with the line they start on; malformed element is a row problem', async () => {
  const p = file('f.json', '[\n  {"a": 1},\n  {"a": [1, {"b": "]}"}]},\n  {"a": },\n  "str",\n  42\n]\n');
  const rows = await all(p);
  assert.deepEqual(rows.map((r) => r.at.line), [2, 3, 4, 5, 6]);
  assert.deepEqual(rows[1].ok && rows[1].value, { a: [1, { b: ']}' }] });
  assert.equal(rows[2].ok, false);
  assert.equal(rows[3].ok && rows[3].value, 'str');
  assert.equal(rows[4].ok && rows[4].value, 42);
});

test('JSON array: a file cut short, a missing comma, a top-level object are file errors', async () => {
  await assert.rejects(all(file('g.json', '[{"a": 1}, {"a": 2')), /not closed.*cut short/);
  await assert.rejects(all(file('h.json', '[{"a": 1} {"a": 2}]')), /expected ',' or '\]'/);
  const k = await detectFileKind(file('i.json', '{"a": 1}\n{"a": 2}\n'));
  assert.equal(k.format, 'jsonl', 'a .json file holding JSON Lines (HF to_json) is read as JSON Lines');
});

test('Parquet: rows (flat and nested message lists) across row groups, with row numbers', async () => {
  const rows = Array.from({ length: 7 }, (_, i) => ({
    prompt: [{ role: 'user', content: `q${i}` }],
    chosen: [{ role: 'assistant', content: `good ${i}` }],
    rejected: [{ role: 'assistant', content: `bad ${i}` }],
    margin: i / 2,
  }));
  const p = file('j.parquet', writeParquet(
    [{ name: 'prompt', kind: 'messages' }, { name: 'chosen', kind: 'messages' }, { name: 'rejected', kind: 'messages' }, { name: 'margin', kind: 'double' }],
    rows,
    3,
  ));
  const got = await all(p);
  assert.equal(got.length, 7);
  got.forEach((r, i) => {
    assert.ok(r.ok);
    assert.equal(r.at.row, i);
    assert.deepEqual(r.ok && r.value, rows[i]);
  });
});

test('Parquet: a truncated file is a DataFileError naming the problem', async () => {
  const good = writeParquet([{ name: 'prompt', kind: 'string' }], [{ prompt: 'a' }]);
  const p = file('k.parquet', good.subarray(0, good.length - 10));
  await assert.rejects(all(p), (e: unknown) => e instanceof DataFileError && /k\.parquet/.test(e.message) && /Parquet/.test(e.message));
});

test('missing file and empty file are DataFileErrors', async () => {
  await assert.rejects(all(join(dir, 'nope.jsonl')), /file not found/);
  await assert.rejects(all(file('empty.jsonl', '')), /empty/);
  assert.ok(readFileSync(join(dir, 'a.jsonl')).length > 0);
});
