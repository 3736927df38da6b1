// AdamW over many tensors in one call (the optimizer's path) against the single-tensor reference
// update, with tensors of very different sizes so that thread chunks start and end inside tensors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { AdamWTensor } from '../src/tensor/backend.js';
import { nativeKernels as K } from '../src/tensor/native/kernels.js';
import { adamw } from '../src/tensor/reference/adamw.js';
import { assertClose, randF32, rng, withThreads } from './helpers/kernel-oracle.js';

const r = rng(11);
const SIZES = [5, 40_000, 1, 70_001, 3, 4096];
const step = { lr: 1e-2, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 123, step: 3 }; // weightDecay ignored

for (const threads of [1, 3]) {
  test(`adamwMany equals adamw per tensor with its own weight decay (threads=${threads})`, () => withThreads(threads, () => {
    const tensors: AdamWTensor[] = SIZES.map((n, i) => ({
      param: randF32(r, n), grad: randF32(r, n), m: randF32(r, n, -0.1, 0.1), v: randF32(r, n, 0, 0.01),
      weightDecay: i % 2 ? 0 : 0.1,
    }));
    const want = tensors.map((t) => {
      const [p, m, v] = [t.param, t.m, t.v].map((b) => Float64Array.from(b));
      adamw(p.length, p, Float64Array.from(t.grad), m, v, { ...step, weightDecay: t.weightDecay });
      return { p, m, v };
    });
    K.adamwMany(tensors, step);
    tensors.forEach((t, i) => {
      assertClose(t.param, want[i].p, 1e-6, `param ${i}`);
      assertClose(t.m, want[i].m, 1e-6, `m ${i}`);
      assertClose(t.v, want[i].v, 1e-6, `v ${i}`);
    });
  }));
}

test('adamwMany names the tensor whose buffers do not match', () => {
  const ok = () => ({ param: new Float32Array(4), grad: new Float32Array(4), m: new Float32Array(4), v: new Float32Array(4), weightDecay: 0 });
  const bad = { ...ok(), v: new Float32Array(3) };
  assert.throws(() => K.adamwMany([ok(), bad], step), /vs\[1\] has 3 elements, params\[1\] has 4/);
  assert.throws(() => K.adamwMany([ok()], { ...step, step: 0 }), /step must be >= 1/);
});
