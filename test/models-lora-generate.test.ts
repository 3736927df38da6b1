// LoRA (zero-init identity, merge agreement, PEFT save/load) and generation (KV cache equals full
// recomputation; batched prompts of different lengths equal single runs; sampling is seeded).
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as T from '../src/tensor/index.js';
import { loadModel } from '../src/models/load-save.js';
import { decoderHidden, decoderLogits } from '../src/models/decoder.js';
import { attachLora, loadLoraAdapter, loraAdapters, mergeLora, saveLoraAdapter } from '../src/models/lora-peft.js';
import { generate, sampleToken } from '../src/models/generate.js';
import type { DecoderModel } from '../src/models/decoder-params.js';
import { fixturePath } from './helpers/paths.js';

const IDS = Int32Array.from([51, 23, 71, 28, 89, 46, 55, 8, 57, 14]);

function logitsOf(model: DecoderModel, ids = IDS): Float32Array {
  return T.noGrad(() => decoderLogits(model, decoderHidden(model, { ids, B: 1, T: ids.length })).data as Float32Array);
}

function randomizeB(model: DecoderModel, seed: number): void {
  const rng = new T.Rng(seed);
  for (const { lora } of loraAdapters(model)) for (let i = 0; i < lora.b.size; i++) lora.b.data[i] = 0.1 * rng.normal();
}

describe('LoRA', () => {
  for (const name of ['llama-tiny', 'gpt2-tiny']) {
    test(`${name}: zero-initialised B gives the base logits exactly`, () => {
      const base = loadModel(fixturePath('models', name));
      const ref = logitsOf(base);
      attachLora(base, { rank: 4, alpha: 8, targetModules: name === 'gpt2-tiny' ? ['c_fc', 'c_proj'] : ['q_proj', 'v_proj', 'down_proj'] });
      assert.deepEqual(logitsOf(base), ref);
    });
  }

  test('merged and unmerged adapters agree to 1e-5; PEFT save/load round trip', () => {
    const model = loadModel(fixturePath('models', 'llama-tiny'));
    attachLora(model, { rank: 4, alpha: 16, targetModules: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'] });
    randomizeB(model, 3);
    const unmerged = logitsOf(model);
    const dir = mkdtempSync(join(tmpdir(), 'prefkit-lora-'));
    try {
      saveLoraAdapter(model, dir, 'llama-tiny');
      const cfg = JSON.parse(readFileSync(join(dir, 'adapter_config.json'), 'utf8'));
      assert.equal(cfg.r, 4);
      assert.equal(cfg.lora_alpha, 16);
      assert.equal(cfg.peft_type, 'LORA');
      const reloaded = loadModel(fixturePath('models', 'llama-tiny'));
      loadLoraAdapter(reloaded, dir);
      assert.deepEqual(logitsOf(reloaded), unmerged);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    mergeLora(model);
    assert.equal(loraAdapters(model).length, 0);
    const merged = logitsOf(model);
    let worst = 0;
    merged.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - unmerged[i]))));
    assert.ok(worst < 1e-5, `merged vs unmerged differ by ${worst}`);
    assert.ok(unmerged.some((v, i) => v !== logitsOf(loadModel(fixturePath('models', 'llama-tiny')))[i]), 'adapters changed nothing');
  });

  test('base is frozen, adapters train; unknown target modules are errors', () => {
    const model = loadModel(fixturePath('models', 'llama-tiny'));
    attachLora(model, { rank: 2, alpha: 2, targetModules: ['q_proj'] });
    assert.equal(model.params.embed.requiresGrad, false);
    assert.equal(loraAdapters(model)[0].lora.a.requiresGrad, true);
    assert.throws(() => attachLora(loadModel(fixturePath('models', 'gpt2-tiny')), { rank: 2, alpha: 2, targetModules: ['c_attn'] }),
      /target module 'c_attn' does not exist in a gpt2 model; expected some of: c_proj, c_fc/);
  });
});

describe('generation', () => {
  test('greedy with the KV cache equals greedy by full recomputation', () => {
    const model = loadModel(fixturePath('models', 'qwen2-tiny'));
    const prompt = [15, 4, 25, 86];
    const g = generate(model, [prompt], { maxNewTokens: 8, eosTokenIds: [] });
    const seq = [...prompt];
    for (let i = 0; i < 8; i++) {
      const logits = logitsOf(model, Int32Array.from(seq));
      const V = model.config.vocabSize;
      seq.push(sampleToken(logits.subarray((seq.length - 1) * V), {} as never, new T.Rng(0)));
    }
    assert.deepEqual(g.tokens[0], seq.slice(prompt.length));
    assert.equal(g.finish[0], 'length');
  });

  for (const name of ['llama-tiny', 'gpt2-tiny']) {
    test(`${name}: batched prompts of different lengths equal single runs`, () => {
      const model = loadModel(fixturePath('models', name));
      const prompts = [[15, 4, 25], [51, 23, 71, 28, 89, 46, 55], [7]];
      const batched = generate(model, prompts, { maxNewTokens: 6, eosTokenIds: [] });
      prompts.forEach((p, i) => {
        const single = generate(model, [p], { maxNewTokens: 6, eosTokenIds: [] });
        assert.deepEqual(batched.tokens[i], single.tokens[0], `prompt ${i}`);
      });
    });
  }

  test('sampling is seeded; EOS stops a row; stop strings cut the text', () => {
    const model = loadModel(fixturePath('models', 'llama-tiny'));
    const opts = { maxNewTokens: 10, temperature: 1, topK: 20, topP: 0.9, seed: 42, eosTokenIds: [] };
    const a = generate(model, [[1, 5, 9]], opts);
    const b = generate(model, [[1, 5, 9]], opts);
    assert.deepEqual(a.tokens, b.tokens);
    const greedy = generate(model, [[1, 5, 9]], { maxNewTokens: 5, eosTokenIds: [] }).tokens[0];
    // The first position whose token did not appear before it: EOS there stops the row right before it.
    const k = greedy.findIndex((tok, i) => i > 0 && !greedy.slice(0, i).includes(tok));
    assert.ok(k > 0, `greedy output ${greedy} repeats one token`);
    const stopped = generate(model, [[1, 5, 9]], { maxNewTokens: 5, eosTokenIds: [greedy[k]] });
    assert.deepEqual(stopped.tokens[0], greedy.slice(0, k));
    assert.equal(stopped.finish[0], 'eos');
    const decode = (ids: number[]) => ids.map((i) => String.fromCharCode(97 + (i % 26))).join('');
    const stopChar = decode([greedy[1]]);
    const s = generate(model, [[1, 5, 9]], { maxNewTokens: 5, eosTokenIds: [], decode, stopStrings: [stopChar] });
    assert.equal(s.finish[0], 'stop');
    assert.ok(!s.text![0].includes(stopChar));
  });
});
