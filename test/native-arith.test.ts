// Native same-shape arithmetic (add, sub, mul, div) against the reference backend, including
// in-place accumulation (out aliasing an input) and the threaded path for large buffers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ArithOp } from '../src/tensor/backend.js';
import { nativeKernels as K } from '../src/tensor/native/kernels.js';
import { referenceKernels as R } from '../src/tensor/reference/kernels.js';
import * as T from '../src/tensor/index.js';
import { assertClose, randF32, rng, withThreads } from './helpers/kernel-oracle.js';

const r = rng(7);
const OPS: ArithOp[] = ['add', 'sub', 'mul', 'div'];

for (const { n, threads } of [{ n: 37, threads: 1 }, { n: 100_003, threads: 3 }]) {
  for (const op of OPS) {
    test(`arith ${op} (n=${n}, threads=${threads}) equals the reference, also in place`, () => withThreads(threads, () => {
      const a = randF32(r, n, -2, 2), b = randF32(r, n, 0.5, 2);
      const want = new Float64Array(n);
      R.arith(op, n, Float64Array.from(a), Float64Array.from(b), want);
      const out = new Float32Array(n).fill(Number.NaN);
      K.arith(op, n, a, b, out);
      assertClose(out, want, 1e-6, `${op} out`);
      const inPlace = a.slice();
      K.arith(op, n, inPlace, b, inPlace);
      assertClose(inPlace, want, 1e-6, `${op} in place`);
    }));
  }
}

test('arith rejects short buffers and unknown ops with a named error', () => {
  const a = new Float32Array(4), b = new Float32Array(3), out = new Float32Array(4);
  assert.throws(() => K.arith('add', 4, a, b, out), /buffer 'b' has 3 elements, kernel needs 4/);
  assert.throws(() => K.arith('pow' as ArithOp, 4, a, a, out), RangeError);
});

test('residual add and gradient accumulation run through the backend on both backends alike', () => {
  const run = (name: T.BackendName) => T.withBackend(name, () => {
    const x = T.tensor([1, -2, 3, 0.5], [2, 2], { requiresGrad: true });
    const y = T.add(T.mul(x, x), x); // dy/dx = 2x + 1, x feeds two ops: gradients are summed
    T.sum(y).backward();
    return { y: Array.from(y.data), g: Array.from(x.grad!.data) };
  });
  const nat = run('native'), ref = run('reference');
  assert.deepEqual(nat.y, [2, 2, 12, 0.75]);
  assert.deepEqual(nat.g, [3, -3, 7, 2]);
  assert.deepEqual(ref, nat);
});
