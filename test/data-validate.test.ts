import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import {
  DataValidationError,
  formatProblem,
  loadExamples,
  validateFile,
  validateRecord,
} from '../src/data/index.js';
import { DataFileError } from '../src/io/records/index.js';

const dir = mkdtempSync(join(tmpdir(), 'prefkit-validate-'));
const file = (name: string, content: string | Buffer) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};
const at = { file: 'x.jsonl', line: 7 };
const one = (v: unknown) => validateRecord(v, at).problems.map(formatProblem);

test('paired, unpaired and ranked records validate in both styles', () => {
  const conv = (c: string) => [{ role: 'assistant', content: c }];
  const ok = [
    { prompt: 'Q', chosen: 'good', rejected: 'bad' },
    { chosen: 'Q good', rejected: 'Q bad', margin: 2, preference_probability: 0.8, annotator_id: 7, tie: false, id: 'p1' },
    { prompt: [{ role: 'user', content: 'Q' }], chosen: conv('a'), rejected: conv('b') },
    { prompt: 'Q', completion: 'A', label: true },
    { prompt: 'Q', completions: ['a', 'b', 'c'], scores: [1, 3, 2] },
    { prompt: [{ role: 'user', content: 'Q' }], completions: [conv('a'), conv('b')], ranks: [2, 1] },
  ];
  for (const r of ok) {
    const v = validateRecord(r, at);
    assert.deepEqual(v.problems, [], JSON.stringify(r));
    assert.ok(v.example);
  }
  const v = validateRecord(ok[1], at);
  assert.deepEqual(v.example, { kind: 'paired', chosen: 'Q good', rejected: 'Q bad', margin: 2, preferenceProbability: 0.8, annotatorId: '7', tie: false, id: 'p1' });
  assert.deepEqual(validateRecord({ ...ok[0], source: 'web' }, at).example?.extra, { source: 'web' });
});

test('missing field: names the field, what was expected and found', () => {
  const [msg] = one({ prompt: 'Q', chosen: 'a' });
  assert.equal(msg, 'x.jsonl:7: field "rejected": expected a string (standard format, like the other fields of the row), found nothing (the field is missing)');
});

