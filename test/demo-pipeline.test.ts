// `prefkit demo` end to end on a miniature config: every file written, the numbers finite, the claims
// judged, and a second run with the same seed giving the same results (timings aside).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspectFile } from '../src/data/index.js';
import { CHROMIUM, checkPage, chromiumAvailable } from './fixtures/eval/headless-chromium.js';
import { DemoConfigError, resolveDemoConfig, resultsTable, runDemo, summaryText, type DemoResults } from '../src/demo/index.js';

const MINI = {
  model: { hidden_size: 32, num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 64 },
  sft: { steps: 40, batch_size: 8, seq_len: 64, learning_rate: 3e-3, warmup_steps: 4 },
  sampling: { pair_prompts: 48, eval_prompts: 16, samples_per_prompt: 4, eval_samples_per_prompt: 2, max_new_tokens: 24, batch_rows: 96 },
  preference: {
    epochs: 1, batch_size: 8,
    methods: [
      { name: 'DPO', loss_type: 'sigmoid', beta: 0.1 },
      { name: 'DPO', loss_type: 'sigmoid', beta: 0.5 },
      { name: 'cDPO', loss_type: 'sigmoid', beta: 0.1, label_smoothing: 0.3 },
      { name: 'rDPO', loss_type: 'robust', beta: 0.1, label_smoothing: 0.3 },
    ],
  },
  eval: { bootstrap_resamples: 100 },
};

function withoutTimings(file: string): unknown {
  const r = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  delete r.timings;
  return r;
}

test('config: presets resolve; unknown keys and wrong types are errors naming the key', () => {
  for (const p of ['quick', 'default', 'full'] as const) assert.ok(resolveDemoConfig(p).preference.methods.length >= 4);
  assert.throws(() => resolveDemoConfig('default', { sft: { stepz: 3 } }), (e: Error) => e instanceof DemoConfigError && /sft/.test(e.message) && /stepz/.test(e.message));
  assert.throws(() => resolveDemoConfig('default', { sampling: { eval_prompts: 'many' } }), /sampling\.eval_prompts/);
  assert.throws(() => resolveDemoConfig('default', { pairs: { flip_fraction: 0.6 } }), /pairs\.flip_fraction/);
  assert.throws(() => resolveDemoConfig('default', { model: { hidden_size: 30, num_attention_heads: 4 } }), /hidden_size/);
  assert.equal(resolveDemoConfig('quick', { seed: 9 }).seed, 9);
});

test('miniature demo: files, finite numbers, claims, and the same numbers from the same seed', async () => {
  const root = mkdtempSync(join(tmpdir(), 'prefkit-demo-'));
  try {
    const cfg = resolveDemoConfig('quick', MINI);
    const a = await runDemo(cfg, { outDir: join(root, 'a'), preset: 'mini' });
    for (const f of ['results.json', 'report.html', 'pairs.jsonl', 'pairs-noisy.jsonl', 'pairs-eval.jsonl', 'samples.jsonl', 'reference/config.json', 'reference/model.safetensors']) {
      assert.ok(existsSync(join(root, 'a', f)), `${f} written`);
    }
    assert.equal(a.runs.length, 8);
    const finite = (x: number, what: string) => assert.ok(Number.isFinite(x), `${what} = ${x}`);
    for (const r of [{ label: 'reference', metrics: a.reference.metrics }, ...a.runs]) {
      finite(r.metrics.reward.mean, `${r.label} reward`);
      finite(r.metrics.kl.k1, `${r.label} KL`);
      finite(r.metrics.winRate.estimate, `${r.label} win rate`);
    }
    assert.equal(a.reference.metrics.kl.k1, 0, 'the reference has zero KL to itself');
    assert.equal(a.data.flipped, Math.round(0.3 * a.data.pairs.pairs));
    assert.deepEqual(a.claims.map((c) => c.id), ['dpo-raises-reward', 'beta-limits-kl', 'robust-under-noise']);
    for (const c of a.claims) assert.ok(['held', 'partly held', 'inconclusive', 'did not hold', 'not tested'].includes(c.verdict) && c.evidence.length > 0);
    const pairs = await inspectFile(join(root, 'a', 'pairs.jsonl'));
    assert.equal(pairs.kind, 'paired');
    assert.equal(pairs.examples, a.data.pairs.pairs);
    assert.equal(pairs.badRows, 0);
    const html = readFileSync(join(root, 'a', 'report.html'), 'utf8');
    assert.ok(html.includes('<svg') && html.includes('Reward–KL frontier') && !/<script(?! type="application\/json")/.test(html));
    if (chromiumAvailable()) {
      // The page renders in a browser without errors, loads nothing from anywhere, and shows its charts.
      const page = await checkPage(join(root, 'a', 'report.html'));
      assert.deepEqual(page.errors, []);
      assert.deepEqual(page.externalRequests, []);
      assert.ok(page.charts >= 7, `${page.charts} charts`);
    } else {
      console.log(`# skipped the browser check: no Chromium at ${CHROMIUM}`);
    }
    const table = resultsTable(a);
    assert.equal(table.split('\n').length, 2 + 1 + a.runs.length);
    assert.match(summaryText(a), /Claims:/);

    const b: DemoResults = await runDemo(cfg, { outDir: join(root, 'b'), preset: 'mini' });
    assert.equal(resultsTable(b), table);
    const strip = (x: unknown) => JSON.parse(JSON.stringify(x).replaceAll(join(root, 'b'), join(root, 'a')));
    assert.deepEqual(strip(withoutTimings(join(root, 'b', 'results.json'))), withoutTimings(join(root, 'a', 'results.json')));
    assert.equal(readFileSync(join(root, 'b', 'pairs.jsonl'), 'utf8'), readFileSync(join(root, 'a', 'pairs.jsonl'), 'utf8'));
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});
