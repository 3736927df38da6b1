// IEEE 754 half precision (F16) and bfloat16 (BF16) <-> float32, bit-exact.
//
// Upcasts (16 -> 32 bits) are exact. Downcasts round to nearest, ties to even, like PyTorch's
// `tensor.to(torch.float16 / torch.bfloat16)`: values past the largest finite number round to
// +-Infinity, tiny values become subnormals or signed zero, infinities stay infinities, and NaN stays
// NaN (quiet, sign kept, top payload bits kept).

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The bit pattern of a float32. */
export function float32Bits(value: number): number {
  f32[0] = value;
  return u32[0]!;
}

/** The float32 with this bit pattern. */
export function float32FromBits(bits: number): number {
  u32[0] = bits >>> 0;
  return f32[0]!;
}

// ---- F16 ----

/** The float32 value of an F16 bit pattern (exact). */
export function f16ToF32(h: number): number {
  const sign = (h & 0x8000) << 16;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) {
    // zero or subnormal: mant * 2^-24, exact in float32
    const v = mant * 2 ** -24;
    return sign ? -v : v;
  }
  if (exp === 0x1f) return float32FromBits(sign | 0x7f800000 | (mant << 13)); // inf / NaN
  return float32FromBits(sign | ((exp + 112) << 23) | (mant << 13));
}

/** The F16 bit pattern nearest to a number (first rounded to float32), ties to even. */
export function f32ToF16(value: number): number {
  const x = float32Bits(value);
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  const mant = x & 0x7fffff;
  if (exp === 0xff) return mant ? sign | 0x7e00 | (mant >>> 13) : sign | 0x7c00;
  const e = exp - 127 + 15; // the F16 biased exponent
  if (e >= 0x1f) return sign | 0x7c00; // overflow
  if (e <= 0) {
    // subnormal F16 (or zero): count units of 2^-24
    if (e < -10) return sign; // below 2^-25: rounds to zero
    const m = mant | 0x800000;
    const shift = 14 - e; // 14..24
    let half = m >>> shift;
    const rem = m & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rem > halfway || (rem === halfway && half & 1)) half++;
    return sign | half; // half may carry to 0x400, the smallest normal: still correct
  }
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++; // a carry may reach 0x7c00 = Infinity
  return sign | half;
}

let f16Table: Float32Array | undefined;

/** All 65536 F16 values as float32, built once on first use (256 KB). */
function f16Lookup(): Float32Array {
  if (!f16Table) {
    f16Table = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) f16Table[h] = f16ToF32(h);
  }
  return f16Table;
}

/** Upcasts F16 bit patterns to float32. */
export function f16ArrayToF32(src: Uint16Array, out = new Float32Array(src.length)): Float32Array {
  const table = f16Lookup();
  for (let i = 0; i < src.length; i++) out[i] = table[src[i]!]!;
  return out;
}

/** Rounds float32 values to F16 bit patterns. */
export function f32ArrayToF16(src: Float32Array, out = new Uint16Array(src.length)): Uint16Array {
  for (let i = 0; i < src.length; i++) out[i] = f32ToF16(src[i]!);
  return out;
}

// ---- BF16 ----

/** The float32 value of a BF16 bit pattern (exact: the top half of a float32). */
export function bf16ToF32(h: number): number {
  return float32FromBits((h & 0xffff) << 16);
}

/** The BF16 bit pattern nearest to a number (first rounded to float32), ties to even. */
export function f32ToBf16(value: number): number {
  return bf16FromBits(float32Bits(value));
}

function bf16FromBits(x: number): number {
  if ((x & 0x7f800000) === 0x7f800000 && x & 0x7fffff) return ((x >>> 16) | 0x40) & 0xffff; // NaN
  return ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff; // a carry may reach Infinity
}

/** Upcasts BF16 bit patterns to float32. */
export function bf16ArrayToF32(src: Uint16Array, out = new Float32Array(src.length)): Float32Array {
  const bits = new Uint32Array(out.buffer, out.byteOffset, out.length);
  for (let i = 0; i < src.length; i++) bits[i] = src[i]! << 16;
  return out;
}

/** Rounds float32 values to BF16 bit patterns. */
export function f32ArrayToBf16(src: Float32Array, out = new Uint16Array(src.length)): Uint16Array {
  const bits = new Uint32Array(src.buffer, src.byteOffset, src.length);
  for (let i = 0; i < src.length; i++) out[i] = bf16FromBits(bits[i]!);
  return out;
}
