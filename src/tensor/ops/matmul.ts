// Matrix products on the backend's GEMM: batched, with transposed operands handled by the kernel
// (no transpose is ever materialised, forward or backward).
import { record } from '../autograd.js';
import type { Buf } from '../backend.js';
import { backend } from '../select-backend.js';
import type { GradNode } from '../tensor.js';
import { allocUninit, Tensor } from '../tensor.js';
import { formatShape, sameShape, ShapeError, sizeOf } from '../shape.js';
import { add } from './binary.js';

export interface MatmulOptions {
  /** Use a's last two axes transposed: a is (..., K, M). */
  transA?: boolean;
  /** Use b's last two axes transposed: b is (..., N, K). */
  transB?: boolean;
}

interface Saved {
  transA: boolean;
  transB: boolean;
  batch: number;
  M: number;
  N: number;
  K: number;
  bBatched: boolean;
}

/**
 * C (batch, M, N) = op(A) @ op(B), overwriting C; an operand that is not batched is shared by every
 * product. `beta` 1 adds into C instead.
 */
function runGemm(tA: boolean, tB: boolean, batch: number, M: number, N: number, K: number, a: Buf, b: Buf,
  c: Buf, bBatched: boolean, aBatched = true, beta = 0): void {
  backend().gemm({
    transA: tA, transB: tB, M, N, K, alpha: 1,
    a, lda: tA ? M : K, b, ldb: tB ? K : N, beta, c, ldc: N,
    batch, strideA: aBatched ? M * K : 0, strideB: bBatched ? K * N : 0, strideC: M * N,
  });
}

/**
 * op(a) @ op(b). a: (..., M, K); b: (K, N) shared, or (..., K, N) with the same leading dims as a.
 * Output (..., M, N).
 */
export function matmul(a: Tensor, b: Tensor, opts: MatmulOptions = {}): Tensor {
  const transA = opts.transA ?? false;
  const transB = opts.transB ?? false;
  if (a.ndim < 2 || b.ndim < 2) {
    throw new ShapeError('matmul', `needs tensors of rank >= 2, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`);
  }
  const [ar, ac] = a.shape.slice(-2);
  const [br, bc] = b.shape.slice(-2);
  const M = transA ? ac : ar;
  const K = transA ? ar : ac;
  const Kb = transB ? bc : br;
  const N = transB ? br : bc;
  const lead = a.shape.slice(0, -2);
  const bBatched = b.ndim > 2;
  if (K !== Kb || (bBatched && !sameShape(b.shape.slice(0, -2), lead))) {
    throw new ShapeError('matmul', `shapes ${formatShape(a.shape)}${transA ? 'ᵀ' : ''} and ` +
      `${formatShape(b.shape)}${transB ? 'ᵀ' : ''} do not multiply (inner sizes ${K} and ${Kb}` +
      `${bBatched ? ', or batch dims differ' : ''})`);
  }
  const batch = sizeOf(lead);
  const out = allocUninit(a.dtype === 'float64' || b.dtype === 'float64' ? 'float64' : 'float32', batch * M * N);
  if (!bBatched && !transA) {
    // One shared B: fold the batch into M — a single large GEMM.
    runGemm(false, transB, 1, batch * M, N, K, a.data, b.data, out, false);
  } else {
    runGemm(transA, transB, batch, M, N, K, a.data, b.data, out, bBatched);
  }
  const saved: Saved = { transA, transB, batch, M, N, K, bBatched };
  return record('matmul', [a, b], out, [...lead, M, N], saved);
}

/** x @ w^T + bias, with w in nn.Linear layout (out, in). x: (..., in) -> (..., out). */
export function linear(x: Tensor, w: Tensor, bias?: Tensor | null): Tensor {
  if (w.ndim !== 2 || x.shape[x.ndim - 1] !== w.shape[1]) {
    throw new ShapeError('linear', `input ${formatShape(x.shape)} does not match weight ${formatShape(w.shape)} (out, in)`);
  }
  let y = matmul(x.ndim === 1 ? reshapeKeep(x, [1, x.shape[0]]) : x, w, { transB: true });
  if (x.ndim === 1) y = reshapeKeep(y, [w.shape[0]]);
  return bias ? add(y, bias) : y;
}

// reshape without importing shape-ops (avoids an import cycle through binary ops).
function reshapeKeep(x: Tensor, shape: number[]): Tensor {
  return record('reshape', [x], x.data, shape, null);
}

export const matmulGradRules = {
  matmul: (node: GradNode, g: Tensor): (Tensor | null)[] => {
    const [a, b] = node.inputs;
    const s = node.saved as Saved;
    const { transA, transB, batch, M, N, K, bBatched } = s;
    let ga: Tensor | null = null;
    let gb: Tensor | null = null;
    if (a.requiresGrad) {
      const d = allocUninit(g.dtype, a.size);
      if (!transA) {
        // dA (M, K) = dC (M, N) @ op(B)^T
        if (!bBatched) runGemm(false, !transB, 1, batch * M, K, N, g.data, b.data, d, false);
        else runGemm(false, !transB, batch, M, K, N, g.data, b.data, d, true);
      } else {
        // A stored (K, M): dA = op(B) (K, N) @ dC^T
        runGemm(transB, true, batch, K, M, N, b.data, g.data, d, true, bBatched);
      }
      ga = new Tensor(d, a.shape);
    }
    if (b.requiresGrad) {
      const d = allocUninit(g.dtype, b.size);
      if (!transB) {
        // dB (K, N) = op(A)^T (K, M) @ dC (M, N)
        if (!bBatched && !transA) runGemm(true, false, 1, K, N, batch * M, a.data, g.data, d, false);
        else runGemmAccum(!transA, false, batch, K, N, M, a.data, g.data, d, bBatched);
      } else {
        // B stored (N, K): dB = dC^T (N, M) @ op(A) (M, K)
        if (!bBatched && !transA) runGemm(true, false, 1, N, K, batch * M, g.data, a.data, d, false);
        else runGemmAccum(true, transA, batch, N, K, M, g.data, a.data, d, bBatched);
      }
      gb = new Tensor(d, b.shape);
    }
    return [ga, gb];
  },
};

/** Product per batch into C; when C is shared (!cBatched) the batch products are summed into it. */
function runGemmAccum(tX: boolean, tY: boolean, batch: number, M: number, N: number, K: number, x: Buf, y: Buf,
  c: Buf, cBatched: boolean): void {
  if (cBatched) {
    runGemm(tX, tY, batch, M, N, K, x, y, c, true);
    return;
  }
  for (let i = 0; i < batch; i++) {
    runGemm(tX, tY, 1, M, N, K, x.subarray(i * M * K, (i + 1) * M * K), y.subarray(i * K * N, (i + 1) * K * N), c,
      false, false, i === 0 ? 0 : 1);
  }
}
