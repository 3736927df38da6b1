// `prefkit generate` on a from-scratch byte-level model folder (no tokenizer.json).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initDecoder } from '../src/models/decoder-params.js';
import { saveModel } from '../src/models/load-save.js';
import { generateText } from '../src/eval/generate-text.js';
import { presetConfig, DPO_PRESETS } from '../src/bench/dpo.js';

test('generate uses the byte tokenizer for a 259-token model folder and is seeded', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prefkit-gen-'));
  try {
    const cfg = { ...presetConfig({ ...DPO_PRESETS.tiny, vocab: 259, hidden: 32, inter: 64, layers: 1, heads: 2, kv: 2 }), eosTokenId: 258 };
    saveModel(initDecoder(cfg, 1, 0.5), dir);
    const opts = { maxNewTokens: 12, temperature: 1, seed: 4, eosTokenIds: [] };
    const a = generateText(dir, ['Hello', 'A longer prompt'], opts);
    const b = generateText(dir, ['Hello', 'A longer prompt'], opts);
    assert.equal(a.text.length, 2);
    assert.deepEqual(a.text, b.text);
    assert.ok(a.text.every((t) => typeof t === 'string'));
    assert.deepEqual(a.finish, ['length', 'length']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
