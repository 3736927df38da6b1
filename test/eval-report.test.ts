// Reports: `prefkit report RUN_DIR` on a running and a finished run folder (fixtures), tolerance of
// partial and malformed metric lines, and the HTML being self-contained (no network, no scripts
// that run, numbers embedded as JSON that cannot break out of its element).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli/main.js';
import { evalReportHtml, readRunFolder, summarizeEvaluation, type EvalResult, type PairLogps } from '../src/eval/index.js';
import { fixturePath } from './helpers/paths.js';

function copyRun(name: string): { dir: string; cleanup: () => void } {
  const tmp = mkdtempSync(join(tmpdir(), 'prefkit-run-'));
  const dir = join(tmp, name);
  cpSync(fixturePath('eval', name), dir, { recursive: true });
  return { dir, cleanup: () => rmSync(tmp, { recursive: true, force: true }) };
}

/** The page loads nothing from anywhere and runs no script. */
function assertSelfContained(html: string): void {
  const urls = [...html.matchAll(/(?:https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}[^\s"'<>)]*/gi)].map((m) => m[0]).filter((u) => u !== 'http://www.w3.org/2000/svg');
  assert.deepEqual(urls, [], 'no URLs other than the SVG namespace');
  assert.doesNotMatch(html, /<script(?![^>]*type="application\/json")/i, 'only JSON data blocks, no executable scripts');
  assert.doesNotMatch(html, /<link[^>]+stylesheet|@import|url\(/i);
  assert.doesNotMatch(html, /<img|<iframe|<object|<embed/i);
  assert.match(html, /^<!DOCTYPE html>/);
}

function embedded(html: string): Record<string, unknown> {
  const m = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  assert.ok(m, 'embedded JSON');
  return JSON.parse(m[1]);
}

test('report on a running DPO run: partial last line tolerated, curves and trajectories drawn', async () => {
  const run = copyRun('run-dpo-running');
  try {
    const f = readRunFolder(run.dir);
    assert.equal(f.status, 'running');
    assert.equal(f.command, 'dpo');
    assert.equal(f.partialLastLine, true);
    assert.deepEqual(f.badLines, []);
    assert.equal(f.train.length, 48);
    assert.equal(f.evals.length, 3);
    assert.equal(f.evals[0].step, 16);

    assert.equal(await main(['report', run.dir]), 0);
    const html = readFileSync(join(run.dir, 'report.html'), 'utf8');
    const json = JSON.parse(readFileSync(join(run.dir, 'report.json'), 'utf8'));
    assertSelfContained(html);
    assert.equal(json.status, 'running');
    assert.equal(json.last_step, 48);
    assert.equal(json.series['logps/chosen'].length, 48);
    assert.equal(json.series['eval_rewards/margins'].length, 3);
    assert.deepEqual(json.series['loss'][0], [1, JSON.parse(readFileSync(join(run.dir, 'metrics.jsonl'), 'utf8').split('\n')[0]).loss]);
    assert.deepEqual(embedded(html).series, json.series);
    for (const title of ['Loss', 'Implicit rewards', 'Reward accuracy', 'Chosen / rejected log-prob trajectories', 'Learning rate', 'Gradient norm', 'Reward vs KL over training']) {
      assert.ok(html.includes(`aria-label="${title}"`), title);
    }
    assert.ok((html.match(/<path d="M/g) ?? []).length >= 12, 'curves drawn');
    assert.match(html, /this run logs no KL/);
  } finally {
    run.cleanup();
  }
});

test('report on a finished KTO run: summary shown, reward vs KL from the logged kl', async () => {
  const run = copyRun('run-kto-finished');
  try {
    assert.equal(await main(['report', run.dir]), 0);
    const json = JSON.parse(readFileSync(join(run.dir, 'report.json'), 'utf8'));
    assert.equal(json.status, 'finished');
    assert.equal(json.command, 'kto');
    assert.equal(json.summary.steps, 40);
    assert.equal(json.reward_vs_kl.kl_key, 'kl');
    assert.equal(json.reward_vs_kl.points.length, 40);
    const html = readFileSync(join(run.dir, 'report.html'), 'utf8');
    assertSelfContained(html);
    assert.match(html, /train_runtime_s/);
  } finally {
    run.cleanup();
  }
});

test('report lists malformed metric lines by number and reads Python NaN/Infinity', async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'prefkit-run-'));
  try {
    writeFileSync(join(tmp, 'metrics.jsonl'), ['{"step": 1, "loss": 0.7}', 'oops', '{"step": 2, "loss": NaN, "grad_norm": Infinity}', '[1, 2]', '{"step": 3, "loss": 0.5}', ''].join('\n'));
    const f = readRunFolder(tmp);
    assert.deepEqual(f.badLines.map((b) => b.line), [2, 4]);
    assert.equal(f.partialLastLine, false);
    assert.equal(f.train.length, 3);
    assert.ok(Number.isNaN(f.train[1].loss) && f.train[1].grad_norm === Infinity);
    assert.equal(f.config, null);
    assert.equal(await main(['report', tmp]), 0);
    assert.match(readFileSync(join(tmp, 'report.html'), 'utf8'), /metrics\.jsonl:2: not valid JSON/);
    assert.equal(await main(['report', join(tmp, 'missing')]), 1);
    assert.equal(await main(['report']), 2);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('eval report: every section renders, text cannot break out of the page, NaN becomes null', () => {
  const pairs: PairLogps[] = [
    { policyChosen: -4, policyRejected: -6, chosenTokens: 2, rejectedTokens: 4, refChosen: -5, refRejected: -4 },
    { policyChosen: -3, policyRejected: -2, chosenTokens: 1, rejectedTokens: 4, refChosen: -3, refRejected: -3.5 },
  ];
  const summary = summarizeEvaluation({
    pairs, beta: 0.1, alpha: 0.75, ches: [{ ches: 1, ln_ches: 0.1 }, { ches: -2, ln_ches: -0.3 }],
    rewards: [{ chosen: [1, 0], rejected: [0, 1] }], samples: [{ policy: -3, ref: -4, tokens: 3 }],
    sampleRewards: { policy: [1], reference: [0] }, groups: [{ logps: [-1, -2, -3], tokens: [1, 1, 1], scores: [3, 2, 1] }],
  });
  const evil = '</script><script>alert(1)</script>';
  const result: EvalResult = {
    kind: 'prefkit-eval', version: 1, created: '2025-01-01T00:00:00Z',
    settings: { model: 'm', ref: 'r', reward_models: ['rm'], beta: 0.1, alpha: 0.75 },
    data: { file: 'd.jsonl', records: 2, pairs_read: 2, pairs_evaluated: 2, rows: 4, groups: 1, ties_left_out: 0, truncated_prompts: 0, truncated_completions: 0, dropped: [], bad_rows: [] },
    pair_positions: ['d.jsonl:1', 'd.jsonl:2'],
    ...summary,
    samples: [{ prompt: evil, policy_completion: `<b>${evil}`, policy_logp: -3, ref_logp: -4, tokens: 3, finish: 'eos', policy_reward: 1, reference_completion: 'x', reference_reward: 0 }],
    timings_s: { read: 0.1 },
  };
  const html = evalReportHtml(result);
  assertSelfContained(html);
  assert.ok(!html.includes('<script>alert'), 'sample text is escaped');
  for (const id of ['ranking', 'margins', 'displacement', 'kl', 'ches', 'noise', 'calibration', 'samples', 'numbers']) assert.ok(html.includes(`<section id="${id}">`), id);
  assert.ok((html.match(/<svg /g) ?? []).length >= 12);
  const data = embedded(html) as { metrics: { calibration: { per_group: unknown[] } } };
  assert.equal(data.metrics.calibration.per_group.length, 1);
  // A report without a reference still renders, saying what is missing.
  const bare = evalReportHtml({ ...result, ...summarizeEvaluation({ pairs: pairs.map(({ refChosen: _c, refRejected: _r, ...p }) => p), beta: 0.1, alpha: 0.75 }), samples: [] });
  assertSelfContained(bare);
  assert.match(bare, /needs a reference model/);
});
