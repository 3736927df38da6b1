// Reading a whole .safetensors file at once: one read of the file into one buffer, then every tensor
// as float32. F32 tensors whose data is 4-byte aligned in the file (always so for files from this
// writer and from the reference implementation, which pad the header to a multiple of 8) are views
// into that buffer, with no copy; others are copied or converted. Use it for small files and tests;
// `openSafetensors` reads tensor by tensor.

import { constants as bufferConstants } from 'node:buffer';
import * as fs from 'node:fs';
import { DTYPE_SIZES, elementCount, type FloatDtype, type RawData } from './dtypes.js';
import { assertFloat, rawToFloat32 } from './convert.js';
import { SafetensorsError } from './errors.js';
import { HOST_IS_LITTLE_ENDIAN, openForRead, readExactly, swapBytes } from './file-read.js';
import { parseHeader, parseHeaderLength, type TensorInfo } from './header.js';

/** A float tensor as read (its dtype in the file) or to be written. */
export interface FloatTensor {
  readonly dtype: FloatDtype;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export interface SafetensorsContents {
  readonly metadata: Record<string, string>;
  /** Name -> tensor, in sorted name order. */
  readonly tensors: Record<string, FloatTensor>;
}

/** Reads every tensor of a file as float32 with a single read of the file. */
export function readSafetensors(file: string): SafetensorsContents {
  const { fd, size } = openForRead(file);
  let bytes: Uint8Array;
  try {
    if (size > bufferConstants.MAX_LENGTH) {
      throw new SafetensorsError(
        file,
        `${size} bytes is too large to read at once; use openSafetensors() to read it tensor by tensor`,
      );
    }
    bytes = new Uint8Array(size);
    readExactly(fd, file, bytes, 0);
  } finally {
    fs.closeSync(fd);
  }
  const n = parseHeaderLength(file, bytes, size);
  const header = parseHeader(file, bytes.subarray(8, 8 + n), size - 8 - n);
  const tensors: Record<string, FloatTensor> = {};
  for (const info of header.tensors.values()) {
    assertFloat(file, info.name, info.dtype);
    const raw = rawView(bytes, header.dataStart, info);
    tensors[info.name] = {
      dtype: info.dtype as FloatDtype,
      shape: [...info.shape],
      data: rawToFloat32(file, info.name, info.dtype, raw),
    };
  }
  return { metadata: { ...header.metadata }, tensors };
}

/** The raw elements of a float tensor: a view when aligned and little-endian, else a copy. */
function rawView(bytes: Uint8Array, dataStart: number, info: TensorInfo): RawData {
  const size = DTYPE_SIZES[info.dtype];
  const start = bytes.byteOffset + dataStart + info.dataOffsets[0];
  const count = elementCount(info.shape);
  const aligned = start % size === 0;
  let source = bytes.buffer;
  let offset = start;
  if (!aligned || !HOST_IS_LITTLE_ENDIAN) {
    const copy = bytes.slice(start - bytes.byteOffset, start - bytes.byteOffset + count * size);
    if (!HOST_IS_LITTLE_ENDIAN) swapBytes(copy, size);
    source = copy.buffer;
    offset = 0;
  }
  switch (info.dtype) {
    case 'F32':
      return new Float32Array(source, offset, count);
    case 'F64':
      return new Float64Array(source, offset, count);
    default:
      return new Uint16Array(source, offset, count); // F16, BF16 (assertFloat ran before)
  }
}
