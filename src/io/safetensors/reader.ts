// The lazy reader of one .safetensors file.
//
// Opening reads only the 8-byte length and the JSON header (validated in full, see header.ts) and keeps
// the file descriptor open. `get(name)` then reads exactly that tensor's bytes with one positional read
// straight into the returned array, so a checkpoint is never read twice and never held twice in memory;
// results are not cached (each call reads again: keep what you need). Because the descriptor stays
// open, a reader keeps reading the file it opened even if the path is atomically replaced meanwhile
// (e.g. a checkpoint saved over the folder it was loaded from). Call `close()` when done.

import * as fs from 'node:fs';
import { allocRaw, DTYPE_SIZES, elementCount, type RawData, type SafetensorsDtype } from './dtypes.js';
import { assertFloat, rawToFloat32 } from './convert.js';
import { SafetensorsError } from './errors.js';
import { bytesOf, HOST_IS_LITTLE_ENDIAN, openForRead, readExactly, swapBytes } from './file-read.js';
import { parseHeader, parseHeaderLength, type SafetensorsHeader, type TensorInfo } from './header.js';

/** A tensor's raw elements in the typed array that matches its dtype (F16/BF16: 16-bit patterns). */
export interface RawTensor {
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  readonly data: RawData;
}

/** The common interface of a single file and a sharded checkpoint. */
export interface SafetensorsReader {
  /** The .safetensors file, or the .index.json of a sharded checkpoint. */
  readonly path: string;
  /** The .safetensors files behind this reader. */
  readonly files: readonly string[];
  /** The "__metadata__" of the file (of the first shard when sharded). */
  readonly metadata: Readonly<Record<string, string>>;
  /** All tensor names, sorted. */
  readonly names: readonly string[];
  has(name: string): boolean;
  /** dtype, shape, offsets and file of a tensor; throws on an unknown name. */
  info(name: string): TensorInfo;
  /** The tensor as float32 (F32, F16, BF16 upcast; F64 rounded); reads only its bytes. */
  get(name: string): Float32Array;
  /** The tensor's elements in their own dtype, for any dtype. */
  getRaw(name: string): RawTensor;
  /** Releases the open file(s); later reads throw. Safe to call twice. */
  close(): void;
}

/** Opens one .safetensors file lazily: reads and validates its header, keeps the file open. */
export function openSafetensorsFile(file: string): SafetensorsReader {
  const { fd, size } = openForRead(file);
  try {
    const first8 = new Uint8Array(8);
    if (size >= 8) readExactly(fd, file, first8, 0);
    const n = parseHeaderLength(file, first8, size);
    const headerBytes = new Uint8Array(n);
    readExactly(fd, file, headerBytes, 8);
    const header = parseHeader(file, headerBytes, size - 8 - n);
    return new FileReader(header, fd);
  } catch (err) {
    fs.closeSync(fd);
    throw err;
  }
}

class FileReader implements SafetensorsReader {
  readonly path: string;
  readonly files: readonly string[];
  readonly metadata: Readonly<Record<string, string>>;
  readonly names: readonly string[];
  private fd: number | undefined;

  constructor(
    private readonly header: SafetensorsHeader,
    fd: number,
  ) {
    this.fd = fd;
    this.path = header.file;
    this.files = [header.file];
    this.metadata = header.metadata;
    this.names = [...header.tensors.keys()];
  }

  has(name: string): boolean {
    return this.header.tensors.has(name);
  }

  info(name: string): TensorInfo {
    const info = this.header.tensors.get(name);
    if (!info) throw unknownTensor(this.path, name, this.names);
    return info;
  }

  get(name: string): Float32Array {
    const info = this.info(name);
    assertFloat(this.path, name, info.dtype);
    return rawToFloat32(this.path, name, info.dtype, this.readRaw(info));
  }

  getRaw(name: string): RawTensor {
    const info = this.info(name);
    return { dtype: info.dtype, shape: [...info.shape], data: this.readRaw(info) };
  }

  close(): void {
    if (this.fd !== undefined) fs.closeSync(this.fd);
    this.fd = undefined;
  }

  private readRaw(info: TensorInfo): RawData {
    if (this.fd === undefined) {
      throw new SafetensorsError(this.path, `cannot read tensor ${JSON.stringify(info.name)}: the reader was closed`);
    }
    const raw = allocRaw(info.dtype, elementCount(info.shape));
    const bytes = bytesOf(raw);
    readExactly(this.fd, this.path, bytes, this.header.dataStart + info.dataOffsets[0]);
    if (!HOST_IS_LITTLE_ENDIAN) swapBytes(bytes, DTYPE_SIZES[info.dtype]);
    return raw;
  }
}

/** The error for a name that is not in the checkpoint, with a few names that are. */
export function unknownTensor(path: string, name: string, names: readonly string[]): SafetensorsError {
  const sample = names.slice(0, 3).map((n) => JSON.stringify(n)).join(', ');
  const more = names.length > 3 ? ', ...' : '';
  return new SafetensorsError(
    path,
    `no tensor named ${JSON.stringify(name)} (it holds ${names.length} tensors${names.length ? `: ${sample}${more}` : ''})`,
  );
}
