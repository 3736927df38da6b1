// safetensors reading and writing against the three tiny HF fixtures (test/fixtures/models): header
// index, sha256, lazy vs eager reads, byte-identical round trips, F16/BF16/F64 files, sharded reads.

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  openSafetensors,
  readSafetensors,
  SafetensorsError,
  writeSafetensors,
  type TensorToWrite,
} from '../src/io/safetensors/index.js';

const FIXTURES = fileURLToPath(new URL('../../test/fixtures/models/', import.meta.url));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'prefkit-io-st-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

const MODELS = {
  'gpt2-tiny': { tensors: 28, params: 30_592 },
  'llama-tiny': { tensors: 21, params: 24_736 },
  'qwen2-tiny': { tensors: 26, params: 21_792 },
} as const;

const weightsOf = (model: string) => path.join(FIXTURES, model, 'model.safetensors');
const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const bitsOf = (a: Float32Array) => new Uint32Array(a.buffer, a.byteOffset, a.length);
const product = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

describe('fixtures', () => {
  for (const [model, want] of Object.entries(MODELS)) {
    test(`${model}: sha256, names, dtypes, shapes`, () => {
      const file = weightsOf(model);
      const expected = JSON.parse(fs.readFileSync(path.join(FIXTURES, model, 'expected.json'), 'utf8'));
      assert.equal(sha256(file), expected.weights_sha256);
      const r = openSafetensors(file);
      try {
        assert.deepEqual(r.metadata, { format: 'pt' });
        assert.equal(r.names.length, want.tensors);
        assert.deepEqual([...r.names], [...r.names].sort());
        let params = 0;
        for (const name of r.names) {
          const info = r.info(name);
          assert.equal(info.dtype, 'F32');
          params += product(info.shape);
          assert.equal(r.get(name).length, product(info.shape));
        }
        assert.equal(params, want.params);
      } finally {
        r.close();
      }
    });
  }

  test('shapes the README lists', () => {
    const shapes = (model: string) => {
      const r = openSafetensors(weightsOf(model));
      const out = Object.fromEntries(r.names.map((n) => [n, [...r.info(n).shape]]));
      r.close();
      return out;
    };
    const gpt2 = shapes('gpt2-tiny');
    assert.deepEqual(gpt2['transformer.wte.weight'], [96, 32]);
    assert.deepEqual(gpt2['transformer.wpe.weight'], [64, 32]);
    assert.deepEqual(gpt2['transformer.h.0.attn.c_attn.weight'], [32, 96]);
    assert.deepEqual(gpt2['transformer.h.1.mlp.c_proj.weight'], [128, 32]);
    assert.equal(gpt2['lm_head.weight'], undefined);
    const llama = shapes('llama-tiny');
    assert.deepEqual(llama['lm_head.weight'], [96, 32]);
    assert.deepEqual(llama['model.layers.0.self_attn.k_proj.weight'], [16, 32]);
    assert.deepEqual(llama['model.norm.weight'], [32]);
    const qwen = shapes('qwen2-tiny');
    assert.equal(qwen['lm_head.weight'], undefined);
    assert.deepEqual(qwen['model.layers.1.self_attn.q_proj.bias'], [32]);
    assert.deepEqual(qwen['model.layers.1.self_attn.v_proj.bias'], [16]);
    assert.equal(qwen['model.layers.1.self_attn.o_proj.bias'], undefined);
  });

  test('lazy get() and eager readSafetensors() agree bit for bit; eager F32 tensors are views', () => {
    const file = weightsOf('llama-tiny');
    const eager = readSafetensors(file);
    const lazy = openSafetensors(file);
    try {
      assert.deepEqual(Object.keys(eager.tensors), [...lazy.names]);
      const buffers = new Set(Object.values(eager.tensors).map((t) => t.data.buffer));
      assert.equal(buffers.size, 1, 'one read of the file, zero-copy views');
      for (const name of lazy.names) assert.deepEqual(bitsOf(lazy.get(name)), bitsOf(eager.tensors[name]!.data));
    } finally {
      lazy.close();
    }
  });

  test('a known value: an element of model.norm.weight equals the float32 at its file offset', () => {
    const file = weightsOf('llama-tiny');
    const r = openSafetensors(file);
    const bytes = fs.readFileSync(file);
    const headerLength = Number(bytes.readBigUInt64LE(0));
    const info = r.info('model.norm.weight');
    const at = 8 + headerLength + info.dataOffsets[0];
    assert.equal(r.get('model.norm.weight')[5], bytes.readFloatLE(at + 5 * 4));
    r.close();
  });

  test('unknown tensor names and reads after close() are one-line errors naming the file', () => {
    const file = weightsOf('gpt2-tiny');
    const r = openSafetensors(file);
    assert.throws(() => r.get('nope'), (e: Error) => e instanceof SafetensorsError && e.message.startsWith(`${file}: no tensor named "nope"`));
    r.close();
    r.close();
    assert.throws(() => r.get('transformer.wte.weight'), /reader was closed/);
  });
});

