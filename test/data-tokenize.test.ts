import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import {
  batchIndices,
  collatePairs,
  collateUnpaired,
  describeTokenizeReport,
  newTokenizeReport,
  shuffledIndices,
  splitTrainEval,
  tokenizePair,
  tokenizeUnpaired,
  truncate,
  type PairedExample,
} from '../src/data/index.js';
import { ByteTokenizer, loadTokenizer } from '../src/tokenizers/index.js';

const bytes = (s: string) => [...Buffer.from(s)];
const BOS = 257;
const EOS = 258;
const byteTok = new ByteTokenizer();

test('standard pair: BOS + prompt shared, each completion tokenized alone with EOS appended', () => {
  const ex: PairedExample = { kind: 'paired', prompt: 'Q:', chosen: ' yes', rejected: ' no', margin: 1.5 };
  const t = tokenizePair(ex, byteTok);
  assert.deepEqual(t?.promptIds, [BOS, ...bytes('Q:')]);
  assert.deepEqual(t?.chosenIds, [...bytes(' yes'), EOS]);
  assert.deepEqual(t?.rejectedIds, [...bytes(' no'), EOS]);
  assert.equal(t?.margin, 1.5);
  const noSpecial = tokenizePair(ex, byteTok, { addBos: false, addEos: false });
  assert.deepEqual(noSpecial?.promptIds, bytes('Q:'));
  assert.deepEqual(noSpecial?.chosenIds, bytes(' yes'));
  const implicit = tokenizePair({ kind: 'paired', chosen: 'Q: yes', rejected: 'Q: no' }, byteTok, { addBos: false });
  assert.deepEqual(implicit?.promptIds, bytes('Q:'));
});

test('conversational pair through the chat template: the prompt ends with the generation prompt', () => {
  const tok = loadTokenizer(fileURLToPath(new URL('../../test/fixtures/data/tiny-tokenizer/', import.meta.url)));
  const ex: PairedExample = {
    kind: 'paired',
    prompt: [{ role: 'user', content: 'hi' }],
    chosen: [{ role: 'assistant', content: 'yo' }],
    rejected: [{ role: 'assistant', content: 'no' }],
  };
  const t = tokenizePair(ex, tok);
  assert.ok(t);
  assert.equal(tok.decode(t.promptIds), '<s><|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n');
  assert.equal(t.promptIds.filter((i) => i === 266).length, 1, 'one BOS (from the template, none added)');
  assert.equal(tok.decode(t.chosenIds), 'yo<|im_end|>\n</s>');
});

test('a template that rewrites earlier turns: the example is dropped and the warning lists it', () => {
  // Drops the content of earlier assistant turns once a reply follows (like reasoning-stripping templates).
  const tricky = new ByteTokenizer({
    chatTemplate:
      "{% set reply = messages[-1]['role'] == 'assistant' %}{% for m in messages %}{% if m.role == 'assistant' and reply and not loop.last %}<|assistant|>\n[...]\n{% else %}{{ '<|' + m.role + '|>\\n' + m.content + '\\n' }}{% endif %}{% endfor %}{% if add_generation_prompt %}<|assistant|>\n{% endif %}",
  });
  const ok: PairedExample = { kind: 'paired', prompt: [{ role: 'user', content: 'a' }], chosen: [{ role: 'assistant', content: 'b' }], rejected: [{ role: 'assistant', content: 'c' }] };
  const bad: PairedExample = {
    ...ok,
    prompt: [{ role: 'user', content: 'a' }, { role: 'assistant', content: 'thinking' }, { role: 'user', content: 'more' }],
  };
  const report = newTokenizeReport();
  assert.ok(tokenizePair(ok, tricky, {}, report, { file: 'd.jsonl', line: 1 }));
  // The prompt alone renders the last assistant turn in full; with a reply added it becomes "[...]".
  assert.equal(tokenizePair(bad, tricky, {}, report, { file: 'd.jsonl', line: 2 }), undefined);
  assert.equal(report.dropped.length, 1);
  const text = describeTokenizeReport(report).join('\n');
  assert.match(text, /warning: for 2 example side\(s\) the chat-templated prompt is not a prefix/);
  assert.match(text, /d\.jsonl:2 chosen: at character \d+ the prompt renders .*thinking.* but prompt \+ chosen renders .*\[\.\.\.\]/);
});

