// One entry point for dataset files: picks the reader from the content (gzip and Parquet magic
// bytes, then the first non-blank character) and the name, and streams records from it.
//   .parquet or PAR1 magic          -> Parquet
//   first character '['             -> one JSON array of records
//   first character '{' (any name)  -> JSON Lines (what Hugging Face `to_json` writes, even as .json)

import { createGunzip } from 'node:zlib';
import { createReadStream } from 'node:fs';
import { isGzip, readHead } from './byte-source.js';
import { readJsonArray } from './json-array-reader.js';
import { readJsonl } from './jsonl-reader.js';
import { readParquet } from './parquet-reader.js';
import { DataFileError, type FileFormat, type RecordItem } from './record-types.js';

export interface FileKind {
  format: FileFormat;
  gzip: boolean;
}

export async function detectFileKind(file: string): Promise<FileKind> {
  const head = await readHead(file, 4);
  if (head.length === 4 && head.toString('latin1') === 'PAR1') return { format: 'parquet', gzip: false };
  const gzip = isGzip(head);
  const first = await firstNonBlankByte(file, gzip);
  if (first === '[') return { format: 'json', gzip };
  if (first === '{') return { format: 'jsonl', gzip };
  const name = file.replace(/\.gz$/i, '').toLowerCase();
  if (name.endsWith('.parquet')) {
    throw new DataFileError({ file }, 'named .parquet but does not start with the PAR1 magic bytes', 'the file is not Parquet or is damaged');
  }
  if (first === undefined) {
    throw new DataFileError({ file }, 'the file is empty: expected JSON Lines, a JSON array or Parquet', 'check that the file was written completely');
  }
  if (name.endsWith('.jsonl') || name.endsWith('.json') || name.endsWith('.ndjson')) {
    return { format: name.endsWith('.json') ? 'json' : 'jsonl', gzip };
  }
  throw new DataFileError(
    { file },
    `cannot tell the format: the content starts with '${first}', not '{' (JSON Lines), '[' (JSON array) or PAR1 (Parquet)`,
    'prefkit reads .jsonl, .json and .parquet files, optionally gzipped',
  );
}

/** Streams the records of a dataset file, whatever its format. */
export async function* readRecords(file: string, kind?: FileKind): AsyncGenerator<RecordItem> {
  const k = kind ?? (await detectFileKind(file));
  if (k.format === 'parquet') yield* readParquet(file);
  else if (k.format === 'json') yield* readJsonArray(file);
  else yield* readJsonl(file);
}

async function firstNonBlankByte(file: string, gzip: boolean): Promise<string | undefined> {
  const raw = createReadStream(file, { highWaterMark: 1 << 16 });
  const stream = gzip ? raw.pipe(createGunzip()) : raw;
  let seen = 0;
  try {
    for await (const chunk of stream) {
      for (const c of chunk as Buffer) {
        seen++;
        if (seen <= 3 && (c === 0xef || c === 0xbb || c === 0xbf)) continue;
        if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) return String.fromCharCode(c);
      }
      if (seen > 1 << 20) return undefined;
    }
  } catch {
    // A damaged gzip stream is reported by the reader itself, with its position.
    return gzip ? '{' : undefined;
  } finally {
    raw.destroy();
  }
  return undefined;
}
