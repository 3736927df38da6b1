import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dataCommands } from '../src/cli/commands/data.js';
import { UsageError, usageText } from '../src/cli/command.js';

const fixtures = fileURLToPath(new URL('../../test/fixtures/data/', import.meta.url));
const HH = join(fixtures, 'hh-rlhf-harmless-test', 'test.jsonl.gz');
const dir = mkdtempSync(join(tmpdir(), 'prefkit-cli-'));

async function run(name: string, argv: string[]): Promise<{ code: number; out: string }> {
  const cmd = dataCommands.find((c) => c.name === `data ${name}`);
  assert.ok(cmd);
  const lines: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => lines.push(a.join(' '));
  try {
    const code = await cmd.run(argv);
    return { code, out: lines.join('\n') };
  } finally {
    console.log = log;
  }
}

test('the three commands are exported with usage text', async () => {
  assert.deepEqual(dataCommands.map((c) => c.name), ['data inspect', 'data validate', 'data convert']);
  for (const c of dataCommands) assert.match(await usageText(c), /^usage: prefkit data /);
});

test('data inspect --json and text output', async () => {
  const { code, out } = await run('inspect', [HH, '--json', '--allow-empty']);
  assert.equal(code, 0);
  const r = JSON.parse(out);
  assert.equal(r.source, 'hh-rlhf');
  assert.equal(r.examples, 2312);
  assert.equal(r.lengths.prompt.count, 2312);
  const text = await run('inspect', [HH, '--max-listed', '1', '--tokenizer', join(fixtures, 'tiny-tokenizer')]);
  assert.match(text.out, /JSON Lines, gzip/);
  assert.match(text.out, /length of chosen \(tokens\)/);
  assert.match(text.out, /errors \(4 in 4 rows\):\n.*:87: field "chosen"/);
  assert.match(text.out, /\.\.\. and 3 more/);
});

test('data validate: exit 0 when valid, 1 with bad rows, 0 with --skip-bad-rows (rows still listed)', async () => {
  const good = join(dir, 'good.jsonl');
  writeFileSync(good, '{"prompt": "q", "chosen": "a", "rejected": "b"}\n');
  assert.equal((await run('validate', [good])).code, 0);
  const bad = join(dir, 'bad.jsonl');
  writeFileSync(bad, '{"prompt": "q", "chosen": "a", "rejected": "b"}\n{"prompt": "q", "chosen": "a"}\n');
  const r = await run('validate', [bad]);
  assert.equal(r.code, 1);
  assert.match(r.out, /bad\.jsonl:2: field "rejected": expected a string/);
  assert.match(r.out, /invalid$/);
  const s = await run('validate', [bad, '--skip-bad-rows']);
  assert.equal(s.code, 0);
  assert.match(s.out, /1 bad rows would be skipped/);
});

test('data convert: HH-RLHF with --allow-empty writes 2,312 pairs; a failed run leaves no output', async () => {
  const out = join(dir, 'hh.jsonl');
  const r = await run('convert', [HH, out, '--allow-empty']);
  assert.equal(r.code, 0);
  assert.match(r.out, /wrote .*hh\.jsonl: 2312 records \(--to explicit\)/);
  const failed = join(dir, 'hh-strict.jsonl');
  await assert.rejects(run('convert', [HH, failed]), /:87: field "chosen"/);
  assert.equal(existsSync(failed), false);
  assert.equal(existsSync(`${failed}.partial`), false);
});

test('usage errors name the option and the accepted values', async () => {
  await assert.rejects(run('convert', [HH, join(dir, 'x.jsonl'), '--to', 'pears']), (e: unknown) => e instanceof UsageError && /--to: expected one of auto, explicit, pairs, unpaired, same, got 'pears'/.test(e.message));
  await assert.rejects(run('inspect', []), (e: unknown) => e instanceof UsageError && /expected FILE, got nothing/.test(e.message));
  await assert.rejects(run('validate', [HH, '--from', 'csv']), /--from: expected one of auto, trl, hh-rlhf, finegrained-qa/);
  await assert.rejects(run('convert', [HH, join(dir, 'x.parquet')]), /writing Parquet is not supported/);
});
