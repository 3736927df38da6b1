// The native RoPE kernel keeps its last cos/sin table for the next call with the same positions and
// frequencies; a call that changes either must not see the stale table.
import { test } from 'node:test';
import { nativeKernels as K } from '../src/tensor/native/kernels.js';
import { referenceKernels as R } from '../src/tensor/reference/kernels.js';
import { assertClose, randF32, rng } from './helpers/kernel-oracle.js';

const r = rng(5);

test('rope: consecutive calls with other positions or frequencies use a fresh table', () => {
  const [B, T, H, D] = [2, 40, 3, 8];
  const x = randF32(r, B * T * H * D, -2, 2);
  const freqA = Float32Array.from([1, 0.3, 0.05, 0.001]);
  const freqB = Float32Array.from([0.9, 0.3, 0.05, 0.001]); // same length, one value differs
  const from = (p0: number) => Int32Array.from({ length: B * T }, (_, i) => p0 + (i % T));
  // Same table twice (the cached case), then each key changed: positions shifted (same span), other
  // frequencies, a different span, and the inverse rotation with the cached table.
  const calls: [Int32Array, Float32Array, boolean][] = [
    [from(0), freqA, false], [from(0), freqA, false], [from(7), freqA, false], [from(7), freqB, false],
    [Int32Array.from({ length: B * T }, (_, i) => i % 13), freqB, false], [from(7), freqB, true],
  ];
  calls.forEach(([pos, freq, inverse], i) => {
    const got = new Float32Array(x.length), want = new Float64Array(x.length);
    K.rope(B, T, H, D, x, pos, freq, inverse, got);
    R.rope(B, T, H, D, Float64Array.from(x), pos, freq, inverse, want);
    assertClose(got, want, 1e-5, `call ${i}`);
  });
});
