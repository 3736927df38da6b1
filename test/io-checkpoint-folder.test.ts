// Hugging Face checkpoint folders: reading the fixtures, one-line errors for what users get wrong,
// writing (config.json as save_pretrained writes it, byte-identical model.safetensors, tokenizer
// copies) and atomicity (fresh folder via rename, existing folder file by file).

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  CheckpointFolderError,
  NOT_A_FOLDER_HINT,
  readCheckpointFolder,
  toPythonJson,
  writeCheckpointFolder,
} from '../src/io/checkpoint/index.js';
import { readSafetensors, SafetensorsError } from '../src/io/safetensors/index.js';

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/models/', import.meta.url));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'prefkit-io-ckpt-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const fixture = (model: string) => path.join(FIXTURES, model);
const bitsOf = (a: Float32Array) => new Uint32Array(a.buffer, a.byteOffset, a.length);
const TOKENIZER = { 'tokenizer.json': '{"model": {}}\n', 'tokenizer_config.json': '{"chat_template": "x"}\n', 'special_tokens_map.json': '{}\n' };

/** A copy of a fixture folder plus fake tokenizer files, in tmp. */
function folderWithTokenizer(model: string): string {
  const dir = fs.mkdtempSync(path.join(tmp, `${model}-src-`));
  for (const f of ['config.json', 'model.safetensors']) fs.copyFileSync(path.join(fixture(model), f), path.join(dir, f));
  for (const [name, text] of Object.entries(TOKENIZER)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

function expectError(fn: () => unknown, file: string, problem: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof CheckpointFolderError || e instanceof SafetensorsError, String(e));
    assert.ok(e.message.startsWith(`${file}: `), `names ${file}: ${e.message}`);
    assert.ok(!e.message.includes('\n'));
    assert.match(e.message, problem);
    return true;
  });
}

describe('readCheckpointFolder', () => {
  for (const model of ['gpt2-tiny', 'llama-tiny', 'qwen2-tiny']) {
    test(`${model}: config, lazy weights, no tokenizer files`, () => {
      const ckpt = readCheckpointFolder(fixture(model));
      try {
        assert.deepEqual(ckpt.config, JSON.parse(fs.readFileSync(path.join(fixture(model), 'config.json'), 'utf8')));
        assert.equal(ckpt.weightsPath, path.join(fixture(model), 'model.safetensors'));
        assert.equal(ckpt.config['model_type'], model.replace('-tiny', ''));
        assert.ok(ckpt.weights.names.length > 20);
        assert.deepEqual(ckpt.tokenizerFiles, {});
      } finally {
        ckpt.weights.close();
      }
    });
  }

  test('lists the tokenizer files present', () => {
    const dir = folderWithTokenizer('llama-tiny');
    const ckpt = readCheckpointFolder(dir);
    ckpt.weights.close();
    assert.deepEqual(ckpt.tokenizerFiles, {
      'tokenizer.json': path.join(dir, 'tokenizer.json'),
      'tokenizer_config.json': path.join(dir, 'tokenizer_config.json'),
      'special_tokens_map.json': path.join(dir, 'special_tokens_map.json'),
    });
  });

  test('a model id or missing path: not a local folder, never downloaded', () => {
    expectError(() => readCheckpointFolder('Qwen/Qwen2-0.5B'), 'Qwen/Qwen2-0.5B', /^Qwen\/Qwen2-0\.5B: not a local folder: prefkit never downloads models; pass a path to a folder with config.json and model.safetensors$/);
    assert.match(NOT_A_FOLDER_HINT, /never downloads/);
    const file = path.join(fixture('gpt2-tiny'), 'model.safetensors');
    expectError(() => readCheckpointFolder(file), file, /is a file, not a folder/);
  });

  test('missing or bad config.json', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'noconfig-'));
    fs.copyFileSync(path.join(fixture('gpt2-tiny'), 'model.safetensors'), path.join(dir, 'model.safetensors'));
    const config = path.join(dir, 'config.json');
    expectError(() => readCheckpointFolder(dir), config, /missing: a checkpoint folder needs config.json/);
    fs.writeFileSync(config, '{"model_type": "llama",');
    expectError(() => readCheckpointFolder(dir), config, /invalid JSON \(/);
    fs.writeFileSync(config, '[1]');
    expectError(() => readCheckpointFolder(dir), config, /expected a JSON object/);
  });

  test('missing weights, with a hint for the usual look-alikes', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'noweights-'));
    fs.writeFileSync(path.join(dir, 'config.json'), '{}');
    expectError(() => readCheckpointFolder(dir), dir, /no weights: expected model.safetensors or model.safetensors.index.json$/);
    fs.writeFileSync(path.join(dir, 'pytorch_model.bin'), '');
    expectError(() => readCheckpointFolder(dir), dir, /found pytorch_model.bin, which prefkit does not read/);
    fs.writeFileSync(path.join(dir, 'adapter_model.safetensors'), '');
    expectError(() => readCheckpointFolder(dir), dir, /PEFT adapter folder/);
  });

  test('a corrupt model.safetensors is reported against that file', () => {
    const dir = folderWithTokenizer('qwen2-tiny');
    const weights = path.join(dir, 'model.safetensors');
    fs.truncateSync(weights, 5000);
    expectError(() => readCheckpointFolder(dir), weights, /file is truncated or its offsets are out of range/);
  });

  test('a sharded folder (index only) reads through the index', () => {
    const { tensors, metadata } = readSafetensors(path.join(fixture('gpt2-tiny'), 'model.safetensors'));
    const dir = fs.mkdtempSync(path.join(tmp, 'sharded-'));
    fs.copyFileSync(path.join(fixture('gpt2-tiny'), 'config.json'), path.join(dir, 'config.json'));
    const shard = 'model-00001-of-00001.safetensors';
    fs.copyFileSync(path.join(fixture('gpt2-tiny'), 'model.safetensors'), path.join(dir, shard));
    const weightMap = Object.fromEntries(Object.keys(tensors).map((n) => [n, shard]));
    fs.writeFileSync(path.join(dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: { total_size: 1 }, weight_map: weightMap }));
    const ckpt = readCheckpointFolder(dir);
    try {
      assert.equal(ckpt.weightsPath, path.join(dir, 'model.safetensors.index.json'));
      assert.deepEqual(ckpt.weights.metadata, metadata);
      for (const n of ckpt.weights.names) assert.deepEqual(bitsOf(ckpt.weights.get(n)), bitsOf(tensors[n]!.data));
    } finally {
      ckpt.weights.close();
    }
  });
});

