// Opens a dataset file as a stream of byte chunks, transparently gunzipping it when it starts with
// the gzip magic bytes (whatever its name). A gzip stream cut short or corrupt becomes a
// DataFileError that says so; the chunks before the damage have already been handed out.

import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { DataFileError } from './record-types.js';

const CHUNK_BYTES = 1 << 20;

/** Reads the first `n` bytes of a file (fewer if the file is shorter). */
export async function readHead(file: string, n: number): Promise<Buffer> {
  const handle = await openOrThrow(file);
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await handle.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function openOrThrow(file: string) {
  try {
    const s = await stat(file);
    if (s.isDirectory()) {
      throw new DataFileError({ file }, 'expected a data file, found a directory', 'pass the file itself');
    }
    return await open(file, 'r');
  } catch (err) {
    if (err instanceof DataFileError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DataFileError({ file }, 'file not found', 'check the path');
    if (code === 'EACCES') throw new DataFileError({ file }, 'permission denied', 'check the file mode');
    throw new DataFileError({ file }, `cannot open: ${(err as Error).message}`);
  }
}

export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/**
 * Yields the file's content in chunks (decompressed when gzip). `onLine` lets the caller tell
 * where it was when a gzip error happens, so the message can name the last line read.
 */
export async function* readBytes(
  file: string,
  where: () => string = () => '',
): AsyncGenerator<Buffer> {
  const head = await readHead(file, 2);
  const gzip = isGzip(head);
  const raw = createReadStream(file, { highWaterMark: CHUNK_BYTES });
  if (!gzip) {
    try {
      for await (const chunk of raw) yield chunk as Buffer;
    } catch (err) {
      throw new DataFileError({ file }, `read failed: ${(err as Error).message}`);
    }
    return;
  }
  const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
  raw.on('error', (err) => gunzip.destroy(err));
  raw.pipe(gunzip);
  let produced = 0;
  try {
    for await (const chunk of gunzip) {
      produced += (chunk as Buffer).length;
      yield chunk as Buffer;
    }
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const after = `after ${produced} decompressed bytes${where() ? `, ${where()}` : ''}`;
    if (e.code === 'Z_BUF_ERROR' || /unexpected end/i.test(e.message)) {
      throw new DataFileError(
        { file },
        `the gzip stream ends early: the file is cut short (${after})`,
        'the download or copy was interrupted; fetch the file again or re-compress it with gzip',
      );
    }
    throw new DataFileError(
      { file },
      `the gzip data is corrupt: ${e.message} (${after})`,
      'check the file with `gzip -t FILE`; fetch it again',
    );
  } finally {
    raw.destroy();
    gunzip.destroy();
  }
}
