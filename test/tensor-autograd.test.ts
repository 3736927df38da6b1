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

test('a missing native build says how to rebuild and how to choose the reference backend', async () => {
  const { loadNativeAddonFrom } = await import('../src/tensor/native/load.js');
  assert.throws(() => loadNativeAddonFrom('/nonexistent/build/Release/prefkit_native.node'), (e: Error) =>
    /native backend is not built/.test(e.message) && /npm rebuild prefkit/.test(e.message) &&
    /PREFKIT_BACKEND=reference/.test(e.message));
});

test('an unknown PREFKIT_BACKEND and shape mismatches name what was expected', () => {
  assert.throws(() => T.withBackend('gpu' as never, () => 0), /PREFKIT_BACKEND='gpu' is not a backend; expected one of: native, reference/);
  assert.throws(() => T.matmul(T.zeros([2, 3]), T.zeros([4, 5])), /matmul: shapes \(2, 3\) and \(4, 5\) do not multiply/);
  assert.throws(() => T.add(T.zeros([2, 3]), T.zeros([4])), /add: shapes \(2, 3\) and \(4,\) cannot be broadcast together/);
});