describe('writeCheckpointFolder', () => {
  for (const model of ['gpt2-tiny', 'llama-tiny', 'qwen2-tiny']) {
    test(`${model}: load -> save -> load; config.json as save_pretrained writes it, weights byte-identical`, () => {
      const src = folderWithTokenizer(model);
      const ckpt = readCheckpointFolder(src);
      const tensors = Object.fromEntries(ckpt.weights.names.map((n) => [n, { dtype: 'F32' as const, shape: ckpt.weights.info(n).shape, data: ckpt.weights.get(n) }]));
      const out = path.join(tmp, 'saved', model);
      const written = writeCheckpointFolder(out, { config: ckpt.config, tensors, copyFiles: src });
      ckpt.weights.close();
      assert.deepEqual(written.sort(), ['config.json', 'model.safetensors', ...Object.keys(TOKENIZER)].map((f) => path.join(out, f)).sort());
      assert.deepEqual(fs.readdirSync(out).sort(), ['config.json', 'model.safetensors', ...Object.keys(TOKENIZER)].sort());
      assert.deepEqual(fs.readdirSync(path.dirname(out)).filter((f) => f.startsWith('.')), [], 'no temp folder left');
      // the same text except for floats with integral values (JSON.parse cannot tell 10000.0 from 10000)
      const original = fs.readFileSync(path.join(fixture(model), 'config.json'), 'utf8');
      assert.equal(fs.readFileSync(path.join(out, 'config.json'), 'utf8'), original.replace(/(\d)\.0(?=,?\n)/g, '$1'));
      assert.ok(fs.readFileSync(path.join(out, 'model.safetensors')).equals(fs.readFileSync(path.join(fixture(model), 'model.safetensors'))));
      for (const [name, text] of Object.entries(TOKENIZER)) assert.equal(fs.readFileSync(path.join(out, name), 'utf8'), text);
      const again = readCheckpointFolder(out);
      again.weights.close();
      assert.deepEqual(again.config, ckpt.config);
    });
  }

  test('saving over an existing folder replaces our files, keeps the others, even while it is being read', () => {
    const dir = folderWithTokenizer('llama-tiny');
    fs.writeFileSync(path.join(dir, 'trainer_state.json'), '{}');
    const ckpt = readCheckpointFolder(dir);
    const name = 'model.norm.weight';
    const before = ckpt.weights.get(name);
    const doubled = Float32Array.from(before, (v) => v * 2);
    writeCheckpointFolder(dir, {
      config: { ...ckpt.config, torch_dtype: 'bfloat16' },
      tensors: { [name]: { dtype: 'BF16', shape: [32], data: doubled } },
      copyFiles: dir,
    });
    assert.deepEqual(bitsOf(ckpt.weights.get(name)), bitsOf(before), 'the open reader still sees the old file');
    ckpt.weights.close();
    assert.ok(fs.existsSync(path.join(dir, 'trainer_state.json')));
    assert.equal(fs.readFileSync(path.join(dir, 'tokenizer.json'), 'utf8'), TOKENIZER['tokenizer.json']);
    const again = readCheckpointFolder(dir);
    assert.equal(again.config['torch_dtype'], 'bfloat16');
    assert.deepEqual([...again.weights.names], [name]);
    assert.equal(again.weights.info(name).dtype, 'BF16');
    again.weights.close();
    assert.deepEqual(fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')), []);
  });

  test('bad input fails before anything appears', () => {
    const out = path.join(tmp, 'never');
    const f = new Float32Array(3);
    assert.throws(() => writeCheckpointFolder(out, { config: {}, tensors: { w: { dtype: 'F32', shape: [4], data: f } } }), /cannot write tensor "w": data has 3 elements/);
    expectError(() => writeCheckpointFolder(out, { config: { x: NaN }, tensors: {} }), path.join(out, 'config.json'), /config.x: NaN cannot be written as JSON/);
    expectError(() => writeCheckpointFolder(out, { config: {}, tensors: {}, copyFiles: { from: tmp, names: ['tokenizer.json'] } }), path.join(tmp, 'tokenizer.json'), /cannot copy: no such file/);
    expectError(() => writeCheckpointFolder(out, { config: {}, tensors: {}, copyFiles: path.join(tmp, 'nope') }), path.join(tmp, 'nope'), /not a folder/);
    expectError(() => writeCheckpointFolder(out, { config: {}, tensors: {}, copyFiles: { from: tmp, names: ['../x'] } }), path.join(tmp, '../x'), /not a plain file name/);
    assert.equal(fs.existsSync(out), false);
    assert.deepEqual(fs.readdirSync(tmp).filter((f) => f.startsWith('.never')), [], 'temp folder removed');
  });
});

describe('toPythonJson (json.dumps(indent=2, sort_keys=True))', () => {
  test('layout, key order at every level, Python float repr, ensure_ascii', () => {
    const text = toPythonJson({
      b: [1, 2.5, { z: null, a: true }],
      a: { y: [], x: {} },
      eps: [1e-6, 1e-5, 0.0001, 0.00012, 1.5e-7, 2e-300, -3e-5],
      big: [1e21, 12345678901234567890, 0.1, -0],
      s: 'é😀\u007f"\\\n\t\u0001/',
      skip: undefined,
    });
    assert.equal(
      text,
      [
        '{',
        '  "a": {',
        '    "x": {},',
        '    "y": []',
        '  },',
        '  "b": [',
        '    1,',
        '    2.5,',
        '    {',
        '      "a": true,',
        '      "z": null',
        '    }',
        '  ],',
        '  "big": [',
        '    1000000000000000000000,',
        '    12345678901234567000,',
        '    0.1,',
        '    0',
        '  ],',
        '  "eps": [',
        '    1e-06,',
        '    1e-05,',
        '    0.0001,',
        '    0.00012,',
        '    1.5e-07,',
        '    2e-300,',
        '    -3e-05',
        '  ],',
        '  "s": "\\u00e9\\ud83d\\ude00\\u007f\\"\\\\\\n\\t\\u0001/"',
        '}',
        '',
      ].join('\n'),
    );
  });
});
