// The backward pass's buffer reuse: only buffers allocated in the pass and no longer held are
// reused, and gradients are the same as without reuse.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as T from '../src/tensor/index.js';
import { GradPool } from '../src/tensor/grad-pool.js';
import { allocUninit, setBufferRecycler } from '../src/tensor/tensor.js';

test('GradPool reuses only buffers it saw allocated, by dtype and length, once each', () => {
  const pool = new GradPool();
  const foreign = new Float32Array(2048);
  pool.recycle(foreign); // not allocated under the pool: ignored
  assert.equal(pool.take('float32', 2048), undefined);

  const prev = setBufferRecycler(pool);
  let a: Float32Array;
  try {
    a = allocUninit('float32', 2048) as Float32Array;
  } finally {
    setBufferRecycler(prev);
  }
  pool.recycle(a);
  pool.recycle(a); // a second recycle of the same buffer must not list it twice
  assert.equal(pool.take('float64', 2048), undefined);
  assert.equal(pool.take('float32', 1024), undefined);
  assert.equal(pool.take('float32', 2048), a);
  assert.equal(pool.take('float32', 2048), undefined);
});

test('gradients through shared and pass-through buffers are unchanged by reuse', () => {
  // x feeds add (pass-through to both inputs), mul and a chain of same-sized ops, so dead buffers
  // are handed out again while others are still pending.
  const n = 4096;
  const xs = Float32Array.from({ length: n }, (_, i) => Math.sin(i) + 1.5);
  const ws = Float32Array.from({ length: n }, (_, i) => Math.cos(i));
  const x = T.tensor(xs, [64, 64], { requiresGrad: true });
  const w = T.tensor(ws, [64, 64], { requiresGrad: true });
  const h = T.add(x, w); // dh/dx = dh/dw = 1
  const y = T.mul(T.mul(h, h), x); // y = (x + w)^2 x
  const z = T.add(T.silu(y), T.mul(y, w));
  T.sum(z).backward();
  const gx = new Float64Array(n), gw = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const hx = xs[i] + ws[i], yv = hx * hx * xs[i];
    const s = 1 / (1 + Math.exp(-yv));
    const dz = s * (1 + yv * (1 - s)) + ws[i]; // dz/dy
    gx[i] = dz * (2 * hx * xs[i] + hx * hx);
    gw[i] = dz * 2 * hx * xs[i] + yv;
  }
  for (let i = 0; i < n; i++) {
    assert.ok(Math.abs(x.grad!.data[i] - gx[i]) <= 1e-4 * (1 + Math.abs(gx[i])), `dx[${i}]`);
    assert.ok(Math.abs(w.grad!.data[i] - gw[i]) <= 1e-4 * (1 + Math.abs(gw[i])), `dw[${i}]`);
  }
  assert.notEqual(x.grad!.data, w.grad!.data, 'each leaf owns its .grad buffer');
});
