// F16 / BF16 <-> float32 conversions: known bit patterns (rounding ties, overflow, subnormals,
// inf, nan), exhaustive round trips of all 65536 patterns, and random floats checked against a
// brute-force "nearest representable value, ties to even" oracle.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  bf16ArrayToF32,
  bf16ToF32,
  f16ArrayToF32,
  f16ToF32,
  f32ArrayToBf16,
  f32ArrayToF16,
  f32ToBf16,
  f32ToF16,
} from '../src/io/safetensors/index.js';

const hex = (n: number) => `0x${n.toString(16).padStart(4, '0')}`;

describe('F16', () => {
  const cases: [number, number][] = [
    [0, 0x0000],
    [-0, 0x8000],
    [1, 0x3c00],
    [-2, 0xc000],
    [0.5, 0x3800],
    [65504, 0x7bff], // largest finite
    [65519.99, 0x7bff], // below the midpoint to 65536
    [65520, 0x7c00], // the midpoint: ties to even = 65536 = overflow -> inf
    [1e6, 0x7c00],
    [-1e6, 0xfc00],
    [Infinity, 0x7c00],
    [-Infinity, 0xfc00],
    [2 ** -14, 0x0400], // smallest normal
    [2 ** -14 - 2 ** -24, 0x03ff], // largest subnormal
    [2 ** -24, 0x0001], // smallest subnormal
    [2 ** -25, 0x0000], // tie between 0 and 2^-24 -> even (0)
    [2 ** -25 * 1.0001, 0x0001], // just above the tie
    [3 * 2 ** -25, 0x0002], // tie between 1 and 2 units -> even (2)
    [5 * 2 ** -25, 0x0002], // tie between 2 and 3 units -> even (2)
    [-(2 ** -26), 0x8000], // rounds to -0
    [1 + 2 ** -11, 0x3c00], // tie between 1 and 1+2^-10 -> even (1)
    [1 + 3 * 2 ** -11, 0x3c02], // tie between 0x3c01 and 0x3c02 -> even
    [1 + 2 ** -11 + 2 ** -20, 0x3c01], // just above the tie
    [2 ** -14 - 2 ** -25, 0x0400], // tie at the top of the subnormals -> carries into the smallest normal
    [0.1, 0x2e66],
  ];
  for (const [value, bits] of cases) {
    test(`${Object.is(value, -0) ? '-0' : value} -> ${hex(bits)}`, () => assert.equal(hex(f32ToF16(value)), hex(bits)));
  }

  test('NaN stays NaN (quiet, sign kept); F16 NaN upcasts to NaN', () => {
    const h = f32ToF16(NaN);
    assert.equal(h & 0x7c00, 0x7c00);
    assert.notEqual(h & 0x3ff, 0);
    assert.equal(f32ToF16(-NaN) & 0x7c00, 0x7c00);
    assert.ok(Number.isNaN(f16ToF32(0x7e00)));
    assert.ok(Number.isNaN(f16ToF32(0xfd01)));
  });

  test('known upcasts', () => {
    assert.equal(f16ToF32(0x3c00), 1);
    assert.equal(f16ToF32(0x7bff), 65504);
    assert.equal(f16ToF32(0x0001), 2 ** -24);
    assert.equal(f16ToF32(0x83ff), -(2 ** -14 - 2 ** -24));
    assert.equal(f16ToF32(0x7c00), Infinity);
    assert.equal(f16ToF32(0xfc00), -Infinity);
    assert.ok(Object.is(f16ToF32(0x8000), -0));
  });

  test('all 65536 patterns: upcast then downcast is the identity (NaN stays NaN)', () => {
    const all = new Uint16Array(65536).map((_, i) => i);
    const back = f32ArrayToF16(f16ArrayToF32(all));
    for (let h = 0; h < 65536; h++) {
      if ((h & 0x7c00) === 0x7c00 && h & 0x3ff) assert.ok(Number.isNaN(f16ToF32(back[h]!)), hex(h));
      else if (back[h] !== h) assert.fail(`${hex(h)} -> ${hex(back[h]!)}`);
    }
  });

  test('random floats round to the nearest F16, ties to even (brute-force oracle)', () => {
    checkAgainstOracle(f16ToF32, f32ToF16, 0x7c00, 12, 30);
  });
});

