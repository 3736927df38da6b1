// Autograd bookkeeping: shared gradient buffers, accumulation across backward passes, freed graphs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as T from '../src/tensor/index.js';

test('leaves fed by one pass-through gradient get separate .grad buffers', () => {
  const a = T.tensor([1, 2, 3], undefined, { requiresGrad: true });
  const b = T.tensor([4, 5, 6], undefined, { requiresGrad: true });
  T.sum(T.add(a, b)).backward();
  assert.notEqual(a.grad!.data, b.grad!.data);
  // A second pass (gradient accumulation) adds into each .grad separately.
  T.sum(T.mul(T.add(a, b), 2)).backward();
  assert.deepEqual(Array.from(a.grad!.data), [3, 3, 3]);
  assert.deepEqual(Array.from(b.grad!.data), [3, 3, 3]);
});

test('a tensor used several times sums its gradients without touching shared buffers', () => {
  const x = T.tensor([1, -2, 3, 0.5], undefined, { requiresGrad: true });
  const y = T.add(x, x); // pass-through: both inputs get the same buffer
  const z = T.mul(y, x); // 2 x^2
  const w = T.add(T.sum(z), T.sum(T.mul(y, 3)));
  w.backward();
  assert.deepEqual(Array.from(x.grad!.data), [1, -2, 3, 0.5].map((v) => 4 * v + 6));
});

test('backward through a consumed graph says so', () => {
  const x = T.tensor([1, 2], undefined, { requiresGrad: true });
  const y = T.mul(x, x);
  const loss = T.sum(y);
  loss.backward();
  assert.throws(() => T.sum(T.mul(y, 1)).backward(), /already consumed by an earlier backward/);
});
