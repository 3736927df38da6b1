// Checkpoint folders appear whole or not at all, the last K are kept, leftovers of a killed save are
// recognised and removed.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { listCheckpoints, removeStaleTemps, writeCheckpoint, writeFolderAtomic, type CheckpointFiles } from '../src/train/index.js';
import { removeDir, tempDir } from './fixtures/train/train-fixtures.js';

const root = tempDir('ckpt');
after(() => removeDir(root));

const files = (step: number): CheckpointFiles => ({
  writeModel: (dir) => writeFileSync(join(dir, 'model.bin'), `weights ${step}`),
  tensors: { 'optimizer.safetensors': { tensors: { x: { dtype: 'F32', shape: [2], data: Float32Array.of(step, 1) } }, metadata: { step: String(step) } } },
  json: { 'trainer_state.json': { global_step: step } },
});

describe('checkpoints', () => {
  test('the last K complete checkpoints are kept, oldest removed', () => {
    const dir = join(root, 'keep');
    for (const s of [5, 10, 15, 20]) writeCheckpoint(dir, s, files(s), 2);
    assert.deepEqual(listCheckpoints(dir).map((c) => c.step), [15, 20]);
    assert.deepEqual(readdirSync(join(dir, 'step-20')).sort(), ['model.bin', 'optimizer.safetensors', 'trainer_state.json']);
    writeCheckpoint(dir, 20, files(21), null); // rewriting a step replaces it whole
    assert.equal(readFileSync(join(dir, 'step-20', 'model.bin'), 'utf8'), 'weights 21');
    assert.deepEqual(readdirSync(dir).sort(), ['step-15', 'step-20']);
  });

  test('a save that fails part way leaves nothing behind', () => {
    const dir = join(root, 'fail');
    assert.throws(() => writeCheckpoint(dir, 5, { ...files(5), writeModel: () => { throw new Error('disk full'); } }, null), /disk full/);
    assert.deepEqual(readdirSync(dir), []);
    assert.throws(() => writeFolderAtomic(join(root, 'final'), (tmp) => {
      writeFileSync(join(tmp, 'a'), 'x');
      throw new Error('killed');
    }), /killed/);
    assert.ok(!existsSync(join(root, 'final')));
  });

  test('folders of a killed save are not checkpoints and are removed at the next start', () => {
    const dir = join(root, 'stale');
    writeCheckpoint(dir, 5, files(5), null);
    mkdirSync(join(dir, '.step-10.tmp-123-abcd'));
    writeFileSync(join(dir, '.step-10.tmp-123-abcd', 'model.bin'), 'half');
    mkdirSync(join(dir, 'step-15')); // no trainer_state.json: not complete
    assert.deepEqual(listCheckpoints(dir).map((c) => c.step), [5]);
    assert.deepEqual(removeStaleTemps(dir), ['.step-10.tmp-123-abcd']);
    assert.ok(!existsSync(join(dir, '.step-10.tmp-123-abcd')));
  });
});
