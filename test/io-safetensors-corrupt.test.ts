// Corrupt and truncated safetensors files: each gets one SafetensorsError whose single-line message
// starts with the file and names the problem, from both the lazy and the eager reader.

import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openSafetensors, readSafetensors, SafetensorsError } from '../src/io/safetensors/index.js';

const FIXTURE = fileURLToPath(new URL('../../test/fixtures/models/llama-tiny/model.safetensors', import.meta.url));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'prefkit-io-corrupt-'));
after(() => fs.rmSync(tmp, { recursive: true, force: true }));

let counter = 0;
function file(bytes: Uint8Array): string {
  const f = path.join(tmp, `case-${counter++}.safetensors`);
  fs.writeFileSync(f, bytes);
  return f;
}

/** 8-byte length + header text (padded to 8) + `dataBytes` zero bytes; `length` overrides N. */
function build(header: string | object, dataBytes: number, length?: bigint): string {
  const text = typeof header === 'string' ? header : JSON.stringify(header);
  const json = Buffer.from(text + ' '.repeat((8 - (Buffer.byteLength(text) % 8)) % 8));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(length ?? BigInt(json.length));
  return file(Buffer.concat([len, json, Buffer.alloc(dataBytes)]));
}

const f32 = (shape: number[], begin: number, end: number) => ({ dtype: 'F32', shape, data_offsets: [begin, end] });

function expectError(f: string, problem: RegExp): void {
  for (const read of [() => openSafetensors(f).close(), () => readSafetensors(f)]) {
    assert.throws(read, (e: unknown) => {
      assert.ok(e instanceof SafetensorsError, `expected a SafetensorsError, got ${String(e)}`);
      assert.ok(e.message.startsWith(`${f}: `), `message names the file: ${e.message}`);
      assert.ok(!e.message.includes('\n'), `one line: ${e.message}`);
      assert.match(e.message, problem);
      return true;
    });
  }
}

describe('corrupt safetensors files', () => {
  test('shorter than the 8-byte length', () => {
    expectError(file(new Uint8Array([1, 2, 3])), /truncated or not safetensors: 3 bytes, too short for the 8-byte header length/);
    expectError(file(new Uint8Array(0)), /0 bytes, too short/);
  });

  test('header length beyond the file size', () => {
    expectError(build({ a: f32([1], 0, 4) }, 4, 4096n), /header length 4096 runs past the end of the file \(\d+ bytes\)/);
    expectError(build({ a: f32([1], 0, 4) }, 4, 2n ** 63n), /header length 9223372036854775808 runs past the end/);
  });

  test('header length too small', () => {
    expectError(build('', 0, 0n), /header length 0 is too small/);
  });

  test('header not valid JSON', () => {
    expectError(build('{"a": {"dtype": "F32",', 0), /invalid safetensors header: not valid JSON \(/);
  });

  test('header not starting with {', () => {
    expectError(build('[1, 2]', 0), /must start with '\{', got "\[1, 2\]/);
    expectError(build(' {}', 0), /must start with '\{'/);
  });

  test('header not UTF-8', () => {
    const bytes = Buffer.alloc(16);
    bytes.writeBigUInt64LE(8n);
    bytes.set([0x7b, 0xff, 0xfe, 0x7d, 0x20, 0x20, 0x20, 0x20], 8);
    expectError(file(bytes), /not valid UTF-8/);
  });

  test('unknown dtype', () => {
    expectError(build({ w: { dtype: 'F4', shape: [2], data_offsets: [0, 1] } }, 1), /tensor "w" has unknown dtype "F4" \(known: BOOL, U8/);
    expectError(build({ w: { shape: [2], data_offsets: [0, 8] } }, 8), /tensor "w" has unknown dtype undefined/);
  });

  test('byte length != product(shape) x dtype size', () => {
    expectError(
      build({ w: f32([2, 2], 0, 12) }, 12),
      /tensor "w" byte length 12 \(data_offsets \[0,12\]\) does not match shape \[2,2\] x F32 \(4 bytes\) = 16 bytes/,
    );
    expectError(build({ w: { dtype: 'BF16', shape: [3], data_offsets: [0, 4] } }, 4), /shape \[3\] x BF16 \(2 bytes\) = 6 bytes/);
  });

  test('invalid shape or data_offsets', () => {
    expectError(build({ w: f32([-1], 0, 4) }, 4), /tensor "w" has invalid shape \[-1\]/);
    expectError(build({ w: f32([1.5] as number[], 0, 4) }, 4), /invalid shape \[1.5\]/);
    expectError(build({ w: { dtype: 'F32', shape: [1], data_offsets: [8, 4] } }, 8), /invalid data_offsets \[8,4\]/);
    expectError(build({ w: { dtype: 'F32', shape: [1], data_offsets: [0] } }, 4), /invalid data_offsets \[0\]/);
    expectError(build({ w: [1, 2] }, 0), /tensor "w" is not an object/);
  });

  test('overlapping offsets', () => {
    expectError(build({ a: f32([2], 0, 8), b: f32([2], 4, 12) }, 12), /tensors "a" \[0, 8\] and "b" \[4, 12\] overlap/);
  });

  test('offsets not contiguous', () => {
    expectError(
      build({ a: f32([1], 0, 4), b: f32([1], 8, 12) }, 12),
      /offsets are not contiguous: 4 unused bytes between tensors "a" \[0, 4\] and "b" \[8, 12\]/,
    );
    expectError(build({ a: f32([1], 4, 8) }, 8), /not contiguous: 4 unused bytes before the first tensor "a" \[4, 8\]/);
  });

  test('offsets out of range', () => {
    expectError(
      build({ a: f32([1], 0, 4), b: f32([2], 4, 12) }, 8),
      /truncated or its offsets are out of range: the header describes 12 bytes of tensor data \(last: "b" \[4, 12\]\) but only 8 bytes follow the header/,
    );
  });

  test('bytes after the last tensor', () => {
    expectError(build({ a: f32([1], 0, 4) }, 9), /5 bytes after the last tensor are not described by the header/);
  });

  test('truncated file (a real checkpoint cut short)', () => {
    const whole = fs.readFileSync(FIXTURE);
    expectError(file(whole.subarray(0, whole.length - 100)), /file is truncated or its offsets are out of range: the header describes 98944 bytes .* but only 98844/);
    expectError(file(whole.subarray(0, 200)), /header length \d+ runs past the end of the file \(200 bytes\)/);
  });

  test('__metadata__ that is not string -> string', () => {
    expectError(build({ __metadata__: { total: 3 }, a: f32([1], 0, 4) }, 4), /"__metadata__" value for "total" must be a string, got 3/);
    expectError(build({ __metadata__: 'pt' }, 0), /"__metadata__" must be an object of strings/);
  });

  test('missing file and directory', () => {
    const missing = path.join(tmp, 'missing.safetensors');
    expectError(missing, /cannot open: no such file/);
    expectError(tmp, /is a directory, not a \.safetensors file/);
  });

  test('an empty file with only a header is valid', () => {
    const f = build({ __metadata__: { format: 'pt' } }, 0);
    const r = openSafetensors(f);
    assert.deepEqual(r.names, []);
    r.close();
    assert.deepEqual(readSafetensors(f).tensors, {});
  });
});
