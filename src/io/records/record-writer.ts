// Writes records as JSON Lines (default) or one JSON array (`.json`), gzipped when the name ends in
// `.gz`. The output goes to `<file>.partial` and is renamed into place by `close()`, so a run that
// fails half-way never leaves a file that looks complete. Parquet output is not written.

import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { createGzip, type Gzip } from 'node:zlib';
import { DataFileError } from './record-types.js';

export interface RecordWriter {
  write(record: unknown): Promise<void>;
  /** Finishes the file and moves it into place. */
  close(): Promise<void>;
  /** Removes the partial output. */
  abort(): Promise<void>;
  readonly count: number;
}

export function outputFormatOf(file: string): 'jsonl' | 'json' {
  const name = file.replace(/\.gz$/i, '').toLowerCase();
  if (name.endsWith('.parquet')) {
    throw new DataFileError({ file }, 'writing Parquet is not supported', 'write .jsonl (or .jsonl.gz) and convert it with another tool if you need Parquet');
  }
  return name.endsWith('.json') ? 'json' : 'jsonl';
}

export function createRecordWriter(file: string): RecordWriter {
  const format = outputFormatOf(file);
  const partial = `${file}.partial`;
  const out: WriteStream = createWriteStream(partial);
  let failure: Error | undefined;
  out.on('error', (err) => (failure = err));
  const gzip: Gzip | undefined = /\.gz$/i.test(file) ? createGzip() : undefined;
  if (gzip) {
    gzip.on('error', (err) => (failure = err));
    gzip.pipe(out);
  }
  const sink = gzip ?? out;
  let count = 0;

  const push = async (text: string): Promise<void> => {
    if (failure) throw new DataFileError({ file }, `write failed: ${failure.message}`);
    if (!sink.write(text)) await once(sink, 'drain');
  };

  return {
    get count() {
      return count;
    },
    async write(record: unknown) {
      const json = format === 'json' ? JSON.stringify(record, null, 2).replace(/\n/g, '\n  ') : JSON.stringify(record);
      const prefix = format === 'json' ? (count === 0 ? '[\n  ' : ',\n  ') : '';
      count++;
      await push(prefix + json + (format === 'jsonl' ? '\n' : ''));
    },
    async close() {
      if (format === 'json') await push(count === 0 ? '[]\n' : '\n]\n');
      sink.end();
      await once(out, 'close');
      if (failure) throw new DataFileError({ file }, `write failed: ${failure.message}`);
      await rename(partial, file);
    },
    async abort() {
      sink.destroy();
      out.destroy();
      await rm(partial, { force: true });
    },
  };
}