test('truncation: keep_start cuts completions at the end, keep_end cuts the prompt start; drops are counted', () => {
  const p = [1, 2, 3, 4, 5, 6];
  const c = [[10, 11, 12], [20, 21]];
  assert.deepEqual(truncate(p, c, { maxPromptLength: 4 }), { prompt: [1, 2, 3, 4], completions: c, truncated: true });
  assert.deepEqual(truncate(p, c, { maxPromptLength: 4, truncationMode: 'keep_end' }), { prompt: [3, 4, 5, 6], completions: c, truncated: true });
  assert.deepEqual(truncate(p, c, { maxLength: 8 }), { prompt: p, completions: [[10, 11], [20, 21]], truncated: true });
  assert.deepEqual(truncate(p, c, { maxLength: 8, truncationMode: 'keep_end' }), { prompt: [2, 3, 4, 5, 6], completions: c, truncated: true });
  assert.deepEqual(truncate(p, c, { maxCompletionLength: 2 }), { prompt: p, completions: [[10, 11], [20, 21]], truncated: true });
  assert.match((truncate(p, c, { maxLength: 6 }) as { dropReason: string }).dropReason, /prompt \(6 tokens\) fills max_length 6/);
  assert.match((truncate(p, c, { maxLength: 3, truncationMode: 'keep_end' }) as { dropReason: string }).dropReason, /completion \(3 tokens\) alone fills/);
  assert.deepEqual(truncate(p, c, {}), { prompt: p, completions: c, truncated: false });

  const report = newTokenizeReport();
  const long: PairedExample = { kind: 'paired', prompt: 'x'.repeat(20), chosen: 'ab', rejected: 'cd' };
  tokenizePair(long, byteTok, { maxLength: 10 }, report, { file: 'f', line: 1 });
  tokenizePair(long, byteTok, { maxLength: 40 }, report, { file: 'f', line: 2 });
  tokenizePair(long, byteTok, { maxLength: 21 }, report, { file: 'f', line: 3 });
  assert.deepEqual([report.seen, report.kept, report.truncated, report.dropped.length], [3, 1, 0, 2]);
  assert.match(describeTokenizeReport(report).join('\n'), /3 examples: 1 kept, 0 truncated, 2 dropped\n {2}dropped f:1: the prompt \(21 tokens\)/);
});

test('collatePairs: right padding, chosen rows then rejected rows, masks and lengths', () => {
  const pairs = [
    { promptIds: [1, 2], chosenIds: [3, 4, 5], rejectedIds: [6], margin: 1 },
    { promptIds: [7], chosenIds: [8], rejectedIds: [9, 10], margin: 2 },
  ];
  const b = collatePairs(pairs, { padId: 0 });
  assert.equal(b.layout, 'chosen-then-rejected');
  assert.deepEqual([b.pairs, b.rows, b.seqLen], [2, 4, 5]);
  assert.deepEqual([...b.inputIds], [1, 2, 3, 4, 5, 7, 8, 0, 0, 0, 1, 2, 6, 0, 0, 7, 9, 10, 0, 0]);
  assert.deepEqual([...b.attentionMask], [1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0, 1, 1, 1, 0, 0]);
  assert.deepEqual([...b.completionMask], [0, 0, 1, 1, 1, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0]);
  assert.deepEqual([...b.lengths], [5, 2, 3, 3]);
  assert.deepEqual([...b.promptLengths], [2, 1, 2, 1]);
  assert.deepEqual([...b.completionLengths], [3, 1, 1, 2]);
  assert.deepEqual([...(b.margin ?? [])], [1, 2]);
  assert.equal(collatePairs(pairs, { padId: 0, padToMultipleOf: 8 }).seqLen, 8);
  const u = collateUnpaired(
    [tokenizeUnpaired({ kind: 'unpaired', prompt: 'q', completion: 'a', label: false }, byteTok) as never],
    { padId: byteTok.padId },
  );
  assert.deepEqual([...u.inputIds], [BOS, 113, 97, EOS]);
  assert.deepEqual([...u.labels], [0]);
});

test('seeded shuffling is reproducible and differs by seed and epoch; batches keep every index', () => {
  const a = shuffledIndices(100, 42);
  assert.deepEqual([...a], [...shuffledIndices(100, 42)]);
  assert.notDeepEqual([...a], [...shuffledIndices(100, 43)]);
  assert.notDeepEqual([...a], [...shuffledIndices(100, 42, 1)]);
  assert.deepEqual([...a].sort((x, y) => x - y), [...Array(100).keys()]);
  const batches = batchIndices(a, 32);
  assert.deepEqual(batches.map((b) => b.length), [32, 32, 32, 4]);
  assert.equal(batchIndices(a, 32, true).length, 3);
});

test('train/eval split: deterministic, disjoint, and keeps a prompt group on one side', () => {
  const prompts = Array.from({ length: 200 }, (_, i) => `p${Math.floor(i / 3)}`);
  const s1 = splitTrainEval(200, { evalFraction: 0.1, seed: 7, groupKey: (i) => prompts[i] });
  const s2 = splitTrainEval(200, { evalFraction: 0.1, seed: 7, groupKey: (i) => prompts[i] });
  assert.deepEqual(s1, s2);
  assert.equal(s1.train.length + s1.eval.length, 200);
  assert.ok(s1.eval.length >= 20 && s1.eval.length <= 22);
  const evalPrompts = new Set(s1.eval.map((i) => prompts[i]));
  assert.ok(s1.train.every((i) => !evalPrompts.has(prompts[i])));
  assert.throws(() => splitTrainEval(10, { evalFraction: 1.5, seed: 1 }), /evalFraction must be in \(0, 1\)/);
});
