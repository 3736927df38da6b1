// Parsing and validating a safetensors header.
//
// Layout: bytes 0-7 hold N, the header length (u64 little-endian); the next N bytes are a UTF-8 JSON
// object (possibly padded with trailing spaces); the tensor data follows. The JSON maps each tensor name
// to {dtype, shape, data_offsets: [begin, end]}, offsets counted from the first byte after the header,
// plus an optional "__metadata__" object of string -> string.
//
// Everything is checked before any tensor is read: the header length against the file size, the JSON,
// every entry's dtype, shape and offsets, byte length = product(shape) x dtype size, and that the
// tensors tile the data section exactly (sorted by offset: no overlap, no gap, nothing after the last
// one, nothing missing at the end = truncated file). Each failure is one SafetensorsError naming the file.

import { DTYPE_SIZES, elementCount, isDtype, type SafetensorsDtype } from './dtypes.js';
import { compareCodePoints } from './code-point-order.js';
import { SafetensorsError, messageOf } from './errors.js';

/** Same limit as the reference implementation (safetensors' MAX_HEADER_SIZE). */
export const MAX_HEADER_BYTES = 100_000_000;

/** One tensor as the header describes it. */
export interface TensorInfo {
  readonly name: string;
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  /** [begin, end) in bytes, counted from the start of the data section. */
  readonly dataOffsets: readonly [number, number];
  /** The safetensors file that holds the tensor. */
  readonly file: string;
}

/** The parsed, validated header of one file. */
export interface SafetensorsHeader {
  readonly file: string;
  readonly metadata: Readonly<Record<string, string>>;
  /** Tensor name -> info; names in sorted order. */
  readonly tensors: ReadonlyMap<string, TensorInfo>;
  /** File offset of the first data byte: 8 + header length. */
  readonly dataStart: number;
}

/**
 * Reads N from the first 8 bytes and checks it against the file size. Returns N as a number.
 */
export function parseHeaderLength(file: string, first8: Uint8Array, fileSize: number): number {
  if (fileSize < 8) {
    throw new SafetensorsError(
      file,
      `file is truncated or not safetensors: ${fileSize} bytes, too short for the 8-byte header length`,
    );
  }
  const view = new DataView(first8.buffer, first8.byteOffset, 8);
  const n = view.getBigUint64(0, true);
  if (n > BigInt(fileSize - 8)) {
    throw new SafetensorsError(
      file,
      `header length ${n} runs past the end of the file (${fileSize} bytes): truncated or not a safetensors file`,
    );
  }
  if (n > BigInt(MAX_HEADER_BYTES)) {
    throw new SafetensorsError(file, `header length ${n} exceeds the ${MAX_HEADER_BYTES}-byte limit of the format`);
  }
  if (n < 2n) throw new SafetensorsError(file, `header length ${n} is too small to hold a JSON object`);
  return Number(n);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Parses and validates the JSON header. `dataLength` is the number of bytes after the header.
 */
export function parseHeader(file: string, headerBytes: Uint8Array, dataLength: number): SafetensorsHeader {
  let text: string;
  try {
    text = utf8.decode(headerBytes);
  } catch {
    throw new SafetensorsError(file, 'invalid safetensors header: not valid UTF-8');
  }
  if (!text.startsWith('{')) {
    throw new SafetensorsError(file, `invalid safetensors header: it must start with '{', got ${JSON.stringify(text.slice(0, 16))}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new SafetensorsError(file, `invalid safetensors header: not valid JSON (${messageOf(err)})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new SafetensorsError(file, 'invalid safetensors header: the JSON is not an object');
  }
  const entries = json as Record<string, unknown>;
  const metadata = parseMetadata(file, entries['__metadata__']);
  const infos: TensorInfo[] = [];
  for (const [name, entry] of Object.entries(entries)) {
    if (name === '__metadata__') continue;
    infos.push(parseEntry(file, name, entry));
  }
  checkTiling(file, infos, dataLength);
  infos.sort((a, b) => compareCodePoints(a.name, b.name));
  return {
    file,
    metadata,
    tensors: new Map(infos.map((t) => [t.name, t])),
    dataStart: 8 + headerBytes.length,
  };
}

function parseMetadata(file: string, value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SafetensorsError(file, 'invalid safetensors header: "__metadata__" must be an object of strings');
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v !== 'string') {
      throw new SafetensorsError(
        file,
        `invalid safetensors header: "__metadata__" value for ${JSON.stringify(k)} must be a string, got ${JSON.stringify(v)}`,
      );
    }
    out[k] = v;
  }
  return out;
}

function parseEntry(file: string, name: string, entry: unknown): TensorInfo {
  const where = `tensor ${JSON.stringify(name)}`;
  const bad = (problem: string) => new SafetensorsError(file, `invalid safetensors header: ${where} ${problem}`);
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    throw bad('is not an object with dtype, shape and data_offsets');
  }
  const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;
  if (!isDtype(dtype)) {
    throw bad(`has unknown dtype ${JSON.stringify(dtype)} (known: ${Object.keys(DTYPE_SIZES).join(', ')})`);
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw bad(`has invalid shape ${JSON.stringify(shape)}: expected an array of non-negative integers`);
  }
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) ||
    offsets[0] > offsets[1]
  ) {
    throw bad(`has invalid data_offsets ${JSON.stringify(offsets)}: expected [begin, end] with 0 <= begin <= end`);
  }
  const count = elementCount(shape);
  const expected = count * DTYPE_SIZES[dtype];
  const actual = offsets[1] - offsets[0];
  if (!Number.isSafeInteger(expected) || expected !== actual) {
    throw bad(
      `byte length ${actual} (data_offsets ${JSON.stringify(offsets)}) does not match shape ${JSON.stringify(shape)} x ${dtype} (${DTYPE_SIZES[dtype]} bytes) = ${expected} bytes`,
    );
  }
  return { name, dtype, shape: [...shape], dataOffsets: [offsets[0], offsets[1]], file };
}

function checkTiling(file: string, infos: TensorInfo[], dataLength: number): void {
  const sorted = [...infos].sort((a, b) => a.dataOffsets[0] - b.dataOffsets[0] || a.dataOffsets[1] - b.dataOffsets[1]);
  let end = 0;
  let prev: TensorInfo | undefined;
  const span = (t: TensorInfo) => `${JSON.stringify(t.name)} [${t.dataOffsets[0]}, ${t.dataOffsets[1]}]`;
  for (const t of sorted) {
    const [begin, stop] = t.dataOffsets;
    if (begin < end) {
      throw new SafetensorsError(file, `invalid safetensors header: tensors ${span(prev!)} and ${span(t)} overlap`);
    }
    if (begin > end) {
      const before = prev ? `between tensors ${span(prev)} and ${span(t)}` : `before the first tensor ${span(t)}`;
      throw new SafetensorsError(
        file,
        `invalid safetensors header: offsets are not contiguous: ${begin - end} unused bytes ${before}`,
      );
    }
    end = stop;
    prev = t;
  }
  if (end > dataLength) {
    throw new SafetensorsError(
      file,
      `file is truncated or its offsets are out of range: the header describes ${end} bytes of tensor data (last: ${span(prev!)}) but only ${dataLength} bytes follow the header`,
    );
  }
  if (end < dataLength) {
    throw new SafetensorsError(
      file,
      `invalid safetensors file: ${dataLength - end} bytes after the last tensor are not described by the header`,
    );
  }
}
