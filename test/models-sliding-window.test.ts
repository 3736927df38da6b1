// Sliding-window attention (Mistral, Qwen2 with use_sliding_window) is not implemented: the window is
// read from config.json, kept when saving, and a longer context is an error instead of a silent
// difference from the HF model.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLlamaFamilyConfig } from '../src/models/hf/llama-config.js';
import { decoderConfigToHf } from '../src/models/hf/config-writer.js';
import { initDecoder } from '../src/models/decoder-params.js';
import { decoderHidden } from '../src/models/decoder.js';

const base = {
  vocab_size: 32, hidden_size: 16, num_hidden_layers: 1, num_attention_heads: 2, num_key_value_heads: 1,
  intermediate_size: 32, max_position_embeddings: 64,
};
const ids = (T: number) => ({ ids: Int32Array.from({ length: T }, (_, i) => i % 32), B: 1, T });

test('mistral: sliding_window is parsed, saved back explicitly, and a longer context is refused', () => {
  const cfg = parseLlamaFamilyConfig({ ...base, model_type: 'mistral', sliding_window: 8 }, 'config.json');
  assert.equal(cfg.slidingWindow, 8);
  assert.equal(decoderConfigToHf(cfg).sliding_window, 8);
  const model = initDecoder(cfg, 1);
  assert.deepEqual(decoderHidden(model, ids(8)).shape, [1, 8, 16]);
  assert.throws(() => decoderHidden(model, ids(9)), /9 positions exceed this mistral model's sliding_window of 8/);

  const open = parseLlamaFamilyConfig({ ...base, model_type: 'mistral', sliding_window: null }, 'config.json');
  assert.equal(open.slidingWindow, null);
  assert.equal(decoderConfigToHf(open).sliding_window, null, 'written as null: transformers would default to 4096');
  assert.deepEqual(decoderHidden(initDecoder(open, 1), ids(20)).shape, [1, 20, 16]);
});

test('qwen2: the window counts only with use_sliding_window', () => {
  const off = parseLlamaFamilyConfig({ ...base, model_type: 'qwen2', sliding_window: 4, use_sliding_window: false }, 'c.json');
  assert.equal(off.slidingWindow, null);
  assert.equal(decoderConfigToHf(off).use_sliding_window, undefined);
  const on = parseLlamaFamilyConfig({ ...base, model_type: 'qwen2', sliding_window: 4, use_sliding_window: true }, 'c.json');
  assert.equal(on.slidingWindow, 4);
  assert.throws(() => decoderHidden(initDecoder(on, 1), ids(5)), /sliding_window of 4/);
});
