// The safetensors dtypes this reader knows: their element sizes and the typed array that holds
// their raw little-endian elements. A header with any other dtype is rejected at open time, since its
// byte length could not be checked.
//
// Policy (also stated in index.ts): `get()` returns Float32Array for the floating-point
// dtypes F64 (rounded to nearest float32), F32 (as is), F16 and BF16 (exact upcast). Integer, boolean
// and 8-bit float dtypes are not converted: `get()` rejects them with a message naming `getRaw()`, which
// returns their elements in the matching typed array (I64 -> BigInt64Array, BOOL -> Uint8Array, ...).

export const DTYPE_SIZES = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E5M2: 1,
  F8_E4M3: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  F64: 8,
  I64: 8,
  U64: 8,
} as const;

export type SafetensorsDtype = keyof typeof DTYPE_SIZES;

/** The dtypes `get()` returns as Float32Array. */
export type FloatDtype = 'F64' | 'F32' | 'F16' | 'BF16';

/** The dtypes `writeSafetensors` can store a Float32Array as. */
export type WritableDtype = FloatDtype;

export const FLOAT_DTYPES: readonly FloatDtype[] = ['F64', 'F32', 'F16', 'BF16'];

export function isDtype(value: unknown): value is SafetensorsDtype {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(DTYPE_SIZES, value);
}

export function isFloatDtype(value: unknown): value is FloatDtype {
  return typeof value === 'string' && (FLOAT_DTYPES as readonly string[]).includes(value);
}

/** Raw elements of a tensor, in the typed array that matches its dtype (F16/BF16: the 16-bit patterns). */
export type RawData =
  | Float64Array
  | Float32Array
  | Uint16Array
  | Int16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array
  | Int8Array
  | Uint8Array;

type RawArrayConstructor = { new (length: number): RawData; readonly BYTES_PER_ELEMENT: number };

const RAW_ARRAYS: Record<SafetensorsDtype, RawArrayConstructor> = {
  BOOL: Uint8Array,
  U8: Uint8Array,
  I8: Int8Array,
  F8_E5M2: Uint8Array,
  F8_E4M3: Uint8Array,
  I16: Int16Array,
  U16: Uint16Array,
  F16: Uint16Array,
  BF16: Uint16Array,
  I32: Int32Array,
  U32: Uint32Array,
  F32: Float32Array,
  F64: Float64Array,
  I64: BigInt64Array,
  U64: BigUint64Array,
};

/** A zeroed typed array of `length` elements for the raw data of `dtype`. */
export function allocRaw(dtype: SafetensorsDtype, length: number): RawData {
  return new RAW_ARRAYS[dtype](length);
}

/** The number of elements of a shape (1 for a scalar, []). */
export function elementCount(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
