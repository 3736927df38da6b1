// Broadcasting loops for binary ops, and the reduction of a broadcast gradient back to an input shape.
import type { Buf } from '../backend.js';
import { allocUninit, Tensor, type DType } from '../tensor.js';
import { sameShape, sizeOf, stridesOf, type Shape } from '../shape.js';

/** For each output element, the flat index into an input of shape `inShape` broadcast to `outShape`. */
export function broadcastIndex(inShape: Shape, outShape: Shape): Int32Array {
  const n = sizeOf(outShape);
  const idx = new Int32Array(n);
  const rank = outShape.length;
  const inStrides = stridesOf(inShape);
  // Effective stride per output axis: 0 where the input is broadcast (size 1 or missing).
  const eff = new Array<number>(rank).fill(0);
  for (let i = 0; i < inShape.length; i++) {
    const o = rank - inShape.length + i;
    eff[o] = inShape[i] === 1 ? 0 : inStrides[i];
  }
  const counter = new Array<number>(rank).fill(0);
  let cur = 0;
  for (let k = 0; k < n; k++) {
    idx[k] = cur;
    for (let d = rank - 1; d >= 0; d--) {
      counter[d]++;
      cur += eff[d];
      if (counter[d] < outShape[d]) break;
      cur -= eff[d] * counter[d];
      counter[d] = 0;
    }
  }
  return idx;
}

/** out[k] = f(a[ia(k)], b[ib(k)]) over the broadcast shape, with fast paths for common layouts. */
export function binaryMap(
  a: Buf, aShape: Shape, b: Buf, bShape: Shape, outShape: Shape, dtype: DType, f: (x: number, y: number) => number,
): Buf {
  const n = sizeOf(outShape);
  const out = allocUninit(dtype, n);
  if (sameShape(aShape, outShape) && sameShape(bShape, outShape)) {
    for (let i = 0; i < n; i++) out[i] = f(a[i], b[i]);
  } else if (b.length === 1 && sameShape(aShape, outShape)) {
    const y = b[0];
    for (let i = 0; i < n; i++) out[i] = f(a[i], y);
  } else if (a.length === 1 && sameShape(bShape, outShape)) {
    const x = a[0];
    for (let i = 0; i < n; i++) out[i] = f(x, b[i]);
  } else if (sameShape(aShape, outShape) && isTrailing(bShape, outShape)) {
    const m = b.length;
    for (let i = 0; i < n; i++) out[i] = f(a[i], b[i % m]);
  } else {
    const ia = broadcastIndex(aShape, outShape);
    const ib = broadcastIndex(bShape, outShape);
    for (let i = 0; i < n; i++) out[i] = f(a[ia[i]], b[ib[i]]);
  }
  return out;
}

/** True when `inner` equals the trailing dims of `outer` (after dropping leading 1s), e.g. a bias. */
function isTrailing(inner: Shape, outer: Shape): boolean {
  let s = 0;
  while (s < inner.length && inner[s] === 1) s++;
  const rest = inner.slice(s);
  if (rest.length > outer.length) return false;
  return sameShape(rest, outer.slice(outer.length - rest.length));
}

/** Sums a gradient of the broadcast shape back to `shape` (the inverse of broadcasting). */
export function sumToShape(g: Tensor, shape: Shape): Tensor {
  if (sameShape(g.shape, shape)) return g;
  // Accumulate in float64: these sums run over many rows (bias gradients over B x T).
  const acc = new Float64Array(sizeOf(shape));
  const gd = g.data;
  if (acc.length === 1) {
    let s = 0;
    for (let i = 0; i < gd.length; i++) s += gd[i];
    acc[0] = s;
  } else if (isTrailing(shape, g.shape)) {
    const m = acc.length;
    for (let i = 0; i < gd.length; i++) acc[i % m] += gd[i];
  } else {
    const idx = broadcastIndex(shape, g.shape);
    for (let i = 0; i < gd.length; i++) acc[idx[i]] += gd[i];
  }
  const out = allocUninit(g.dtype, acc.length);
  out.set(acc);
  return new Tensor(out, shape);
}
