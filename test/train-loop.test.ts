// The training loop through the library API: train({ model, ref, step, optimizer, loader, hooks }) with
// a DPO step on a tiny model; gradient accumulation; the NaN/Inf guard; stopping with a checkpoint.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as T from '../src/tensor/index.js';
import { loadExamples, tokenizePair, type PairedExample, type TokenizedPair } from '../src/data/index.js';
import { resolveLossConfig } from '../src/losses/index.js';
import { initDecoder, type DecoderModel } from '../src/models/decoder-params.js';
import { namedParams } from '../src/nn/params.js';
import { createAdamW, type Optimizer } from '../src/optim/optimizer.js';
import { ByteTokenizer } from '../src/tokenizers/index.js';
import {
  createLoader, dpoMethod, initConfig, modelFingerprint, precomputeReference, scoreRows, train, TrainingDivergedError,
  type LoopState, type MetricLine, type StepFn,
} from '../src/train/index.js';
import { PAIRS_TRAIN, removeDir, tempDir } from './fixtures/train/train-fixtures.js';

const tok = new ByteTokenizer();
const init = {
  model_type: 'llama' as const, hidden_size: 32, num_hidden_layers: 2, num_attention_heads: 4, num_key_value_heads: null,
  intermediate_size: null, max_position_embeddings: 256, tie_word_embeddings: true, initializer_range: 0.02,
};
const newModel = (): DecoderModel => initDecoder(initConfig(init, tok), 1, 0.02);
const cacheDir = tempDir('loop-cache');
after(() => removeDir(cacheDir));

async function pairs(): Promise<TokenizedPair[]> {
  const { examples } = await loadExamples(PAIRS_TRAIN);
  return examples.map((e) => tokenizePair(e.example as PairedExample, tok, { maxLength: 128 })!);
}

/** The library-API DPO setup documented in docs/training.md. */
async function dpoSetup(model: DecoderModel, batchSize: number) {
  const data = await pairs();
  const loss = resolveLossConfig({ loss_type: 'sigmoid', beta: 0.1 });
  const method = dpoMethod({ train: data, eval: [] }, tok.padId, loss, true);
  const { provider } = precomputeReference(method.rowSources, {
    cacheDir, compute: (seq) => scoreRows(model, seq), modelFingerprint: modelFingerprint(model), settings: { max_length: 128 }, batchSize: 16,
  });
  const loader = createLoader({ size: data.length, batchSize, seed: 1, make: (idx) => method.batch('train', idx) });
  return { method, provider, loader };
}

describe('train() through the library API', () => {
  test('DPO on a tiny model: the loss falls and the pairs get ranked right', async () => {
    const model = newModel();
    const { method, provider, loader } = await dpoSetup(model, 8);
    const lines: MetricLine[] = [];
    const result = await train({
      model, ref: provider, step: method.step, optimizer: createAdamW(namedParams(model.params)), loader,
      maxSteps: 24, learningRate: () => 2e-3, loggingSteps: 6, hooks: { onLog: (l) => lines.push(l) },
    });
    assert.equal(result.stopped, 'completed');
    assert.deepEqual(lines.map((l) => l.step), [6, 12, 18, 24]);
    for (const key of ['loss', 'learning_rate', 'grad_norm', 'tokens/s', 'rewards/chosen', 'rewards/rejected', 'rewards/accuracies', 'rewards/margins', 'logps/chosen', 'logps/rejected']) {
      assert.ok(key in lines[0], `metric ${key} missing`);
    }
    assert.equal(lines[3].epoch, 4);
    assert.ok(lines[3].loss < 0.5 * lines[0].loss, `loss ${lines[0].loss} -> ${lines[3].loss}`);
    assert.ok(lines[3]['rewards/accuracies'] > 0.9, `accuracy ${lines[3]['rewards/accuracies']}`);
  });

  test('gradient accumulation: 2 micro-batches of 4 give the gradient of one batch of 8', async () => {
    const grads = async (batch: number, accum: number): Promise<Float32Array[]> => {
      const model = newModel();
      const { method, provider, loader } = await dpoSetup(model, batch);
      const named = namedParams(model.params);
      let seen: Float32Array[] = [];
      const recorder: Optimizer = { named, steps: 0, update: () => (seen = named.map(([, p]) => Float32Array.from(p.grad!.data))), exportState: () => ({ step: 0, tensors: {} }), importState: () => {} };
      await train({ model, ref: provider, step: method.step, optimizer: recorder, loader, maxSteps: 1, learningRate: () => 0, gradientAccumulationSteps: accum });
      return seen;
    };
    const a = await grads(8, 1);
    const b = await grads(4, 2);
    a.forEach((g, i) => g.forEach((v, j) => assert.ok(Math.abs(v - b[i][j]) <= 1e-5 + 1e-4 * Math.abs(v), `param ${i}[${j}]: ${v} vs ${b[i][j]}`)));
  });

  const toyModel = (w: T.Tensor): DecoderModel => ({ params: { embed: w, layers: [], finalNorm: { weight: w } } } as unknown as DecoderModel);
  const toyLoader = createLoader({ size: 4, batchSize: 1, seed: 0, make: (idx) => idx[0] });

  test('a NaN loss stops the run, naming the step and the quantity', async () => {
    const w = T.tensor([1, 2], [2], { requiresGrad: true });
    const step: StepFn<number> = (_b, ctx) => ({ loss: ctx.step === 2 ? T.scale(T.sum(w), NaN) : T.sum(T.square(w)), metrics: { 'rewards/chosen': 1 }, tokens: 1 });
    await assert.rejects(
      train({ model: toyModel(w), step, optimizer: createAdamW([['w', w]]), loader: toyLoader, maxSteps: 5, learningRate: () => 0.1 }),
      (e: Error) => e instanceof TrainingDivergedError && /training stopped at step 3: the loss is NaN \(rewards\/chosen = 1\)/.test(e.message),
    );
  });

  test('an infinite gradient stops the run, naming the parameter', async () => {
    const w = T.tensor([0, 1], [2], { requiresGrad: true });
    const step: StepFn<number> = () => ({ loss: T.sum(T.sqrt(w)), metrics: {}, tokens: 1 }); // d sqrt(x)/dx at 0 = Inf
    await assert.rejects(
      train({ model: toyModel(w), step, optimizer: createAdamW([['layers.0.q.weight', w]]), loader: toyLoader, maxSteps: 5, learningRate: () => 0.1 }),
      /step 1: the gradient norm is Infinity \(the gradient of parameter 'layers\.0\.q\.weight' is Infinity at index 0\)/,
    );
  });

  test('a stop request writes a checkpoint of the current step and ends cleanly', async () => {
    const w = T.tensor([1, 2], [2], { requiresGrad: true });
    const step: StepFn<number> = () => ({ loss: T.sum(T.square(w)), metrics: {}, tokens: 1 });
    const saves: [number, string][] = [];
    let steps = 0;
    const result = await train({
      model: toyModel(w), step, optimizer: createAdamW([['w', w]]), loader: toyLoader, maxSteps: 10, learningRate: () => 0.1, saveSteps: 4,
      hooks: { afterUpdate: (s) => (steps = s), shouldStop: () => steps >= 6, saveCheckpoint: (s: LoopState, reason) => saves.push([s.step, reason]) },
    });
    assert.equal(result.stopped, 'interrupted');
    assert.equal(result.state.step, 6);
    assert.deepEqual(saves, [[4, 'periodic'], [6, 'interrupt']]);
  });
});
