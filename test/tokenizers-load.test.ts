import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ByteTokenizer, loadTokenizer, TokenizerError } from '../src/tokenizers/index.js';

const TINY = fileURLToPath(new URL('../../test/fixtures/data/tiny-tokenizer/', import.meta.url));

test('loads tokenizer.json + tokenizer_config.json: ids, special tokens, round trip', () => {
  const t = loadTokenizer(TINY);
  assert.equal(t.vocabSize, 271);
  assert.deepEqual([t.bosId, t.eosId, t.padId, t.addBosToken], [266, 267, 268, true]);
  assert.deepEqual(t.encode('the weather'), [116, 257, 261, 101, 97, 116, 257, 114]);
  assert.deepEqual(t.encode('hi', { addSpecialTokens: true }), [266, 104, 105]);
  assert.deepEqual(t.encode(''), []);
  for (const s of ['the weather in the house', 'héllo 😀\n\ttabs', '<|im_start|>user\nhi<|im_end|>']) {
    assert.equal(t.decode(t.encode(s)), s);
  }
  assert.equal(t.decode([266, 104, 105, 267], { skipSpecialTokens: true }), 'hi');
  assert.equal(t.decode([]), '');
});

test('chat template from tokenizer_config.json, with bos_token and add_generation_prompt', () => {
  const t = loadTokenizer(TINY);
  const msgs = [{ role: 'user', content: 'hi' }];
  assert.equal(t.applyChatTemplate?.(msgs, { addGenerationPrompt: true }), '<s><|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n');
  const ids = t.encode(t.applyChatTemplate?.(msgs) ?? '');
  assert.equal(ids[0], 266, 'the <s> written by the template is the special token');
});

test('chat_template.jinja is used when tokenizer_config.json has no template', () => {
  const dir = mkdtempSync(join(tmpdir(), 'prefkit-tok-'));
  cpSync(TINY, dir, { recursive: true });
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ eos_token: { content: '</s>' } }));
  writeFileSync(join(dir, 'chat_template.jinja'), '{% for m in messages %}[{{ m.role }}] {{ m.content }}{{ eos_token }}{% endfor %}');
  const t = loadTokenizer(dir);
  assert.equal(t.applyChatTemplate?.([{ role: 'user', content: 'x' }]), '[user] x</s>');
  assert.equal(t.bosId, undefined);
  assert.equal(t.eosId, 267);
  assert.equal(t.addBosToken, false);
});

test('errors name the file and the problem: hub id, missing tokenizer.json, bad JSON, unknown special token', () => {
  assert.throws(() => loadTokenizer('Qwen/Qwen2-0.5B'), (e: unknown) => e instanceof TokenizerError && /not a local folder: prefkit never downloads/.test(e.message) && /huggingface-cli download Qwen\/Qwen2-0\.5B/.test(e.message));
  const dir = mkdtempSync(join(tmpdir(), 'prefkit-tok-'));
  assert.throws(() => loadTokenizer(dir), new RegExp(`${join(dir, 'tokenizer.json')}: file not found`));
  writeFileSync(join(dir, 'tokenizer.json'), '{"model": {"type": "BPE", "vocab": {');
  assert.throws(() => loadTokenizer(dir), /tokenizer\.json: invalid JSON/);
  cpSync(TINY, dir, { recursive: true });
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ eos_token: '<|endoftext|>' }));
  assert.throws(() => loadTokenizer(dir), /tokenizer_config\.json: field "eos_token": the token "<\|endoftext\|>" is not in the vocabulary/);
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify({ chat_template: '{% for m in messages %}' }));
  assert.throws(() => loadTokenizer(dir), /tokenizer_config\.json: the chat template does not parse/);
  rmSync(dir, { recursive: true });
});

test('ByteTokenizer: 256 byte ids + <pad>=256 <bos>=257 <eos>=258; specials never injected from text', () => {
  const b = new ByteTokenizer();
  assert.equal(b.vocabSize, 259);
  assert.deepEqual(b.encode('hé'), [104, 195, 169]);
  assert.deepEqual(b.encode('a', { addSpecialTokens: true }), [257, 97]);
  assert.equal(b.encode('<eos>').length, 5);
  assert.equal(b.decode([257, 104, 195, 169, 258]), '<bos>hé<eos>');
  assert.equal(b.decode([257, 104, 258], { skipSpecialTokens: true }), 'h');
  assert.equal(b.applyChatTemplate?.([{ role: 'user', content: 'x' }], { addGenerationPrompt: true }), '<|user|>\nx\n<|assistant|>\n');
  assert.equal(new ByteTokenizer({ chatTemplate: null }).applyChatTemplate, undefined);
  assert.throws(() => b.decode([300]), /outside 0\.\.258/);
});
