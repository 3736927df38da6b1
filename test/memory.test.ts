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
  for (let i = 0; i < 50; i++) step(); // warm up JIT and allocator
  await settle();
  const tensors0 = T.liveTensorCount();
  const rss0 = process.memoryUsage().rss;
  for (let i = 0; i < 500; i++) step();
  await settle();
  const tensors1 = T.liveTensorCount();
  const rss1 = process.memoryUsage().rss;
  // One step allocates a few dozen tensors; a leak of even one per step would add 500.
  assert.ok(tensors1 - tensors0 <= 20, `live tensors grew from ${tensors0} to ${tensors1}`);
  assert.ok(rss1 - rss0 < 40 * 1024 * 1024, `RSS grew by ${((rss1 - rss0) / 1048576).toFixed(1)} MB`);
});