test('wrong types: number for a text, 1 for a label, bad message, mixed styles', () => {
  assert.match(one({ prompt: 'Q', chosen: 3, rejected: 'b' })[0], /field "chosen": expected a string .* found a number \(3\)/);
  assert.match(one({ prompt: 'Q', completion: 'A', label: 1 })[0], /field "label": expected true \(desirable\) or false \(undesirable\), found a number \(1\) \(hint: write true\/false/);
  assert.match(one({ chosen: [{ role: 'assistant' }], rejected: [{ role: 'assistant', content: 'b' }] })[0], /field "chosen\[0\]\.content": expected a string, found nothing/);
  assert.match(one({ prompt: [{ role: 'user', content: 'Q' }], chosen: 'a', rejected: 'b' })[0], /field "chosen": expected a list of \{role, content\} messages .* found a string/);
  assert.match(one({ prompt: 'Q', chosen: 'a', rejected: 'b', margin: 'big' })[0], /field "margin": expected a finite number, found a string/);
  assert.match(one({ prompt: 'Q', chosen: 'a', rejected: 'b', preference_probability: 1.5 })[0], /expected a number from 0 to 1, found a number \(1\.5\)/);
  assert.match(one({ prompt: 'Q', completions: ['a', 'b'], scores: [1] })[0], /field "scores": expected a list of 2 finite numbers/);
  assert.match(one({ prompt: 'Q', completions: ['a', 'b'], ranks: [1, 0] })[0], /field "ranks\[1\]": expected a positive integer, found a number \(0\)/);
  assert.match(one({ foo: 1 })[0], /expected fields chosen \+ rejected .* found fields foo/);
  assert.match(one([1, 2])[0], /expected a JSON object \(one record\), found a list of 2 items/);
});

test('empty completion and chosen equal to rejected are errors; --allow-empty makes empties warnings', () => {
  assert.match(one({ prompt: 'Q', chosen: '  ', rejected: 'b' })[0], /field "chosen": expected a non-empty response, found a string of only whitespace/);
  assert.match(one({ prompt: [{ role: 'user', content: 'Q' }], chosen: [], rejected: [{ role: 'assistant', content: 'x' }] })[0], /found an empty list of messages/);
  assert.match(one({ prompt: 'Q', chosen: 'same', rejected: 'same' })[0], /field "chosen": expected a response different from rejected, found chosen and rejected are identical/);
  const w = validateRecord({ prompt: 'Q', chosen: '', rejected: 'b' }, at, { allowEmptyCompletions: true });
  assert.ok(w.example);
  assert.equal(w.problems[0].severity, 'warning');
});

test('a row of another kind than the file is an error', () => {
  const v = validateRecord({ prompt: 'Q', completion: 'a', label: true }, at, { expectKind: 'paired', kindDecidedAt: 'x.jsonl:1' });
  assert.match(formatProblem(v.problems[0]), /expected a paired record like the rows before \(decided at x\.jsonl:1\), found a unpaired record/);
});

const BAD_FILE = [
  '{"prompt": "p1", "chosen": "a", "rejected": "b"}',
  '{"prompt": "p2", "chosen": "a", "rejec',
  '{"prompt": "p3", "chosen": "a"}',
  '{"prompt": "p4", "chosen": 5, "rejected": "b"}',
  '{"prompt": "p5", "chosen": "", "rejected": "b"}',
  '{"prompt": "p6", "chosen": "x", "rejected": "x"}',
  '{"prompt": "p7", "chosen": "a", "rejected": "b"}',
].join('\n');

test('without skipping, the first bad row stops the read with file:line and field', async () => {
  const p = file('bad.jsonl', BAD_FILE);
  await assert.rejects(loadExamples(p), (e: unknown) => e instanceof DataValidationError && e.message.startsWith(`${p}:2: expected one JSON value per line`));
});

test('with skipping, every bad row is listed and counted, every good row kept', async () => {
  const bytes = Buffer.concat([Buffer.from(BAD_FILE + '\n{"prompt": "p8 '), Buffer.from([0xff, 0xfe]), Buffer.from('", "chosen": "a", "rejected": "b"}\n')]);
  const p = file('bad2.jsonl', bytes);
  const { examples, report } = await loadExamples(p, { skipBadRows: true });
  assert.deepEqual(examples.map((e) => e.example.prompt), ['p1', 'p7']);
  assert.equal(report.records, 8);
  assert.equal(report.badRows, 6);
  assert.deepEqual(report.errors.map((e) => `${e.at.line}:${e.field}`), ['2:', '3:rejected', '4:chosen', '5:chosen', '6:chosen', '8:']);
  assert.match(formatProblem(report.errors[5]), /:8: expected UTF-8 text, found bytes that are not UTF-8 \(byte 0xff at byte column 16\)/);
});

test('validateFile lists every problem of a JSON array file, and a gzip cut short fails clearly', async () => {
  const p = file('arr.json', JSON.stringify([{ prompt: 'a', chosen: 'x', rejected: 'y' }, { prompt: 'b', chosen: 'x' }], null, 2));
  const r = await validateFile(p);
  assert.equal(r.examples, 1);
  assert.equal(r.badRows, 1);
  assert.equal(r.errors[0].at.line, 7);
  const gz = gzipSync(Array.from({ length: 3000 }, (_, i) => JSON.stringify({ prompt: `p${i}`, chosen: `c${i} ${'x'.repeat(i % 50)}`, rejected: 'r' })).join('\n'));
  const cut = file('cut.jsonl.gz', gz.subarray(0, gz.length - 200));
  await assert.rejects(validateFile(cut), (e: unknown) => e instanceof DataFileError && /gzip stream ends early: the file is cut short/.test(e.message));
});
