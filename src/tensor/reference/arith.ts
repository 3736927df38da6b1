// Reference same-shape elementwise arithmetic; `out` may be `a` or `b` (in-place accumulation).
import type { ArithOp, Buf } from '../backend.js';

export function arith(op: ArithOp, n: number, a: Buf, b: Buf, out: Buf): void {
  switch (op) {
    case 'add': for (let i = 0; i < n; i++) out[i] = a[i] + b[i]; return;
    case 'sub': for (let i = 0; i < n; i++) out[i] = a[i] - b[i]; return;
    case 'mul': for (let i = 0; i < n; i++) out[i] = a[i] * b[i]; return;
    case 'div': for (let i = 0; i < n; i++) out[i] = a[i] / b[i]; return;
  }
}
