import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildPairs,
  extractPrompt,
  extractPromptChecked,
  pairsOf,
  splitCommonPrefix,
  type PairedExample,
  type RankedExample,
} from '../src/data/index.js';

test('implicit prompt, standard: split at a word start, the space goes to the completion; texts preserved', () => {
  const chosen = 'Human: hi there\n\nAssistant: I think so.';
  const rejected = 'Human: hi there\n\nAssistant: I am not sure.';
  const s = splitCommonPrefix(chosen, rejected);
  assert.equal(s.prompt, 'Human: hi there\n\nAssistant: I');
  assert.equal(s.chosen, ' think so.');
  assert.equal(s.rejected, ' am not sure.');
  const t = splitCommonPrefix('Q: Sure thing', 'Q: Surely not');
  assert.deepEqual([t.prompt, t.chosen, t.rejected], ['Q:', ' Sure thing', ' Surely not']);
  for (const [a, b] of [[chosen, rejected], ['Q: Sure thing', 'Q: Surely not'], ['abc', 'xyz']]) {
    const u = splitCommonPrefix(a, b);
    assert.equal((u.prompt as string) + u.chosen, a);
    assert.equal((u.prompt as string) + u.rejected, b);
  }
});

test('implicit prompt, conversational: common leading messages', () => {
  const u = { role: 'user', content: 'hi' };
  const ex: PairedExample = {
    kind: 'paired',
    chosen: [u, { role: 'assistant', content: 'hello' }],
    rejected: [u, { role: 'assistant', content: 'go away' }],
  };
  const e = extractPrompt(ex);
  assert.deepEqual(e.prompt, [u]);
  assert.deepEqual(e.chosen, [{ role: 'assistant', content: 'hello' }]);
  const prefix = extractPromptChecked({ kind: 'paired', chosen: [u], rejected: [u, { role: 'assistant', content: 'x' }] }, { file: 'f', line: 3 });
  assert.equal(prefix.problems.length, 1);
  assert.match(prefix.problems[0].found, /chosen is empty once the common prefix/);
});

const ranked: RankedExample = { kind: 'ranked', id: 'q', prompt: 'Q', completions: ['a', 'b', 'c', 'd'], scores: [2, 5, 3, 5] };

test('best-vs-rest: the first best against every strictly worse one, margin = score gap; ties left out', () => {
  const stats = { prompts: 0, pairs: 0, promptsWithoutPairs: 0, tiesLeftOut: 0 };
  const pairs = pairsOf(ranked, { pairing: 'best-vs-rest' }, stats);
  assert.deepEqual(pairs.map((p) => [p.chosen, p.rejected, p.margin]), [['b', 'a', 3], ['b', 'c', 2]]);
  assert.equal(stats.tiesLeftOut, 1);
  assert.equal(pairs[0].id, 'q:1>0');
});

test('all-pairs: every strictly ordered combination; ties optional', () => {
  const pairs = pairsOf(ranked, { pairing: 'all-pairs' });
  assert.equal(pairs.length, 5);
  assert.ok(pairs.every((p) => (p.margin ?? 0) > 0));
  assert.equal(pairsOf(ranked, { pairing: 'all-pairs', includeTies: true }).filter((p) => p.tie).length, 1);
  const byRank = pairsOf({ kind: 'ranked', prompt: 'Q', completions: ['x', 'y', 'z'], ranks: [3, 1, 2] }, { pairing: 'all-pairs' });
  assert.deepEqual(byRank.map((p) => [p.chosen, p.rejected]), [['y', 'x'], ['z', 'x'], ['y', 'z']]);
});

test('Curry-DPO: best-vs-rest pairs ordered easy -> hard across prompts (score gap or rank stage)', () => {
  const data: RankedExample[] = [
    { kind: 'ranked', prompt: 'P1', completions: ['r1', 'r2', 'r3', 'r4'], scores: [5, 4, 3, 1] },
    { kind: 'ranked', prompt: 'P2', completions: ['s1', 's2', 's3', 's4'], scores: [4, 1, 2, 3.5] },
  ];
  const gap = buildPairs(data, { pairing: 'curry' }).pairs;
  assert.deepEqual(gap.map((p) => [p.chosen, p.rejected, p.margin]), [
    ['r1', 'r4', 4], ['s1', 's2', 3], ['r1', 'r3', 2], ['s1', 's3', 2], ['r1', 'r2', 1], ['s1', 's4', 0.5],
  ]);
  assert.deepEqual(gap.map((p) => p.curriculumStage), [1, 2, 3, 3, 4, 5]);
  const rank = buildPairs(data, { pairing: 'curry', curriculum: 'rank' }).pairs;
  assert.deepEqual(rank.map((p) => [p.rejected, p.curriculumStage]), [['r4', 1], ['s2', 1], ['r3', 2], ['s3', 2], ['r2', 3], ['s4', 3]]);
});
