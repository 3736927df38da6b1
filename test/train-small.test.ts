// The engine trains real models: an MLP and a 2-layer transformer learn on both backends, with the
// same loss curves (float32 tolerance) for the first steps.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as T from '../src/tensor/index.js';
import { namedParams, zeroGrad } from '../src/nn/params.js';
import { adamwInit, adamwUpdate } from '../src/optim/adamw.js';
import { createMlp, createTinyTransformer, mlpForward, transformerLoss } from './helpers/tiny-models.js';

function mlpData(seed: number): { x: T.Tensor; y: T.Tensor } {
  const rng = new T.Rng(seed);
  const x = T.randn([64, 4], { rng });
  // Target: a smooth nonlinear function of the inputs.
  const y = T.tensor(Array.from({ length: 64 }, (_, i) => Math.sin(x.data[i * 4]) + x.data[i * 4 + 1] * x.data[i * 4 + 2]), [64, 1]);
  return { x, y };
}

function trainMlp(backendName: T.BackendName, steps: number): number[] {
  return T.withBackend(backendName, () => {
    const model = createMlp(4, 32, 1, 7);
    const named = namedParams(model);
    const opt = adamwInit(named);
    const { x, y } = mlpData(3);
    const losses: number[] = [];
    for (let s = 0; s < steps; s++) {
      zeroGrad(model);
      const loss = T.mean(T.square(T.sub(mlpForward(model, x), y)));
      loss.backward();
      adamwUpdate(opt, named, { lr: 1e-2, weightDecay: 0.01 });
      losses.push(loss.item());
    }
    return losses;
  });
}

function trainTransformer(backendName: T.BackendName, steps: number): { losses: number[]; changed: boolean } {
  return T.withBackend(backendName, () => {
    const model = createTinyTransformer(11);
    const named = namedParams(model);
    const before = named.map(([, p]) => p.data.slice());
    const opt = adamwInit(named);
    // A learnable pattern: each row counts up modulo the vocabulary from a random start.
    const rng = new T.Rng(5);
    const B = 4;
    const Tlen = 12;
    const ids = new Int32Array(B * Tlen);
    for (let b = 0; b < B; b++) {
      const start = rng.int(32);
      for (let t = 0; t < Tlen; t++) ids[b * Tlen + t] = (start + 3 * t) % 32;
    }
    const losses: number[] = [];
    for (let s = 0; s < steps; s++) {
      zeroGrad(model);
      const loss = transformerLoss(model, ids, B, Tlen);
      loss.backward();
      adamwUpdate(opt, named, { lr: 1e-2 });
      losses.push(loss.item());
    }
    const changed = named.every(([, p], i) => p.data.some((v, j) => v !== before[i][j]));
    return { losses, changed };
  });
}

describe('training small models', () => {
  for (const name of T.BACKEND_NAMES) {
    test(`MLP loss falls (${name})`, () => {
      const losses = trainMlp(name, 150);
      assert.ok(losses[149] < 0.2 * losses[0], `loss ${losses[0]} -> ${losses[149]}`);
    });
    test(`2-layer transformer loss falls and every parameter changes (${name})`, () => {
      const { losses, changed } = trainTransformer(name, 60);
      assert.ok(losses[59] < 0.5 * losses[0], `loss ${losses[0]} -> ${losses[59]}`);
      assert.ok(changed, 'some parameter did not change');
    });
  }

  test('native and reference give the same loss curves for the first steps', () => {
    const a = trainMlp('native', 10);
    const b = trainMlp('reference', 10);
    a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) <= 1e-4 * Math.abs(b[i]) + 1e-5, `MLP step ${i}: ${v} vs ${b[i]}`));
    const ta = trainTransformer('native', 10).losses;
    const tb = trainTransformer('reference', 10).losses;
    ta.forEach((v, i) => assert.ok(Math.abs(v - tb[i]) <= 1e-4 * Math.abs(tb[i]) + 1e-5, `transformer step ${i}: ${v} vs ${tb[i]}`));
  });
});
