// Issue 7's "done" check in a real browser: `prefkit eval` on the HH-RLHF harmless test pairs with a
// small DPO-tuned model writes eval.json and report.html; the report (and the report of that DPO run
// and the CHES-filter report)
// open in headless Chromium with no console errors, no exceptions and no network requests, and a
// screenshot shows the rendered charts.
//
// Needs /usr/bin/chromium (Debian/Ubuntu: apt-get install -y chromium; another path via
// PREFKIT_CHROMIUM). Without it the test is skipped, unless CI=true or PREFKIT_REQUIRE_CHROMIUM=1,
// where it fails. PREFKIT_SCREENSHOT=FILE.png also saves the eval report's screenshot there (that is
// how docs/report-screenshot.png is made).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli/main.js';
import { CHROMIUM, checkPage, chromiumAvailable } from './fixtures/eval/headless-chromium.js';
import { writeDpoDemo } from './fixtures/eval/small-models.js';
import { fixturePath } from './helpers/paths.js';

const required = process.env.CI === 'true' || process.env.PREFKIT_REQUIRE_CHROMIUM === '1';
const skip = !chromiumAvailable() && !required ? `${CHROMIUM} not found (apt-get install -y chromium); set PREFKIT_REQUIRE_CHROMIUM=1 to fail instead` : false;

test('eval, run and CHES-filter reports open in headless Chromium without console errors', { skip, timeout: 120000 }, async () => {
  assert.ok(chromiumAvailable(), `${CHROMIUM} is required here (CI or PREFKIT_REQUIRE_CHROMIUM=1): apt-get install -y chromium`);
  const tmp = mkdtempSync(join(tmpdir(), 'prefkit-browser-'));
  try {
    // A small model after 30 DPO steps on 16 HH-RLHF pairs (its reference: the model before them).
    const hh = fixturePath('data', 'hh-rlhf-harmless-test', 'test.jsonl.gz');
    const m = await writeDpoDemo(tmp, hh, { trainPairs: 16, steps: 30, lr: 4e-4 });
    const out = join(tmp, 'eval');
    assert.equal(await main(['eval', '--model', m.policy, '--ref', m.ref, '--reward-model', m.rm, '--data', hh, '--max-pairs', '32',
      '--samples', '16', '--max-new-tokens', '24', '--max-length', '256', '--max-prompt-length', '160', '--skip-bad-rows', '--out', out]), 0);
    const result = JSON.parse(readFileSync(join(out, 'eval.json'), 'utf8'));
    assert.equal(result.data.source, 'hh-rlhf');
    assert.equal(result.data.pairs_evaluated, 32);
    for (const k of ['implicit_reward', 'likelihood_displacement', 'sampled_kl', 'reward_model', 'ches', 'noise', 'preference_strength']) assert.ok(result.metrics[k], k);
    // DPO separated the training pairs' implicit rewards far more than it changed their ranking.
    assert.ok(result.metrics.implicit_reward['rewards/accuracies'] > result.metrics.ranking_accuracy.policy.summed);

    const shot = process.env.PREFKIT_SCREENSHOT ?? join(tmp, 'eval.png');
    const page = await checkPage(join(out, 'report.html'), { screenshot: shot, maxHeight: 2600 });
    assert.deepEqual(page.errors, [], 'console errors');
    assert.deepEqual(page.externalRequests, [], 'network requests');
    assert.equal(page.title, 'prefkit evaluation');
    assert.ok(page.charts >= 12, `charts rendered: ${page.charts}`);
    assert.ok(page.screenshot && page.screenshot.width === 1280 && page.screenshot.height === 2600 && page.screenshot.bytes > 50000, JSON.stringify(page.screenshot));
    assert.ok(existsSync(shot));

    assert.equal(await main(['report', m.run]), 0);
    const runPage = await checkPage(join(m.run, 'report.html'));
    assert.deepEqual([runPage.errors, runPage.externalRequests], [[], []]);
    assert.ok(runPage.charts >= 8, `run report charts: ${runPage.charts}`);
    assert.equal(JSON.parse(readFileSync(join(m.run, 'report.json'), 'utf8')).series['logps/chosen'].length, 30);

    const few = join(tmp, 'hh-40.jsonl');
    writeFileSync(few, gunzipSync(readFileSync(hh)).toString('utf8').split('\n').slice(0, 40).join('\n') + '\n');
    const kept = join(tmp, 'kept.jsonl');
    assert.equal(await main(['data', 'filter-ches', '--model', m.policy, '--data', few, '--out', kept, '--drop-share', '0.2']), 0);
    const chesPage = await checkPage(join(tmp, 'kept.ches.html'));
    assert.deepEqual([chesPage.errors, chesPage.externalRequests], [[], []]);
    assert.equal(chesPage.charts, 1);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});

test('the page checker does see console errors and external requests', { skip, timeout: 60000 }, async () => {
  const tmp = mkdtempSync(join(tmpdir(), 'prefkit-browser-'));
  try {
    const bad = join(tmp, 'bad.html');
    writeFileSync(bad, '<!DOCTYPE html><html><head><title>bad</title><link rel="icon" href="data:,"></head><body><img src="http://127.0.0.1:9/x.png"><script>console.error("boom"); undefinedFunction();</script></body></html>');
    const page = await checkPage(bad);
    assert.ok(page.errors.some((e) => e.includes('boom')), JSON.stringify(page.errors));
    assert.ok(page.errors.some((e) => e.includes('undefinedFunction')), JSON.stringify(page.errors));
    assert.ok(page.externalRequests.some((u) => u.startsWith('http://127.0.0.1:9/')), JSON.stringify(page.externalRequests));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
