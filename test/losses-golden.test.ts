// Golden values: every case of test/fixtures/golden/losses.json (an independent float64 implementation,
// cross-checked against TRL 0.28) goes through the registry and autograd within 1e-4 rel + 1e-5 abs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkGolden, isLossName, parseGoldenFile } from '../src/losses/index.js';
import { lossCommands } from '../src/cli/commands/loss.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const file = join(root, 'test', 'fixtures', 'golden', 'losses.json');
const cases = parseGoldenFile(readFileSync(file, 'utf8'), file);

test('the golden file has every case of the README and names only registered losses', () => {
  assert.equal(cases.length, 25);
  for (const c of cases) assert.ok(isLossName(c.name), `golden case names unknown loss ${c.name}`);
});

for (const dtype of ['float32', 'float64'] as const) {
  test(`every golden case passes in ${dtype} (loss, per-example losses, rewards, gradients)`, () => {
    const { results, pass } = checkGolden(cases, { dtype });
    const bad = results.filter((r) => !r.pass).map((r) => `#${r.index} ${r.name}: ${r.error ?? `${r.worstTolRatio} x tol at ${r.worstAt}`}`);
    assert.ok(pass, bad.join('\n'));
    for (const r of results) {
      assert.ok(r.fields.includes('loss') && r.fields.includes('losses'), `case ${r.index} compared ${r.fields}`);
      assert.ok(r.fields.some((f) => f.startsWith('grad_')), `case ${r.index} compared no gradient`);
    }
    if (dtype === 'float64') assert.ok(Math.max(...results.map((r) => r.worstRel)) < 1e-9);
  });
}

async function runCheck(args: string[]): Promise<{ code: number; out: string }> {
  const cmd = lossCommands.find((c) => c.name === 'loss check')!;
  const lines: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => { lines.push(a.join(' ')); };
  try {
    return { code: await cmd.run(args), out: lines.join('\n') };
  } finally {
    console.log = log;
  }
}

test('prefkit loss check passes on the golden file and prints the worst errors per case', async () => {
  const { code, out } = await runCheck([file]);
  assert.equal(code, 0, out);
  assert.match(out, /25\/25 cases within 1e-4 relative \+ 1e-5 absolute/);
  assert.match(out, /worst abs .* worst rel/);
  const json = await runCheck([file, '--json']);
  const doc = JSON.parse(json.out) as { pass: boolean; cases: { worstAbs: number; worstRel: number }[] };
  assert.equal(doc.pass, true);
  assert.equal(doc.cases.length, 25);
});

test('prefkit loss check exits 1 on a perturbed golden value and names the case', async () => {
  const data = JSON.parse(readFileSync(file, 'utf8')) as { cases: { outputs: { losses: number[] } }[] };
  data.cases[3].outputs.losses[2] *= 1.001;
  const dir = mkdtempSync(join(tmpdir(), 'prefkit-golden-'));
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify(data));
  const { code, out } = await runCheck([bad]);
  assert.equal(code, 1);
  assert.match(out, /FAIL #3 nca_pair .*losses\[2\]/);
  assert.match(out, /24\/25 cases/);
});

test('a golden case with an unknown loss fails with the list of valid names, without crashing', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'prefkit-golden-'));
  const bad = join(dir, 'unknown.json');
  writeFileSync(bad, JSON.stringify({ cases: [{ name: 'sigmoidd', options: {}, inputs: {}, outputs: { loss: 0 } }] }));
  const { code, out } = await runCheck([bad]);
  assert.equal(code, 1);
  assert.match(out, /unknown loss "sigmoidd"; expected one of: sigmoid, hinge/);
});
