// Low-level positional reads for the safetensors reader: open with a one-line error, read an exact
// byte range (in chunks below the 2 GiB limit of a single read, retrying short reads), and fix the
// byte order of raw elements on a big-endian host (safetensors data is little-endian).

import * as fs from 'node:fs';
import * as os from 'node:os';
import { SafetensorsError, messageOf } from './errors.js';

const CHUNK_BYTES = 1 << 30;

export const HOST_IS_LITTLE_ENDIAN = os.endianness() === 'LE';

/** Opens `file` for reading; returns the descriptor and the file size. */
export function openForRead(file: string): { fd: number; size: number } {
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch (err) {
    throw new SafetensorsError(file, describeOpenError(err));
  }
  try {
    const stat = fs.fstatSync(fd);
    if (stat.isDirectory()) {
      throw new SafetensorsError(file, 'is a directory, not a .safetensors file (use readCheckpointFolder for a model folder)');
    }
    return { fd, size: stat.size };
  } catch (err) {
    fs.closeSync(fd);
    if (err instanceof SafetensorsError) throw err;
    throw new SafetensorsError(file, `cannot read: ${messageOf(err)}`);
  }
}

function describeOpenError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'cannot open: no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot open: permission denied';
  if (code === 'EISDIR') return 'is a directory, not a .safetensors file (use readCheckpointFolder for a model folder)';
  return `cannot open: ${messageOf(err)}`;
}

/** Fills `target` with the bytes of `file` starting at `position`; a short file is an error. */
export function readExactly(fd: number, file: string, target: Uint8Array, position: number): void {
  let done = 0;
  while (done < target.length) {
    const want = Math.min(CHUNK_BYTES, target.length - done);
    let got: number;
    try {
      got = fs.readSync(fd, target, done, want, position + done);
    } catch (err) {
      throw new SafetensorsError(file, `read failed at byte ${position + done}: ${messageOf(err)}`);
    }
    if (got === 0) {
      throw new SafetensorsError(
        file,
        `file is truncated: expected ${target.length} bytes at offset ${position}, the file ends after ${done} (was it changed while open?)`,
      );
    }
    done += got;
  }
}

/** The bytes under a typed array, as a Uint8Array view (no copy). */
export function bytesOf(array: ArrayBufferView): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/** Reverses the bytes of each `size`-byte element in place (little-endian file <-> big-endian host). */
export function swapBytes(bytes: Uint8Array, size: number): void {
  if (size === 1) return;
  for (let i = 0; i + size <= bytes.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = bytes[a]!;
      bytes[a] = bytes[b]!;
      bytes[b] = t;
    }
  }
}