describe('round trip', () => {
  for (const model of Object.keys(MODELS)) {
    test(`${model}: read -> write -> read is bit-identical and the file byte-identical`, () => {
      const file = weightsOf(model);
      const { metadata, tensors } = readSafetensors(file);
      const out = path.join(tmp, `${model}.safetensors`);
      writeSafetensors(out, tensors, metadata);
      assert.ok(fs.readFileSync(out).equals(fs.readFileSync(file)), 'byte-identical file');
      const again = readSafetensors(out);
      for (const [name, t] of Object.entries(tensors)) {
        assert.deepEqual(again.tensors[name]!.shape, t.shape);
        assert.deepEqual(bitsOf(again.tensors[name]!.data), bitsOf(t.data));
      }
      assert.deepEqual(fs.readdirSync(tmp).filter((f) => f.endsWith('.tmp')), [], 'no temp files left');
    });
  }

  test('writing without metadata gives {"format":"pt"}; header padded to 8 and data contiguous', () => {
    const out = path.join(tmp, 'meta.safetensors');
    writeSafetensors(out, {
      b: { dtype: 'F32', shape: [3], data: new Float32Array([1, 2, 3]) },
      a: { dtype: 'F32', shape: [], data: new Float32Array([7]) },
    });
    const bytes = fs.readFileSync(out);
    const n = Number(bytes.readBigUInt64LE(0));
    assert.equal(n % 8, 0);
    const header = bytes.subarray(8, 8 + n).toString('utf8');
    assert.equal(
      header.trimEnd(),
      '{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[3],"data_offsets":[4,16]}}',
    );
    assert.equal(bytes.length, 8 + n + 16);
    const r = openSafetensors(out);
    assert.deepEqual([...r.get('a')], [7]);
    assert.deepEqual([...r.get('b')], [1, 2, 3]);
    r.close();
  });

  test('F16, BF16 and F64 files read back as float32 (rounded once, on write)', () => {
    const values = new Float32Array([1, -2.5, 0.1, 65504, 1e-8, Infinity, NaN, 3.14159]);
    const out = path.join(tmp, 'mixed.safetensors');
    const tensors: Record<string, TensorToWrite> = {
      f16: { dtype: 'F16', shape: [2, 4], data: values },
      bf16: { dtype: 'BF16', shape: [8], data: values },
      f64: { dtype: 'F64', shape: [8], data: values },
    };
    writeSafetensors(out, tensors);
    const r = openSafetensors(out);
    try {
      assert.equal(r.info('f16').dtype, 'F16');
      assert.deepEqual(r.info('f16').dataOffsets[1] - r.info('f16').dataOffsets[0], 16);
      assert.deepEqual([...r.get('f16')], [1, -2.5, 0.0999755859375, 65504, 0, Infinity, NaN, 3.140625]);
      assert.deepEqual([...r.get('bf16')], [1, -2.5, 0.10009765625, 65536, 1.0011717677116394e-8, Infinity, NaN, 3.140625]);
      assert.deepEqual(bitsOf(r.get('f64')), bitsOf(values));
      assert.equal(r.getRaw('f16').data.constructor, Uint16Array);
      assert.equal((r.getRaw('f16').data as Uint16Array)[0], 0x3c00);
      assert.equal((r.getRaw('bf16').data as Uint16Array)[0], 0x3f80);
      assert.ok(r.getRaw('f64').data instanceof Float64Array);
      // rewriting the read-back F16 values is lossless
      const again = readSafetensors(out);
      const out2 = path.join(tmp, 'mixed2.safetensors');
      writeSafetensors(out2, again.tensors, again.metadata);
      assert.ok(fs.readFileSync(out2).equals(fs.readFileSync(out)));
    } finally {
      r.close();
    }
  });

  test('integer and bool tensors: getRaw() returns typed arrays, get() refuses with a hint', () => {
    const file = path.join(tmp, 'ints.safetensors');
    const header = Buffer.from(
      '{"ids":{"dtype":"I64","shape":[2],"data_offsets":[0,16]},"mask":{"dtype":"BOOL","shape":[3],"data_offsets":[16,19]},"n":{"dtype":"I32","shape":[1],"data_offsets":[19,23]}}',
    );
    const data = Buffer.alloc(23);
    data.writeBigInt64LE(-5n, 0);
    data.writeBigInt64LE(1n << 40n, 8);
    data.set([1, 0, 1], 16);
    data.writeInt32LE(-7, 19);
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(header.length));
    fs.writeFileSync(file, Buffer.concat([len, header, data]));
    const r = openSafetensors(file);
    try {
      assert.deepEqual([...(r.getRaw('ids').data as BigInt64Array)], [-5n, 1n << 40n]);
      assert.deepEqual([...(r.getRaw('mask').data as Uint8Array)], [1, 0, 1]);
      assert.deepEqual([...(r.getRaw('n').data as Int32Array)], [-7]);
      assert.throws(() => r.get('ids'), (e: Error) => e.message.startsWith(`${file}: tensor "ids" has dtype I64`) && /getRaw/.test(e.message));
      assert.throws(() => readSafetensors(file), /dtype I64.*getRaw/);
    } finally {
      r.close();
    }
  });

  test('a reader keeps reading the file it opened when the path is replaced atomically', () => {
    const out = path.join(tmp, 'replaced.safetensors');
    writeSafetensors(out, { w: { dtype: 'F32', shape: [2], data: new Float32Array([1, 2]) } });
    const r = openSafetensors(out);
    writeSafetensors(out, { w: { dtype: 'F32', shape: [2], data: new Float32Array([3, 4]) } });
    assert.deepEqual([...r.get('w')], [1, 2]);
    r.close();
    const r2 = openSafetensors(out);
    assert.deepEqual([...r2.get('w')], [3, 4]);
    r2.close();
  });

  test('writer input errors name the file and the tensor', () => {
    const out = path.join(tmp, 'bad-input.safetensors');
    const f = new Float32Array(3);
    assert.throws(() => writeSafetensors(out, { w: { dtype: 'F32', shape: [2, 2], data: f } }), (e: Error) =>
      e.message === `${out}: cannot write tensor "w": data has 3 elements but shape [2,2] needs 4`);
    assert.throws(() => writeSafetensors(out, { w: { dtype: 'I8' as 'F32', shape: [3], data: f } }), /dtype "I8" is not writable/);
    assert.throws(() => writeSafetensors(out, { __metadata__: { dtype: 'F32', shape: [3], data: f } }), /reserved/);
    assert.throws(() => writeSafetensors(path.join(tmp, 'no-such-dir', 'x.safetensors'), {}), /: cannot write: /);
    assert.equal(fs.existsSync(out), false);
  });
});

