// Raw tensor elements -> Float32Array, the one place that applies the dtype policy of `get()`:
// F32 as is, F16/BF16 upcast exactly, F64 rounded to nearest float32; anything else is refused with a
// message that points to `getRaw()`.

import { isFloatDtype, type RawData, type SafetensorsDtype } from './dtypes.js';
import { SafetensorsError } from './errors.js';
import { bf16ArrayToF32, f16ArrayToF32 } from './half.js';

export function rawToFloat32(file: string, name: string, dtype: SafetensorsDtype, raw: RawData): Float32Array {
  switch (dtype) {
    case 'F32':
      return raw as Float32Array;
    case 'F64':
      return new Float32Array(raw as Float64Array);
    case 'F16':
      return f16ArrayToF32(raw as Uint16Array);
    case 'BF16':
      return bf16ArrayToF32(raw as Uint16Array);
    default:
      throw notFloat(file, name, dtype);
  }
}

export function notFloat(file: string, name: string, dtype: SafetensorsDtype): SafetensorsError {
  return new SafetensorsError(
    file,
    `tensor ${JSON.stringify(name)} has dtype ${dtype}, which is not read as float32 (get() reads F32, F16, BF16 and F64); use getRaw() for its raw elements`,
  );
}

export function assertFloat(file: string, name: string, dtype: SafetensorsDtype): void {
  if (!isFloatDtype(dtype)) throw notFloat(file, name, dtype);
}
