// safetensors: read and write Hugging Face weight files with plain typed arrays (no tensor layer).
//
// Reading
// - `openSafetensors(path)`: lazy. Reads and validates the header (and, for a sharded checkpoint's
//   `*.index.json`, the index and every shard header); `get(name)` then reads that tensor's bytes only.
// - `readSafetensors(path)`: eager. One read of the whole file; aligned F32 tensors are zero-copy views.
// - dtypes: `get()` returns Float32Array for F32, F16 and BF16 (exact upcast) and F64 (rounded to
//   nearest float32). BOOL, U8, I8, I16, U16, I32, U32, I64, U64, F8_E4M3 and F8_E5M2 are accepted in a
//   header but `get()` refuses them with a message; `getRaw()` returns any tensor's elements in the
//   matching typed array (I64 -> BigInt64Array, BOOL -> Uint8Array, F16/BF16 -> Uint16Array bits, ...).
//   Any other dtype makes the file fail to open ("unknown dtype").
// - Every failure is a SafetensorsError with one line "<file>: <problem>" (header length, JSON, dtype,
//   shape x dtype vs byte length, overlapping / non-contiguous / out-of-range offsets, truncation).
//
// Writing
// - `writeSafetensors(path, tensors, metadata?)`: F32, F16, BF16 (round to nearest even) or F64, in the
//   exact layout of the fixtures, written atomically (temp file, fsync, rename).

export { SafetensorsError } from './errors.js';
export {
  DTYPE_SIZES,
  FLOAT_DTYPES,
  type FloatDtype,
  type RawData,
  type SafetensorsDtype,
  type WritableDtype,
} from './dtypes.js';
export type { TensorInfo } from './header.js';
export type { RawTensor, SafetensorsReader } from './reader.js';
export { openSafetensorsFile } from './reader.js';
export { openShardedSafetensors, type ShardedSafetensorsReader } from './sharded.js';
export { openSafetensors } from './open.js';
export { readSafetensors, type FloatTensor, type SafetensorsContents } from './read-all.js';
export { writeSafetensors, type TensorToWrite } from './writer.js';
export {
  bf16ArrayToF32,
  bf16ToF32,
  f16ArrayToF32,
  f16ToF32,
  f32ArrayToBf16,
  f32ArrayToF16,
  f32ToBf16,
  f32ToF16,
} from './half.js';
