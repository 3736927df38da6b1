// The demo's ground-truth reward: AFINN-165 valences summed and divided by sqrt(#words), on known sentences.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lexiconMatches, lexiconReward, lexiconWords } from '../src/demo/index.js';

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} != ${b}`);

test('words: lower-cased, apostrophes and hyphens inside words kept, punctuation dropped', () => {
  assert.deepEqual(lexiconWords("I can’t stand it -- it's a well-being thing!"), ['i', "can't", 'stand', 'it', 'it\'s', 'a', 'well-being', 'thing']);
  assert.deepEqual(lexiconWords('...!?'), []);
});

test('single words: valence sum over sqrt(word count)', () => {
  close(lexiconReward('I love this.'), 3 / Math.sqrt(3));
  close(lexiconReward('This is a bad, bad idea.'), -6 / Math.sqrt(6));
  close(lexiconReward('Thank you, that was great and fun.'), (2 + 3 + 4) / Math.sqrt(7));
  close(lexiconReward('LOVE'), 3);
});

test('neutral and empty texts score 0', () => {
  assert.equal(lexiconReward('The table is brown.'), 0);
  assert.equal(lexiconReward(''), 0);
  assert.equal(lexiconReward('  ?! '), 0);
});

test('phrases win over their words: "does not work", "no fun", "can\'t stand" (curly apostrophe too)', () => {
  close(lexiconReward('This does not work at all.'), -3 / Math.sqrt(6));
  close(lexiconReward('no fun'), -3 / Math.sqrt(2));
  close(lexiconReward('I can’t stand it'), -3 / Math.sqrt(4));
  assert.deepEqual(lexiconMatches('no fun, but good'), [{ phrase: 'no fun', valence: -3 }, { phrase: 'good', valence: 3 }]);
});

test('hyphenated entries are one word; no negation handling beyond listed phrases', () => {
  close(lexiconReward('Think of your well-being'), 2 / Math.sqrt(4));
  close(lexiconReward('I am not happy'), 3 / Math.sqrt(4));
});

test('positive sentences outrank negative ones', () => {
  assert.ok(lexiconReward('I am so happy to help you, thank you!') > lexiconReward('I am sorry, that is a terrible problem.'));
});
