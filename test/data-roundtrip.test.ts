// Every example kind, in every file format, round-trips through validate / inspect / convert.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { convertFile, exampleToRecord, inspectFile, loadExamples, validateFile, type PairedExample } from '../src/data/index.js';
import { writeParquet, type ColumnSpec } from './fixtures/data/write-parquet.js';

const dir = mkdtempSync(join(tmpdir(), 'prefkit-roundtrip-'));
const m = (role: string, content: string) => ({ role, content });

const DATASETS: Record<string, { rows: Record<string, unknown>[]; columns: ColumnSpec[] }> = {
  'paired-standard-explicit': {
    rows: [
      { prompt: 'What is 2+2?', chosen: ' 4', rejected: ' 5', margin: 1.5, preference_probability: 0.9, annotator_id: 'a1', id: 'x1' },
      { prompt: 'Name a colour.', chosen: ' Blue.', rejected: ' Seven.', margin: 0.5, preference_probability: 0.6, annotator_id: 'a2', id: 'x2' },
    ],
    columns: [
      { name: 'prompt', kind: 'string' }, { name: 'chosen', kind: 'string' }, { name: 'rejected', kind: 'string' },
      { name: 'margin', kind: 'double' }, { name: 'preference_probability', kind: 'double' }, { name: 'annotator_id', kind: 'string' }, { name: 'id', kind: 'string' },
    ],
  },
  'paired-standard-implicit': {
    rows: [
      { chosen: 'Q: hi A: hello', rejected: 'Q: hi A: go away', tie: false },
      { chosen: 'Q: yo A: sup', rejected: 'Q: yo A: bye', tie: true },
    ],
    columns: [{ name: 'chosen', kind: 'string' }, { name: 'rejected', kind: 'string' }, { name: 'tie', kind: 'bool' }],
  },
  'paired-conversational': {
    rows: [
      { prompt: [m('system', 'Be nice.'), m('user', 'hi')], chosen: [m('assistant', 'hello')], rejected: [m('assistant', 'no')] },
      { prompt: [m('user', 'héllo 😀')], chosen: [m('assistant', 'salut')], rejected: [m('assistant', 'bye'), m('user', '?')] },
    ],
    columns: [{ name: 'prompt', kind: 'messages' }, { name: 'chosen', kind: 'messages' }, { name: 'rejected', kind: 'messages' }],
  },
  unpaired: {
    rows: [
      { prompt: 'Q1', completion: 'good', label: true },
      { prompt: 'Q1', completion: 'bad', label: false },
      { prompt: 'Q2', completion: 'fine', label: true },
    ],
    columns: [{ name: 'prompt', kind: 'string' }, { name: 'completion', kind: 'string' }, { name: 'label', kind: 'bool' }],
  },
  'ranked-scores': {
    rows: [
      { prompt: 'Q1', completions: ['a', 'b', 'c', 'd'], scores: [1, 4, 2, 3] },
      { prompt: 'Q2', completions: ['e', 'f', 'g'], scores: [5, 5, 1] },
    ],
    columns: [{ name: 'prompt', kind: 'string' }, { name: 'completions', kind: 'string-list' }, { name: 'scores', kind: 'double-list' }],
  },
};

const FORMATS = ['jsonl', 'json', 'jsonl.gz', 'json.gz', 'parquet'] as const;

function write(name: string, format: (typeof FORMATS)[number], rows: Record<string, unknown>[], columns: ColumnSpec[]): string {
  const p = join(dir, `${name}.${format}`);
  const jsonl = rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
  const json = JSON.stringify(rows, null, 2);
  const content = {
    jsonl,
    json,
    'jsonl.gz': gzipSync(jsonl),
    'json.gz': gzipSync(json),
    parquet: writeParquet(columns, rows, 1),
  }[format];
  writeFileSync(p, content);
  return p;
}

for (const [name, { rows, columns }] of Object.entries(DATASETS)) {
  for (const format of FORMATS) {
    test(`${name} as ${format}: validate, inspect, convert --to same -> JSONL / JSON / gz give the same examples`, async () => {
      const input = write(name, format, rows, columns);
      const v = await validateFile(input);
      assert.equal(v.badRows, 0, JSON.stringify(v.errors));
      assert.equal(v.examples, rows.length);
      const info = await inspectFile(input);
      assert.equal(info.fileKind?.format, format.startsWith('parquet') ? 'parquet' : format.startsWith('jsonl') ? 'jsonl' : 'json');
      assert.equal(info.fileKind?.gzip, format.endsWith('.gz'));
      const original = await loadExamples(input);
      for (const outExt of ['jsonl', 'json', 'jsonl.gz']) {
        const out = join(dir, `${name}.${format}.out.${outExt}`);
        const c = await convertFile(input, out, { to: 'same' });
        assert.equal(c.written, rows.length);
        const back = await loadExamples(out);
        assert.deepEqual(back.examples.map((e) => e.example), original.examples.map((e) => e.example));
        assert.deepEqual(back.examples.map((e) => exampleToRecord(e.example)), rows);
      }
    });
  }
}

test('implicit -> explicit keeps prompt + chosen equal to the original texts', async () => {
  const { rows, columns } = DATASETS['paired-standard-implicit'];
  const out = join(dir, 'explicit.jsonl');
  await convertFile(write('implicit2', 'jsonl', rows, columns), out);
  const { examples } = await loadExamples(out);
  examples.forEach(({ example }, i) => {
    const e = example as PairedExample;
    assert.equal((e.prompt as string) + e.chosen, rows[i].chosen);
    assert.equal((e.prompt as string) + e.rejected, rows[i].rejected);
  });
});

test('paired -> unpaired gives two KTO rows per pair; ranked -> pairs (auto) builds best-vs-rest', async () => {
  const { rows, columns } = DATASETS['paired-standard-explicit'];
  const out = join(dir, 'kto.jsonl');
  const r = await convertFile(write('p2u', 'jsonl', rows, columns), out, { to: 'unpaired' });
  assert.equal(r.written, 4);
  const { examples } = await loadExamples(out);
  assert.deepEqual(examples.map((e) => e.example.kind === 'unpaired' && [e.example.completion, e.example.label]), [[' 4', true], [' 5', false], [' Blue.', true], [' Seven.', false]]);

  const ranked = DATASETS['ranked-scores'];
  const pairsOut = join(dir, 'pairs.jsonl');
  const rp = await convertFile(write('r2p', 'parquet', ranked.rows, ranked.columns), pairsOut);
  assert.equal(rp.target, 'pairs');
  assert.deepEqual(rp.pairing, { prompts: 2, pairs: 4, promptsWithoutPairs: 0, tiesLeftOut: 1 });
  const curry = await convertFile(join(dir, 'r2p.parquet'), join(dir, 'curry.jsonl'), { pairing: 'curry' });
  assert.equal(curry.written, 4);
  const c = await loadExamples(join(dir, 'curry.jsonl'));
  assert.deepEqual(c.examples.map((e) => (e.example as PairedExample).margin), [4, 3, 2, 1]);
  assert.deepEqual(c.examples.map((e) => e.example.extra?.curriculum_stage), [1, 2, 3, 4]);
  await assert.rejects(convertFile(join(dir, 'kto.jsonl'), join(dir, 'nope.jsonl'), { to: 'pairs' }), /--to pairs cannot be made from unpaired examples.*use --to explicit, unpaired, same/);
});
