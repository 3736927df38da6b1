// Dataset readers and writers: JSON Lines, JSON arrays, gzip, Parquet (read only).
export { DataFileError, formatPosition } from './record-types.js';
export type { FileFormat, RecordItem, RecordPosition, RecordProblem } from './record-types.js';
export { detectFileKind, readRecords } from './read-records.js';
export type { FileKind } from './read-records.js';
export { readJsonl, readLines } from './jsonl-reader.js';
export { readJsonArray } from './json-array-reader.js';
export { readParquet } from './parquet-reader.js';
export { createRecordWriter, outputFormatOf } from './record-writer.js';
export type { RecordWriter } from './record-writer.js';
