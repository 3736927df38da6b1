// The demo's data steps: corpus split and openings, pair construction from scored samples, label flips,
// and the TRL-format records `prefkit data inspect` reads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectFile } from '../src/data/index.js';
import { ByteTokenizer } from '../src/tokenizers/index.js';
import {
  buildDemoPairs, flipLabels, loadDemoCorpus, pairRecord, promptSets, rankedExamples, scoreCompletions, splitOpening, tokenizeDemoPair,
  writeRecords, type Completion,
} from '../src/demo/index.js';

const c = (text: string): Completion => ({ text, ids: [], ended: true });

test('openings: the first n words, only when two more words follow', () => {
  assert.deepEqual(splitOpening('Could you give me the weather?', 3), { text: 'Could you give', humanCompletion: ' me the weather?' });
  assert.equal(splitOpening('Could you give me?', 3), null);
  assert.equal(splitOpening('Hi there', 3), null);
});

test('bundled corpus: a fixed hash split, openings only from held-out sentences, disjoint prompt sets', () => {
  const a = loadDemoCorpus({ heldoutFraction: 0.2, openingWords: 3 });
  const b = loadDemoCorpus({ heldoutFraction: 0.2, openingWords: 3 });
  assert.deepEqual(a.heldout, b.heldout);
  assert.ok(a.train.length > 5000 && a.heldout.length > 1000, `${a.train.length} / ${a.heldout.length}`);
  const train = new Set(a.train);
  assert.ok(a.heldout.every((s) => !train.has(s)));
  const texts = a.openings.map((o) => o.text);
  assert.equal(new Set(texts).size, texts.length, 'openings are distinct');
  const held = new Set(a.heldout);
  assert.ok(a.openings.every((o) => held.has(o.text + o.humanCompletion)));
  const { evalSet, pairSet } = promptSets(a, 50, 100);
  assert.equal(evalSet.length, 50);
  assert.equal(pairSet.length, 100);
  assert.ok(!pairSet.some((o) => evalSet.includes(o)));
  assert.throws(() => promptSets(a, a.openings.length, 1), /distinct held-out openings/);
});

test('pairs: best vs worst of each opening by lexicon reward; all-equal openings give none', () => {
  const openings = ['I think', 'The weather'];
  const samples = [
    [c(' it is bad.'), c(' it is good and great.'), c(' so.'), c(' it is good.')],
    [c(' is ten.'), c(' is four.')],
  ];
  const scores = scoreCompletions(openings, samples);
  const ranked = rankedExamples(openings, samples, scores);
  const { pairs, stats } = buildDemoPairs(ranked, 'best-vs-worst');
  assert.equal(pairs.length, 1);
  assert.equal(stats.openingsWithoutPair, 1);
  assert.equal(pairs[0].chosen, ' it is good and great.');
  assert.equal(pairs[0].rejected, ' it is bad.');
  assert.ok(pairs[0].chosenReward > pairs[0].rejectedReward);
  const rest = buildDemoPairs(ranked, 'best-vs-rest');
  assert.equal(rest.pairs.length, 3);
  assert.ok(rest.pairs.every((p) => p.chosen === ' it is good and great.'));
});

test('label flips: exactly round(fraction * n) pairs swapped, seeded, the rest unchanged', () => {
  const pairs = Array.from({ length: 20 }, (_, i) => ({
    prompt: i, opening: `o${i}`, chosen: `good ${i}`, rejected: `bad ${i}`, chosenReward: 1, rejectedReward: -1, flipped: false,
  }));
  const a = flipLabels(pairs, 0.3, 7);
  const b = flipLabels(pairs, 0.3, 7);
  assert.deepEqual(a, b);
  assert.equal(a.filter((p) => p.flipped).length, 6);
  for (const [i, p] of a.entries()) {
    if (p.flipped) assert.deepEqual([p.chosen, p.rejected, p.chosenReward], [`bad ${i}`, `good ${i}`, -1]);
    else assert.deepEqual(p, pairs[i]);
  }
  assert.notDeepEqual(flipLabels(pairs, 0.3, 8).map((p) => p.flipped), a.map((p) => p.flipped));
  assert.ok(pairs.every((p) => !p.flipped), 'the input is not modified');
});

test('records: TRL explicit-prompt pairs that prefkit data inspect reads; tokens as the data layer makes them', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'prefkit-demo-pairs-'));
  try {
    const p = { prompt: 3, opening: 'I think', chosen: ' it is good.', rejected: ' it is bad.', chosenReward: 1.5, rejectedReward: -1.5, flipped: false };
    const rec = pairRecord(p, 0);
    assert.deepEqual(Object.keys(rec).slice(0, 5), ['id', 'prompt', 'chosen', 'rejected', 'margin']);
    assert.equal(rec.margin, 3);
    const file = join(dir, 'pairs.jsonl');
    await writeRecords(file, [rec, pairRecord({ ...p, prompt: 4 }, 1)]);
    const report = await inspectFile(file);
    assert.equal(report.kind, 'paired');
    assert.equal(report.examples, 2);
    assert.equal(report.badRows, 0);
    assert.equal(report.prompts.explicit, 2);
    const tok = new ByteTokenizer();
    const t = tokenizeDemoPair(p, tok);
    assert.deepEqual(t.promptIds, [tok.bosId, ...Buffer.from('I think')]);
    assert.deepEqual(t.chosenIds, [...Buffer.from(' it is good.'), tok.eosId]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
