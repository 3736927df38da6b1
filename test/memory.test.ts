// Memory policy check: 500 training steps of a small MLP leave the live tensor count and RSS flat.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import * as T from '../src/tensor/index.js';
import { namedParams, zeroGrad } from '../src/nn/params.js';
import { adamwInit, adamwUpdate } from '../src/optim/adamw.js';
import { createMlp, mlpForward } from './helpers/tiny-models.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

async function settle(): Promise<void> {
  for (let i = 0; i < 3; i++) {
    gc();
    // FinalizationRegistry callbacks run on a later task.
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('500 MLP training steps keep live tensors and RSS flat (native)', async () => {
  const model = createMlp(32, 128, 8, 1);
  const named = namedParams(model);
  const opt = adamwInit(named);
  const x = T.randn([256, 32], { seed: 2 });
  const y = T.randn([256, 8], { seed: 3 });
  const step = (): void => {
    zeroGrad(model);
    const loss = T.mean(T.square(T.sub(mlpForward(model, x), y)));
    loss.backward();
    adamwUpdate(opt, named, { lr: 1e-3 });
  };
  for (let i = 0; i < 100; i++) step(); // warm up the JIT, the allocator and the heap
  await settle();
  const tensors0 = T.liveTensorCount();
  const rss: number[] = [];
  for (let round = 0; round < 10; round++) {
    for (let i = 0; i < 50; i++) step();
    await settle();
    rss.push(process.memoryUsage().rss);
  }
  const tensors1 = T.liveTensorCount();
  // One step allocates a few dozen tensors; a leak of even one per step would add 500.
  assert.ok(tensors1 - tensors0 <= 20, `live tensors grew from ${tensors0} to ${tensors1}`);
  // RSS may wobble with the GC heap; a leak shows as steady growth from the first to the second half.
  const mb = (b: number): number => b / 1048576;
  const firstHalf = Math.max(...rss.slice(0, 5));
  const secondHalf = Math.max(...rss.slice(5));
  assert.ok(mb(secondHalf - firstHalf) < 16, `RSS grew from ${mb(firstHalf).toFixed(1)} MB to ${mb(secondHalf).toFixed(1)} MB over 250 steps (${rss.map((r) => mb(r).toFixed(0)).join(', ')})`);
});
