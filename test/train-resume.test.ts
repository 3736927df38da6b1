// Crash safety through the real CLI in child processes: kill -9 in the middle of a run, kill -9 in
// the middle of a checkpoint save, and Ctrl-C (SIGINT); after `--resume` the metric lines equal those
// of an uninterrupted run with the same seed, and no checkpoint folder is ever half-written.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listCheckpoints, readMetricLines, type MetricLine } from '../src/train/index.js';
import { CLI, PAIRS_HELDOUT, PAIRS_TRAIN, removeDir, sameLines, tempDir, withoutTiming } from './fixtures/train/train-fixtures.js';

const root = tempDir('resume');
const configFile = join(root, 'dpo.yaml');
after(() => removeDir(root));

interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs `prefkit train dpo --config dpo.yaml ARGS`; `interrupt` sends a signal once stdout shows a text. */
function cli(args: string[], env: Record<string, string> = {}, interrupt?: { when: string; signal: NodeJS.Signals; afterMs?: number }): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'train', 'dpo', '--config', configFile, ...args], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (interrupt && !sent && stdout.includes(interrupt.when)) {
        sent = true;
        setTimeout(() => child.kill(interrupt.signal), interrupt.afterMs ?? 0);
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

const metrics = (dir: string): MetricLine[] => withoutTiming(readMetricLines(join(dir, 'metrics.jsonl')));
let reference: MetricLine[] = [];

describe('kill, resume, and the same metric lines', () => {
  before(async () => {
    writeFileSync(configFile, [
      'init: {hidden_size: 32, num_hidden_layers: 2, num_attention_heads: 4}', 'tokenizer: byte',
      `train_file: ${PAIRS_TRAIN}`, `eval_file: ${PAIRS_HELDOUT}`, `ref_cache_dir: ${join(root, 'cache')}`,
      'learning_rate: 2.0e-3', 'max_steps: 24', 'per_device_train_batch_size: 8', 'logging_steps: 1', 'eval_steps: 6',
      'save_steps: 5', 'save_total_limit: 3', 'max_length: 128', 'seed: 5', 'lr_scheduler_type: cosine', 'warmup_steps: 3',
    ].join('\n') + '\n');
    const dir = join(root, 'uninterrupted');
    const r = await cli(['--output_dir', dir]);
    assert.equal(r.code, 0, r.stderr);
    reference = metrics(dir);
    assert.equal(reference.filter((l) => 'loss' in l).length, 24);
    assert.equal(reference.filter((l) => 'eval_loss' in l).length, 4);
  });

  test('kill -9 in the middle of a run, then --resume: the same metric lines', async () => {
    const dir = join(root, 'killed');
    const killed = await cli(['--output_dir', dir], { PREFKIT_FAULT_STEP_DELAY_MS: '60' }, { when: '\nstep 13 |', signal: 'SIGKILL' });
    assert.equal(killed.signal, 'SIGKILL');
    assert.ok(!existsSync(join(dir, 'summary.json')), 'the killed run must not have finished');
    const last = listCheckpoints(join(dir, 'checkpoints')).at(-1)!.step;
    assert.ok(last >= 10 && last < 24, `latest checkpoint step-${last}`);
    assert.ok(readMetricLines(join(dir, 'metrics.jsonl')).some((l) => l.step > last), 'the kill should leave lines after the checkpoint');
    const resumed = await cli(['--output_dir', dir, '--resume']);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stdout, new RegExp(`resuming from .*step-${last} at step ${last} \\(dropped \\d+ metric lines written after it\\)`));
    assert.equal(sameLines(reference, metrics(dir)), null);
  });

  test('kill -9 during a checkpoint save leaves no half-written checkpoint; resume still matches', async () => {
    const dir = join(root, 'killed-saving');
    const killed = await cli(['--output_dir', dir], { PREFKIT_FAULT_SAVE_DELAY_MS: '300' }, { when: 'saving checkpoint step-10', signal: 'SIGKILL', afterMs: 150 });
    assert.equal(killed.signal, 'SIGKILL');
    const ck = join(dir, 'checkpoints');
    const names = readdirSync(ck);
    assert.ok(names.some((n) => n.startsWith('.step-10.tmp-')), `expected the unfinished save's temporary folder, found ${names.join(', ')}`);
    assert.ok(!names.includes('step-10'), 'a checkpoint folder appeared before its save finished');
    for (const c of listCheckpoints(ck)) {
      for (const f of ['config.json', 'model.safetensors', 'optimizer.safetensors', 'trainer_state.json', 'training_config.json']) {
        assert.ok(existsSync(join(c.dir, f)), `${c.dir} lacks ${f}`);
      }
    }
    assert.deepEqual(listCheckpoints(ck).map((c) => c.step), [5]);
    const resumed = await cli(['--output_dir', dir, '--resume']);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stdout, /removed \.step-10\.tmp-\S+: a checkpoint save that never finished/);
    assert.equal(sameLines(reference, metrics(dir)), null);
  });

  test('Ctrl-C writes a checkpoint and exits cleanly; resume continues exactly', async () => {
    const dir = join(root, 'ctrl-c');
    const stopped = await cli(['--output_dir', dir], { PREFKIT_FAULT_STEP_DELAY_MS: '25' }, { when: '\nstep 7 |', signal: 'SIGINT' });
    assert.equal(stopped.code, 130, stopped.stderr);
    const m = /saving checkpoint step-(\d+) \(interrupted\)/.exec(stopped.stdout);
    assert.ok(m, stopped.stdout);
    const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'));
    assert.equal(summary.status, 'interrupted');
    assert.equal(summary.global_step, Number(m[1]));
    const resumed = await cli(['--output_dir', dir, '--resume']);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.match(resumed.stdout, new RegExp(`resuming from .*step-${m[1]} at step ${m[1]}`));
    assert.equal(sameLines(reference, metrics(dir)), null);
  });

  test('a config error is one line naming the key, exit code 2', async () => {
    const r = await cli(['--output_dir', join(root, 'bad'), '--lerning_rate', '1']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^prefkit train dpo: unknown key 'lerning_rate' \(--lerning_rate\) for `prefkit train dpo`; did you mean 'learning_rate'\?/);
    assert.ok(!r.stderr.includes('    at '), 'no stack trace');
  });
});
