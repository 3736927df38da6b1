// Reference log-probs are computed once and cached on disk: a second run over the same model, data and
// tokenization reuses them (and says so in the log and summary.json) with the same metrics; a change of
// model, data or max_length invalidates the entry and the log says which. The frozen reference (a copy
// in memory) gives the same numbers as the cache.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readMetricLines, runTraining, type RunSummary } from '../src/train/index.js';
import { removeDir, sameLines, tempDir, tinyConfig, withoutTiming } from './fixtures/train/train-fixtures.js';

const root = tempDir('refcache');
after(() => removeDir(root));
const cacheDir = join(root, 'cache');

async function run(name: string, extra: Record<string, unknown> = {}): Promise<{ summary: RunSummary; logs: string[]; dir: string }> {
  const dir = join(root, name);
  const logs: string[] = [];
  const summary = await runTraining(tinyConfig('dpo', dir, { max_steps: 4, ref_cache_dir: cacheDir, ...extra }), { log: (l) => logs.push(l) });
  return { summary, logs, dir };
}

const statuses = (s: RunSummary) => (s.reference.cache as { status: string }[]).map((c) => c.status);
const lines = (dir: string) => withoutTiming(readMetricLines(join(dir, 'metrics.jsonl')));

describe('reference log-prob cache', () => {
  test('the second run over the same model and data reuses the cache', async () => {
    const first = await run('first');
    assert.deepEqual(statuses(first.summary), ['computed']);
    const second = await run('second');
    assert.deepEqual(statuses(second.summary), ['hit']);
    assert.ok(second.logs.some((l) => /reference log-probs \(train\): reused cache .*ref-logps-[0-9a-f]+\.safetensors — 96 rows, no reference forward pass/.test(l)), second.logs.join('\n'));
    assert.equal(sameLines(lines(first.dir), lines(second.dir)), null);
    assert.equal(readdirSync(cacheDir).filter((f) => f.endsWith('.safetensors')).length, 1);
  });

  test('a change of max_length, model or data invalidates it, and the log says what changed', async () => {
    const longer = await run('max-length', { max_length: 96 });
    assert.deepEqual(statuses(longer.summary), ['computed']);
    assert.ok(longer.logs.some((l) => /cache miss: max_length changed from 128 to 96/.test(l)), longer.logs.join('\n'));
    const model = await run('model', { init: { hidden_size: 32, num_hidden_layers: 2, num_attention_heads: 4, initializer_range: 0.03 } });
    assert.deepEqual(statuses(model.summary), ['computed']);
    assert.ok(model.logs.some((l) => /cache miss: the reference model weights changed/.test(l)), model.logs.join('\n'));
    const data = await run('data', { max_examples: 40 });
    assert.deepEqual(statuses(data.summary), ['computed']);
    assert.ok(data.logs.some((l) => /cache miss: max_examples changed from null to 40/.test(l)), data.logs.join('\n'));
  });

  test('a frozen reference in memory gives the same metrics as the cache; reference-free losses need none', async () => {
    const frozen = await run('frozen', { reference: 'frozen' });
    assert.deepEqual(frozen.summary.reference, { mode: 'frozen', cache: [] });
    assert.equal(sameLines(lines(join(root, 'first')), lines(frozen.dir)), null);
    const simpo = await run('simpo', { loss_type: 'simpo' });
    assert.deepEqual(simpo.summary.reference, { mode: 'none', cache: [] });
  });
});
