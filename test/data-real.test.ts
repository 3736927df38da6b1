// The real datasets of the fixtures: HH-RLHF harmless-base test (MIT) and FineGrainedRLHF QA
// feedback dev (Apache-2.0); see test/fixtures/data/*/PROVENANCE.txt.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  convertFile,
  loadExamples,
  renderHhDialogue,
  validateFile,
  type ChatMessage,
  type PairedExample,
} from '../src/data/index.js';
import { readRecords } from '../src/io/records/index.js';

const fixtures = fileURLToPath(new URL('../../test/fixtures/data/', import.meta.url));
const HH = join(fixtures, 'hh-rlhf-harmless-test', 'test.jsonl.gz');
const FG = join(fixtures, 'finegrained-qa-feedback-dev', 'dev_feedback.json.gz');
const out = mkdtempSync(join(tmpdir(), 'prefkit-real-'));

test('HH-RLHF converts to 2,312 explicit-prompt conversational pairs; prompt + chosen reproduces the original exactly', async () => {
  const originals: { chosen: string; rejected: string }[] = [];
  for await (const r of readRecords(HH)) if (r.ok) originals.push(r.value as { chosen: string; rejected: string });
  assert.equal(originals.length, 2312);

  const dest = join(out, 'hh.jsonl');
  const report = await convertFile(HH, dest, { allowEmptyCompletions: true });
  assert.equal(report.input.source, 'hh-rlhf');
  assert.equal(report.written, 2312);
  assert.equal(report.input.warnings.length, 4, 'the four silent chosen replies are listed');

  const { examples } = await loadExamples(dest, { allowEmptyCompletions: true });
  assert.equal(examples.length, 2312);
  examples.forEach(({ example }, i) => {
    const ex = example as PairedExample;
    assert.equal(ex.kind, 'paired');
    assert.ok(Array.isArray(ex.prompt) && ex.prompt.length > 0, 'explicit conversational prompt');
    const prompt = ex.prompt as ChatMessage[];
    assert.equal(prompt[prompt.length - 1].role, 'user');
    assert.equal(renderHhDialogue([...prompt, ...(ex.chosen as ChatMessage[])]), originals[i].chosen, `line ${i + 1} chosen`);
    assert.equal(renderHhDialogue([...prompt, ...(ex.rejected as ChatMessage[])]), originals[i].rejected, `line ${i + 1} rejected`);
  });
});

test('HH-RLHF validates end to end; without --allow-empty its 4 empty replies are listed by line', async () => {
  const strict = await validateFile(HH);
  assert.equal(strict.records, 2312);
  assert.deepEqual(strict.errors.map((e) => `${e.at.line}:${e.field}`), ['87:chosen', '517:chosen', '926:chosen', '1104:chosen']);
  const lenient = await validateFile(HH, { allowEmptyCompletions: true });
  assert.equal(lenient.badRows, 0);
  assert.equal(lenient.examples, 2312);
  const skipped = await convertFile(HH, join(out, 'hh-skip.jsonl'), { skipBadRows: true });
  assert.equal(skipped.written, 2308);
  assert.equal(skipped.input.badRows, 4);
});

test('FineGrained QA: 500 questions x 6 judgements -> 2,616 strict pairs, 384 ties counted; --keep-ties gives 3,000', async () => {
  const v = await validateFile(FG);
  assert.equal(v.source, 'finegrained-qa');
  assert.equal(v.records, 500);
  assert.equal(v.badRows, 0);
  assert.equal(v.examples, 2616);

  const dest = join(out, 'fg.jsonl');
  const report = await convertFile(FG, dest);
  assert.equal(report.written, 2616);
  assert.equal(Object.values(report.input.counts)[0], 384);
  const { examples } = await loadExamples(dest);
  assert.equal(examples.length, 2616);
  const first = examples[0].example as PairedExample;
  assert.match(first.prompt as string, /^question: When does bloom by troye sivan come out\? context: wikipage: Bloom \(Troye Sivan album\) text: /);
  // record 1: preference [0, 1, 2, 1, 0, 2] -> 1v2 tie, 1>3, 4>1, 2>3, 2v4 tie, 4>3
  const recs: Record<string, unknown>[] = [];
  for await (const r of readRecords(FG)) if (r.ok && recs.length < 1) recs.push(r.value as Record<string, unknown>);
  const p = (i: number) => recs[0][`prediction ${i}`];
  const firstFour = examples.slice(0, 4).map((e) => e.example as PairedExample);
  assert.deepEqual(firstFour.map((e) => [e.chosen, e.rejected]), [[p(1), p(3)], [p(4), p(1)], [p(2), p(3)], [p(4), p(3)]]);

  const ties = await convertFile(FG, join(out, 'fg-ties.jsonl'), { keepTies: true, promptStyle: 'question' });
  assert.equal(ties.written, 3000);
  const again = await loadExamples(join(out, 'fg-ties.jsonl'));
  assert.equal(again.examples.filter((e) => (e.example as PairedExample).tie).length, 384);
  assert.equal((again.examples[0].example as PairedExample).prompt, 'When does bloom by troye sivan come out?');
});
