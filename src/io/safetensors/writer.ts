// Writing a .safetensors file, byte for byte in the layout of the fixture README
// (test/fixtures/models/README.md):
//
// - bytes 0-7: N, the header length, u64 little-endian;
// - N bytes of compact UTF-8 JSON: "__metadata__" first, then one entry per tensor
//   {"dtype": ..., "shape": [...], "data_offsets": [begin, end]}, tensors sorted by name (code point
//   order, like Python's sorted), padded with trailing spaces so N is a multiple of 8 (the data then
//   starts 8-byte aligned);
// - the data: each tensor little-endian, row-major, packed end to end in name order, no gaps.
//
// A Float32Array is stored as F32 (as is), F16 or BF16 (rounded to nearest, ties to even, see half.ts)
// or F64 (exact). Metadata defaults to {"format": "pt"}, and "format": "pt" is added first when the
// given metadata lacks it: transformers refuses a file whose format is not pt/tf/flax/mlx.
// The file is written atomically (atomic-write.ts).

import { compareCodePoints } from './code-point-order.js';
import { DTYPE_SIZES, elementCount, FLOAT_DTYPES, isFloatDtype, type WritableDtype } from './dtypes.js';
import { SafetensorsError, messageOf } from './errors.js';
import { bytesOf, HOST_IS_LITTLE_ENDIAN, swapBytes } from './file-read.js';
import { f32ArrayToBf16, f32ArrayToF16 } from './half.js';
import { writeFileAtomic } from './atomic-write.js';

/** One tensor to write: float32 values, stored as `dtype`. */
export interface TensorToWrite {
  readonly dtype: WritableDtype;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** Writes `tensors` to `file` atomically. Throws a SafetensorsError naming the file on bad input. */
export function writeSafetensors(
  file: string,
  tensors: Readonly<Record<string, TensorToWrite>>,
  metadata?: Readonly<Record<string, string>>,
): void {
  const names = Object.keys(tensors).sort(compareCodePoints);
  for (const name of names) checkTensor(file, name, tensors[name]!);
  const header = encodeHeader(file, names, tensors, metadata);
  const lengthBytes = new Uint8Array(8);
  new DataView(lengthBytes.buffer).setBigUint64(0, BigInt(header.length), true);
  try {
    writeFileAtomic(file, (write) => {
      write(lengthBytes);
      write(header);
      for (const name of names) write(encodeData(tensors[name]!));
    });
  } catch (err) {
    throw new SafetensorsError(file, `cannot write: ${messageOf(err)}`);
  }
}

function checkTensor(file: string, name: string, t: TensorToWrite): void {
  const bad = (problem: string) => new SafetensorsError(file, `cannot write tensor ${JSON.stringify(name)}: ${problem}`);
  if (name === '__metadata__' || name === '') throw bad('reserved or empty tensor name');
  if (typeof t !== 'object' || t === null) throw bad('expected {dtype, shape, data}');
  if (!isFloatDtype(t.dtype)) {
    throw bad(`dtype ${JSON.stringify(t.dtype)} is not writable (expected one of ${FLOAT_DTYPES.join(', ')})`);
  }
  if (!Array.isArray(t.shape) || !t.shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw bad(`shape ${JSON.stringify(t.shape)} must be an array of non-negative integers`);
  }
  if (!(t.data instanceof Float32Array)) throw bad('data must be a Float32Array');
  const count = elementCount(t.shape);
  if (t.data.length !== count) {
    throw bad(`data has ${t.data.length} elements but shape ${JSON.stringify(t.shape)} needs ${count}`);
  }
}

function encodeHeader(
  file: string,
  names: readonly string[],
  tensors: Readonly<Record<string, TensorToWrite>>,
  metadata: Readonly<Record<string, string>> | undefined,
): Uint8Array {
  const meta: [string, string][] = metadata ? Object.entries(metadata) : [];
  for (const [key, value] of meta) {
    if (typeof value !== 'string') {
      throw new SafetensorsError(file, `cannot write: metadata ${JSON.stringify(key)} must be a string, got ${typeof value}`);
    }
  }
  if (!meta.some(([key]) => key === 'format')) meta.unshift(['format', 'pt']);
  const metaJson = `{${meta.map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`).join(',')}}`;
  const parts = [`"__metadata__":${metaJson}`];
  let offset = 0;
  for (const name of names) {
    const t = tensors[name]!;
    const end = offset + elementCount(t.shape) * DTYPE_SIZES[t.dtype];
    parts.push(
      `${JSON.stringify(name)}:{"dtype":${JSON.stringify(t.dtype)},"shape":${JSON.stringify(t.shape)},"data_offsets":[${offset},${end}]}`,
    );
    offset = end;
  }
  const json = Buffer.from(`{${parts.join(',')}}`, 'utf8');
  const padded = new Uint8Array(Math.ceil(json.length / 8) * 8).fill(0x20);
  padded.set(json);
  return padded;
}

function encodeData(t: TensorToWrite): Uint8Array {
  let bytes: Uint8Array;
  switch (t.dtype) {
    case 'F32':
      bytes = bytesOf(t.data);
      break;
    case 'F16':
      bytes = bytesOf(f32ArrayToF16(t.data));
      break;
    case 'BF16':
      bytes = bytesOf(f32ArrayToBf16(t.data));
      break;
    case 'F64':
      bytes = bytesOf(Float64Array.from(t.data));
      break;
  }
  if (!HOST_IS_LITTLE_ENDIAN) {
    if (t.dtype === 'F32') bytes = bytes.slice(); // never swap the caller's array in place
    swapBytes(bytes, DTYPE_SIZES[t.dtype]);
  }
  return bytes;
}
