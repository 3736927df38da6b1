// Real, messy text: the HH-RLHF harmless test pairs (test/fixtures/data) train a reward model and a
// DPO policy end to end on a small from-scratch byte-level model, with the 4 rows that have an empty
// response reported and skipped, long dialogues truncated (keep_end) and nothing dropped silently.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { readMetricLines, runTraining } from '../src/train/index.js';
import { HH_RLHF, removeDir, tempDir, tinyConfig } from './fixtures/train/train-fixtures.js';

const root = tempDir('hh');
after(() => removeDir(root));

const hh = {
  train_file: HH_RLHF, skip_bad_rows: true, eval_split: 0.05, max_length: 128, max_prompt_length: 64, max_completion_length: 64,
  per_device_train_batch_size: 4, max_steps: 6, eval_steps: 3, logging_steps: 2, learning_rate: 1e-3,
};

describe('HH-RLHF end to end', () => {
  for (const command of ['rm', 'dpo'] as const) {
    test(`${command} on HH-RLHF harmless pairs`, async () => {
      const dir = join(root, command);
      const logs: string[] = [];
      const s = await runTraining(tinyConfig(command, dir, hh), { log: (l) => logs.push(l) });
      assert.equal(s.status, 'completed');
      assert.match(logs.join('\n'), /2312 records -> 2308 examples \(hh-rlhf\), 4 bad rows skipped/);
      assert.equal(logs.filter((l) => l.includes('skipped ') && l.includes('expected a non-empty response')).length, 4);
      assert.match(logs.join('\n'), /train: tokenized 21\d\d examples: 21\d\d kept, \d+ truncated, 0 dropped/);
      assert.equal(s.train_examples + s.eval_examples, 2308);
      const lines = readMetricLines(join(dir, 'metrics.jsonl'));
      assert.equal(lines.filter((l) => 'loss' in l).length, 3);
      assert.equal(lines.filter((l) => 'eval_loss' in l).length, 2);
      for (const l of lines) for (const [k, v] of Object.entries(l)) assert.ok(Number.isFinite(v), `${k} = ${v} at step ${l.step}`);
      if (command === 'dpo') assert.deepEqual((s.reference.cache as { rows: number }[]).map((c) => c.rows), [2 * s.train_examples, 2 * s.eval_examples]);
    });
  }
});
