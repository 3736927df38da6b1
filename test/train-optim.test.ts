// Schedules, clipping, optimizer state round trips and the seeded loader: the pieces exact resume
// rests on.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as T from '../src/tensor/index.js';
import { learningRateAt, warmupStepsOf } from '../src/optim/schedule.js';
import { clipGradNorm, globalGradNorm } from '../src/optim/clip.js';
import { createAdamW } from '../src/optim/optimizer.js';
import { createLoader } from '../src/train/index.js';

const close = (a: number, b: number, tol = 1e-12) => assert.ok(Math.abs(a - b) <= tol, `${a} vs ${b}`);

describe('learning-rate schedules', () => {
  const base = { lr: 1, warmupSteps: 10, totalSteps: 110 };
  test('linear: warmup from 0, then down to 0 at the end (HF get_linear_schedule_with_warmup)', () => {
    close(learningRateAt(0, { ...base, name: 'linear' }), 0);
    close(learningRateAt(5, { ...base, name: 'linear' }), 0.5);
    close(learningRateAt(10, { ...base, name: 'linear' }), 1);
    close(learningRateAt(60, { ...base, name: 'linear' }), 0.5);
    close(learningRateAt(110, { ...base, name: 'linear' }), 0);
  });
  test('cosine: half way through the decay is half the rate; min_lr_ratio is a floor', () => {
    close(learningRateAt(60, { ...base, name: 'cosine' }), 0.5);
    close(learningRateAt(110, { ...base, name: 'cosine' }), 0);
    close(learningRateAt(110, { ...base, name: 'cosine', minLrRatio: 0.1 }), 0.1);
  });
  test('constant ignores warmup; constant_with_warmup warms up then holds', () => {
    close(learningRateAt(0, { ...base, name: 'constant' }), 1);
    close(learningRateAt(5, { ...base, name: 'constant_with_warmup' }), 0.5);
    close(learningRateAt(100, { ...base, name: 'constant_with_warmup' }), 1);
  });
  test('warmup steps win over the ratio', () => {
    assert.equal(warmupStepsOf(3, 0.5, 100), 3);
    assert.equal(warmupStepsOf(0, 0.1, 95), 10);
  });
});

describe('gradient clipping', () => {
  const params = (): [string, T.Tensor][] => {
    const a = T.tensor([1, 2], [2], { requiresGrad: true });
    const b = T.tensor([3], [1], { requiresGrad: true });
    a.grad = T.tensor([3, 0], [2]);
    b.grad = T.tensor([4], [1]);
    return [['a', a], ['b', b]];
  };
  test('scales the global norm down to the maximum and returns the norm before clipping', () => {
    const named = params();
    close(clipGradNorm(named, 1), 5);
    close(globalGradNorm(named), 1, 1e-5);
  });
  test('leaves small gradients (and max 0 = off) unchanged', () => {
    const named = params();
    close(clipGradNorm(named, 10), 5);
    close(clipGradNorm(named, 0), 5);
    assert.deepEqual(Array.from(named[1][1].grad!.data), [4]);
  });
});

describe('optimizer state', () => {
  test('exported and imported AdamW state continues exactly like the original', () => {
    const make = (): [string, T.Tensor][] => [['w', T.tensor([0.5, -1, 2, 0.25], [2, 2], { requiresGrad: true })], ['b', T.tensor([0.1, 0.2], [2], { requiresGrad: true })]];
    const grads = (k: number) => [T.tensor([k, -k, 0.5, 1], [2, 2]), T.tensor([0.1 * k, -0.2], [2])];
    const a = make();
    const optA = createAdamW(a, { weightDecay: 0.1 });
    for (let k = 1; k <= 3; k++) {
      a.forEach(([, p], i) => (p.grad = grads(k)[i]));
      optA.update(1e-2);
    }
    const saved = optA.exportState();
    const b = make();
    b.forEach(([, p], i) => (p.data as Float32Array).set(a[i][1].data));
    const optB = createAdamW(b, { weightDecay: 0.1 });
    optB.importState(saved);
    assert.equal(optB.steps, 3);
    for (const [named, opt] of [[a, optA], [b, optB]] as const) {
      named.forEach(([, p], i) => (p.grad = grads(4)[i]));
      opt.update(1e-2);
    }
    a.forEach(([, p], i) => assert.deepEqual(Array.from(p.data), Array.from(b[i][1].data)));
    assert.throws(() => createAdamW([['other', T.tensor([1], [1], { requiresGrad: true })]]).importState(saved), /missing 'exp_avg\.other'/);
  });
});

describe('loader', () => {
  const loader = (seed = 3) => createLoader({ size: 10, batchSize: 4, seed, make: (idx) => Array.from(idx) });
  test('a seeded order per epoch, every example once per epoch, the last short batch kept', () => {
    const l = loader();
    assert.equal(l.batchesPerEpoch, 3);
    const epoch0 = [l.next(), l.next(), l.next()];
    assert.deepEqual(epoch0.map((b) => b.length), [4, 4, 2]);
    assert.deepEqual(epoch0.flat().sort((x, y) => x - y), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const epoch1 = [l.next(), l.next(), l.next()].flat();
    assert.notDeepEqual(epoch1, epoch0.flat());
    assert.deepEqual(loader().next(), epoch0[0]);
    assert.notDeepEqual(loader(4).next(), epoch0[0]);
  });
  test('seek to a saved position gives the same batches as continuing', () => {
    const a = loader();
    for (let i = 0; i < 4; i++) a.next();
    const pos = a.position();
    assert.deepEqual(pos, { epoch: 1, batch: 1 });
    const rest = [a.next(), a.next(), a.next()];
    const b = loader();
    b.seek(pos);
    assert.deepEqual([b.next(), b.next(), b.next()], rest);
  });
});