describe('sharded', () => {
  test('an index with two shards reads like the single file', () => {
    const { metadata, tensors } = readSafetensors(weightsOf('llama-tiny'));
    const dir = fs.mkdtempSync(path.join(tmp, 'sharded-'));
    const names = Object.keys(tensors);
    const half = Math.ceil(names.length / 2);
    const shards = [names.slice(0, half), names.slice(half)];
    const weightMap: Record<string, string> = {};
    shards.forEach((shardNames, i) => {
      const shardFile = `model-0000${i + 1}-of-00002.safetensors`;
      writeSafetensors(path.join(dir, shardFile), Object.fromEntries(shardNames.map((n) => [n, tensors[n]!])), metadata);
      for (const n of shardNames) weightMap[n] = shardFile;
    });
    const index = path.join(dir, 'model.safetensors.index.json');
    fs.writeFileSync(index, JSON.stringify({ metadata: { total_size: 98944 }, weight_map: weightMap }, null, 2));
    const r = openSafetensors(index);
    try {
      assert.equal(r.path, index);
      assert.equal(r.files.length, 2);
      assert.deepEqual(r.metadata, { format: 'pt' });
      assert.deepEqual([...r.names], names);
      for (const n of names) {
        assert.deepEqual(bitsOf(r.get(n)), bitsOf(tensors[n]!.data));
        assert.deepEqual(r.info(n).shape, tensors[n]!.shape);
      }
      assert.throws(() => r.get('nope'), (e: Error) => e.message.startsWith(`${index}: no tensor named "nope"`));
    } finally {
      r.close();
    }

    const variant = (name: string, map: Record<string, string>) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, JSON.stringify({ weight_map: map }));
      return file;
    };
    const missingShard = variant('a.index.json', { ...weightMap, extra: 'model-00003-of-00003.safetensors' });
    assert.throws(() => openSafetensors(missingShard), (e: Error) =>
      e.message.startsWith(`${missingShard}: shard "model-00003-of-00003.safetensors" listed in weight_map is missing`));
    const wrongShard = variant('b.index.json', { ...weightMap, [names[0]!]: 'model-00002-of-00002.safetensors' });
    assert.throws(() => openSafetensors(wrongShard), /puts tensor "lm_head.weight" in shard "model-00002-of-00002.safetensors", which has no such tensor/);
    const { [names[0]!]: _dropped, ...partial } = weightMap;
    const unlisted = variant('c.index.json', partial);
    assert.throws(() => openSafetensors(unlisted), /holds tensor "lm_head.weight", which is not in weight_map/);
    const escaping = variant('d.index.json', { x: '../model.safetensors' });
    assert.throws(() => openSafetensors(escaping), /outside the index's folder/);
    const notJson = path.join(dir, 'e.index.json');
    fs.writeFileSync(notJson, '{"weight_map": ');
    assert.throws(() => openSafetensors(notJson), (e: Error) => e.message.startsWith(`${notJson}: invalid sharded-checkpoint index: not valid JSON`));
  });
});
