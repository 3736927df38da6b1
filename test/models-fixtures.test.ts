// The three tiny Hugging Face checkpoints: logits and log-probs match expected.json (computed in
// float64 by an independent implementation) within 1e-4, single sequences and a padded batch, on
// both backends; load -> save -> load round trip; config errors.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, mkdtempSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as T from '../src/tensor/index.js';
import { loadModel, saveModel } from '../src/models/load-save.js';
import { decoderHidden, decoderLogits } from '../src/models/decoder.js';
import { lmHeadWeight } from '../src/models/decoder-params.js';
import { sequenceLogprobs } from '../src/logprobs/sequence-logprobs.js';
import { namedParams } from '../src/nn/params.js';
import { fixturePath } from './helpers/paths.js';

interface Expected {
  sequences: {
    input_ids: number[];
    logits: number[][];
    token_logprobs: number[];
    sum_logprob: number;
    completion: { completion_mask: number[]; sum_logprob: number };
  }[];
  padded_batch: {
    input_ids: number[][];
    attention_mask: number[][];
    rows: { length: number; logits_valid: number[][]; token_logprobs: number[]; sum_logprob: number }[];
  };
}

const MODELS = ['gpt2-tiny', 'llama-tiny', 'qwen2-tiny'];

function maxAbsDiff(got: ArrayLike<number>, want: number[]): number {
  let m = 0;
  for (let i = 0; i < want.length; i++) m = Math.max(m, Math.abs(got[i] - want[i]));
  return m;
}

for (const name of MODELS) {
  const dir = fixturePath('models', name);
  const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Expected;
  for (const backendName of T.BACKEND_NAMES) {
    describe(`${name} (${backendName})`, () => {
      test('single sequences: logits, token log-probs, completion sums', () => {
        T.withBackend(backendName, () => T.noGrad(() => {
          const model = loadModel(dir);
          for (const seq of expected.sequences) {
            const n = seq.input_ids.length;
            const ids = Int32Array.from(seq.input_ids);
            const hidden = decoderHidden(model, { ids, B: 1, T: n });
            const logits = decoderLogits(model, hidden);
            assert.ok(maxAbsDiff(logits.data, seq.logits.flat()) < 1e-4, `logits differ by ${maxAbsDiff(logits.data, seq.logits.flat())}`);
            const all = sequenceLogprobs(hidden, lmHeadWeight(model), { ids, B: 1, T: n, completionMask: new Float32Array(n).fill(1) });
            assert.ok(maxAbsDiff(all.tokenLogprobs.data, seq.token_logprobs) < 1e-4);
            assert.ok(Math.abs(all.sum.item() - seq.sum_logprob) < 1e-3);
            const comp = sequenceLogprobs(hidden, lmHeadWeight(model), { ids, B: 1, T: n, completionMask: Float32Array.from(seq.completion.completion_mask) });
            assert.ok(Math.abs(comp.sum.item() - seq.completion.sum_logprob) < 1e-3, `completion sum ${comp.sum.item()} vs ${seq.completion.sum_logprob}`);
          }
        }));
      });

      test('right-padded batch with attention mask', () => {
        T.withBackend(backendName, () => T.noGrad(() => {
          const model = loadModel(dir);
          const pb = expected.padded_batch;
          const B = pb.input_ids.length;
          const Tn = pb.input_ids[0].length;
          const ids = Int32Array.from(pb.input_ids.flat());
          const keyMask = Float32Array.from(pb.attention_mask.flat());
          const hidden = decoderHidden(model, { ids, B, T: Tn, keyMask });
          const logits = decoderLogits(model, hidden);
          const V = model.config.vocabSize;
          const lp = sequenceLogprobs(hidden, lmHeadWeight(model), { ids, B, T: Tn, completionMask: keyMask });
          pb.rows.forEach((row, b) => {
            const valid = logits.data.subarray(b * Tn * V, (b * Tn + row.length) * V);
            assert.ok(maxAbsDiff(valid, row.logits_valid.flat()) < 1e-4, `row ${b} logits`);
            const tl = lp.tokenLogprobs.data.subarray(b * Tn, b * Tn + row.length - 1);
            assert.ok(maxAbsDiff(tl, row.token_logprobs) < 1e-4, `row ${b} token log-probs`);
            assert.ok(Math.abs(lp.sum.data[b] - row.sum_logprob) < 1e-3, `row ${b} sum`);
          });
        }));
      });
    });
  }

  test(`${name}: load -> save -> load gives identical tensors and config fields`, () => {
    const out = mkdtempSync(join(tmpdir(), 'prefkit-save-'));
    try {
      const a = loadModel(dir);
      saveModel(a, out);
      const b = loadModel(out);
      assert.deepEqual(b.config, a.config);
      const pa = namedParams(a.params as never);
      const pb = namedParams(b.params as never);
      assert.deepEqual(pb.map(([n]) => n), pa.map(([n]) => n));
      pa.forEach(([n, t], i) => assert.deepEqual(pb[i][1].data, t.data, `tensor ${n}`));
      const ra = a.rawConfig;
      for (const key of Object.keys(ra)) assert.deepEqual(b.rawConfig[key], ra[key], `config field ${key}`);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
}

test('unknown model_type and bad config fields give one-line errors naming the file', () => {
  const out = mkdtempSync(join(tmpdir(), 'prefkit-badcfg-'));
  try {
    const src = fixturePath('models', 'llama-tiny');
    copyFileSync(join(src, 'model.safetensors'), join(out, 'model.safetensors'));
    const cfg = JSON.parse(readFileSync(join(src, 'config.json'), 'utf8'));
    writeFileSync(join(out, 'config.json'), JSON.stringify({ ...cfg, model_type: 'mamba' }));
    assert.throws(() => loadModel(out), (e: Error) => /config\.json: model_type "mamba" is not supported; expected one of: llama, mistral, qwen2, gpt2/.test(e.message) && !e.message.includes('\n'));
    writeFileSync(join(out, 'config.json'), JSON.stringify({ ...cfg, hidden_size: 'big' }));
    assert.throws(() => loadModel(out), /config\.json: field 'hidden_size' should be a non-negative integer, got "big"/);
    writeFileSync(join(out, 'config.json'), JSON.stringify({ ...cfg, hidden_size: 48 }));
    assert.throws(() => loadModel(out), /model\.safetensors: tensor '[^']+' has shape \[[\d, ]+\], expected \[[\d, ]*48[\d, ]*\]/);
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
