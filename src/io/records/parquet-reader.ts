// Parquet through hyparquet (pure JS), one row group at a time, so memory is bounded by the
// largest row group rather than the file. Values are made plain JSON-like: 64-bit integers
// become numbers (or decimal strings past 2^53), byte arrays without a UTF-8 annotation stay
// Uint8Array (the schema layer reports them as a wrong type).

import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { DataFileError, type RecordItem } from './record-types.js';

export async function* readParquet(file: string): AsyncGenerator<RecordItem> {
  let buffer;
  let metadata;
  try {
    buffer = await asyncBufferFromFile(file);
    metadata = await parquetMetadataAsync(buffer);
  } catch (err) {
    const msg = (err as Error).message;
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DataFileError({ file }, 'file not found', 'check the path');
    throw new DataFileError(
      { file },
      `not a readable Parquet file: ${msg}`,
      /footer|too short|exceeds/.test(msg)
        ? 'the file is cut short or not Parquet (its last 4 bytes must be PAR1); fetch it again'
        : 'check that the file is Parquet; JSON Lines files should end in .jsonl',
    );
  }
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    const rowEnd = rowStart + Number(group.num_rows);
    let rows;
    try {
      rows = await parquetReadObjects({ file: buffer, metadata, rowStart, rowEnd });
    } catch (err) {
      throw new DataFileError(
        { file, row: rowStart },
        `cannot decode the row group of rows ${rowStart}..${rowEnd - 1}: ${(err as Error).message}`,
        'the file may be corrupt or use an encoding hyparquet does not read; re-export it',
      );
    }
    for (let i = 0; i < rows.length; i++) {
      yield { ok: true, at: { file, row: rowStart + i }, value: plain(rows[i]) };
    }
    rowStart = rowEnd;
  }
}

function plain(v: unknown): unknown {
  if (typeof v === 'bigint') {
    return v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER) ? Number(v) : v.toString();
  }
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof Uint8Array || v instanceof Date) return v;
  if (ArrayBuffer.isView(v)) return Array.from(v as unknown as ArrayLike<number>, plain);
  if (v !== null && typeof v === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = plain(x);
    return out;
  }
  return v;
}