describe('BF16', () => {
  const cases: [number, number][] = [
    [0, 0x0000],
    [-0, 0x8000],
    [1, 0x3f80],
    [-2.5, 0xc020],
    [1 + 2 ** -8, 0x3f80], // tie -> even
    [1 + 3 * 2 ** -8, 0x3f82], // tie -> even
    [1 + 2 ** -8 + 2 ** -20, 0x3f81], // above the tie
    [0.1, 0x3dcd],
    [3.4028234663852886e38, 0x7f80], // float32 max rounds up to inf
    [Infinity, 0x7f80],
    [-Infinity, 0xff80],
    [2 ** -133, 0x0001], // float32 subnormal, kept as a BF16 subnormal
    [2 ** -149, 0x0000], // smallest float32 subnormal: rounds to zero
  ];
  for (const [value, bits] of cases) {
    test(`${Object.is(value, -0) ? '-0' : value} -> ${hex(bits)}`, () => assert.equal(hex(f32ToBf16(value)), hex(bits)));
  }

  test('NaN stays NaN, also a NaN whose payload sits only in the low bits', () => {
    assert.ok(Number.isNaN(bf16ToF32(f32ToBf16(NaN))));
    const lowPayloadNaN = new Float32Array(new Uint32Array([0x7f800001]).buffer)[0]!;
    assert.ok(Number.isNaN(lowPayloadNaN));
    const bits = f32ArrayToBf16(new Float32Array([lowPayloadNaN]))[0]!;
    assert.ok(Number.isNaN(bf16ToF32(bits)), hex(bits));
  });

  test('all 65536 patterns: upcast then downcast is the identity (NaN stays NaN)', () => {
    const all = new Uint16Array(65536).map((_, i) => i);
    const back = f32ArrayToBf16(bf16ArrayToF32(all));
    for (let h = 0; h < 65536; h++) {
      if ((h & 0x7f80) === 0x7f80 && h & 0x7f) assert.ok(Number.isNaN(bf16ToF32(back[h]!)), hex(h));
      else if (back[h] !== h) assert.fail(`${hex(h)} -> ${hex(back[h]!)}`);
    }
  });

  test('random floats round to the nearest BF16, ties to even (brute-force oracle)', () => {
    checkAgainstOracle(bf16ToF32, f32ToBf16, 0x7f80, 110, 135);
  });
});

/**
 * For random float32s of magnitude 2^-minExp2 .. 2^maxExp2 (and their exact ties), the conversion
 * must pick the nearest of all non-negative finite 16-bit values (or infinity past the top), ties to
 * the even pattern. The oracle binary-searches the sorted table of values built from the upcast.
 */
function checkAgainstOracle(
  up: (h: number) => number,
  down: (x: number) => number,
  infBits: number,
  minExp2: number,
  maxExp2: number,
): void {
  const values: number[] = [];
  for (let h = 0; h < infBits; h++) values.push(up(h)); // positive finite, increasing with h
  const maxFinite = values[values.length - 1]!;
  const oracle = (x: number): number => {
    const a = Math.abs(x);
    const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
    let lo = 0;
    let hi = values.length - 1;
    if (a >= maxFinite) {
      const next = maxFinite + (maxFinite - values[values.length - 2]!); // the value one step past the max
      const mid = (maxFinite + next) / 2;
      return sign | (a < mid ? values.length - 1 : infBits);
    }
    while (hi - lo > 1) {
      const m = (lo + hi) >> 1;
      if (values[m]! <= a) lo = m;
      else hi = m;
    }
    const dLo = a - values[lo]!;
    const dHi = values[hi]! - a;
    const pick = dLo < dHi ? lo : dHi < dLo ? hi : lo % 2 === 0 ? lo : hi;
    return sign | pick;
  };
  let seed = 12345;
  const rand = () => ((seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const f = new Float32Array(1);
  for (let i = 0; i < 200_000; i++) {
    const exp = -minExp2 + rand() * (minExp2 + maxExp2);
    f[0] = (rand() < 0.5 ? -1 : 1) * 2 ** exp * (1 + rand());
    let x = f[0]!;
    if (i % 4 === 0) {
      // an exact tie: the midpoint of two neighbouring values (representable in float32)
      const h = Math.floor(rand() * (values.length - 1));
      f[0] = (values[h]! + values[h + 1]!) / 2;
      x = f[0]!;
    }
    const got = down(x);
    const want = oracle(x);
    if (got !== want) assert.fail(`${x}: got ${hex(got)}, want ${hex(want)}`);
  }
}
