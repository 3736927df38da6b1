// `prefkit score`: token log-probs of raw ids match the fixture's expected values; completion sums;
// bad rows give errors naming file:line and the field.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { scoreFile } from '../src/eval/score-file.js';
import { main } from '../src/cli/main.js';
import { fixturePath } from './helpers/paths.js';

const dir = fixturePath('models', 'llama-tiny');
const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8'));

test('score: raw ids rows match expected token log-probs and completion sums', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'prefkit-score-'));
  try {
    const seqs = expected.sequences as { input_ids: number[]; token_logprobs: number[]; completion: { completion_token_indices: number[]; sum_logprob: number } }[];
    const input = join(tmp, 'in.jsonl');
    writeFileSync(input, seqs.map((s) => JSON.stringify({ ids: s.input_ids, completion_start: s.completion.completion_token_indices[0] })).join('\n') + '\n');
    const out = join(tmp, 'out.jsonl');
    const code = await main(['score', '--model', dir, '--data', input, '--out', out]);
    assert.equal(code, 0);
    const rows = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(rows.length, seqs.length);
    rows.forEach((r, i) => {
      const s = seqs[i];
      assert.equal(r.token_logprobs.length, s.input_ids.length - 1);
      r.token_logprobs.forEach((v: number, t: number) => assert.ok(Math.abs(v - s.token_logprobs[t]) < 1e-4));
      assert.ok(Math.abs(r.completion_sum - s.completion.sum_logprob) < 1e-3);
      assert.equal(r.num_completion_tokens, s.completion.completion_token_indices.length);
      assert.ok(Math.abs(r.completion_mean - r.completion_sum / r.num_completion_tokens) < 1e-9);
    });
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('score: a bad row names file:line and the field', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'prefkit-score-'));
  try {
    const input = join(tmp, 'in.jsonl');
    writeFileSync(input, '{"ids": [1, 2, 3]}\n{"ids": [1, 2, 3], "completion_start": 9}\n');
    await assert.rejects(scoreFile(dir, input, join(tmp, 'o.jsonl')), /in\.jsonl:2: field 'completion_start' should be an integer in \[1, 3\], got 9/);
    writeFileSync(input, '{"txt": "hello"}\n');
    await assert.rejects(scoreFile(dir, input, join(tmp, 'o.jsonl')), /in\.jsonl:1: expected a field 'text'.*found fields: txt/);
    writeFileSync(input, '{"ids": [1, 500]}\n');
    await assert.rejects(scoreFile(dir, input, join(tmp, 'o.jsonl')), /token id 500 is outside the model's vocabulary \(96\)/);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
