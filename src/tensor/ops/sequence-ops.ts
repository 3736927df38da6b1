// Transformer sequence ops on the backend: fused causal attention, RoPE, embedding lookup, and the
// fused log-prob-at-labels ops (from logits, or straight from hidden states through the lm head).
import { record } from '../autograd.js';
import type { AttentionShape, Buf } from '../backend.js';
import { backend } from '../select-backend.js';
import type { GradNode } from '../tensor.js';
import { allocBuffer, allocUninit, Tensor } from '../tensor.js';
import { formatShape, ShapeError } from '../shape.js';
import type { IndexTensor } from './index-ops.js';

export interface AttentionOptions {
  causal?: boolean;
  /** (B, S) with 1 for real keys and 0 for padding. */
  keyMask?: Float32Array | null;
  /** Defaults to 1 / sqrt(D). */
  scale?: number;
}

/** Attention: q (B, T, H, D), k and v (B, S, Hkv, D) with H a multiple of Hkv -> (B, T, H, D). */
export function attention(q: Tensor, k: Tensor, v: Tensor, opts: AttentionOptions = {}): Tensor {
  if (q.ndim !== 4 || k.ndim !== 4 || v.ndim !== 4) {
    throw new ShapeError('attention', `expects q, k, v of rank 4 (B, T, H, D); got ${formatShape(q.shape)}, ` +
      `${formatShape(k.shape)}, ${formatShape(v.shape)}`);
  }
  const [B, T, H, D] = q.shape;
  const [Bk, S, Hkv, Dk] = k.shape;
  if (Bk !== B || Dk !== D || v.shape.join() !== k.shape.join() || H % Hkv !== 0) {
    throw new ShapeError('attention', `q ${formatShape(q.shape)}, k ${formatShape(k.shape)}, v ${formatShape(v.shape)}: ` +
      'expected k and v equal, the same B and D as q, and H a multiple of Hkv');
  }
  if (opts.keyMask && opts.keyMask.length !== B * S) {
    throw new ShapeError('attention', `keyMask has ${opts.keyMask.length} entries, expected B * S = ${B * S}`);
  }
  const shape: AttentionShape = {
    B, T, S, H, Hkv, D, scale: opts.scale ?? 1 / Math.sqrt(D), causal: opts.causal ?? true, keyMask: opts.keyMask ?? null,
  };
  const o = allocUninit(q.dtype, q.size);
  const lse = allocUninit(q.dtype, B * H * T);
  backend().attentionForward(shape, q.data, k.data, v.data, o, lse);
  return record('attention', [q, k, v], o, q.shape, { shape, o, lse });
}

/** Rotary embedding (rotate-half) on x (B, T, H, D) at positions (B*T) with inverse frequencies (D/2). */
export function rope(x: Tensor, positions: Int32Array, invFreq: Float32Array): Tensor {
  const [B, T, H, D] = x.shape;
  if (x.ndim !== 4 || positions.length !== B * T || invFreq.length * 2 !== D) {
    throw new ShapeError('rope', `x ${formatShape(x.shape)} (B, T, H, D) needs ${B * T} positions and D/2 = ` +
      `${D / 2} frequencies; got ${positions.length} and ${invFreq.length}`);
  }
  const y = allocUninit(x.dtype, x.size);
  backend().rope(B, T, H, D, x.data, positions, invFreq, false, y);
  return record('rope', [x], y, x.shape, { positions, invFreq });
}

function checkIds(op: string, ids: Int32Array, V: number): void {
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] < 0 || ids[i] >= V) throw new RangeError(`${op}: id ${ids[i]} at position ${i} is outside the vocabulary [0, ${V})`);
  }
}

/** Rows of `table` (V, D) at ids: output (...ids.shape, D). */
export function embedding(ids: IndexTensor, table: Tensor): Tensor {
  const [V, D] = table.shape;
  checkIds('embedding', ids.data, V);
  const out = allocUninit(table.dtype, ids.data.length * D);
  backend().embeddingForward(ids.data.length, D, ids.data, table.data, out);
  return record('embedding', [table], out, [...ids.shape, D], ids.data);
}

function checkLabels(op: string, labels: Int32Array, N: number, V: number): void {
  if (labels.length !== N) throw new ShapeError(op, `labels has ${labels.length} entries, expected ${N}`);
  for (let i = 0; i < N; i++) {
    if (labels[i] >= V) throw new RangeError(`${op}: label ${labels[i]} at row ${i} is outside the vocabulary [0, ${V})`);
  }
}

/** log softmax(logits)[label] per row, never storing the log-softmax. logits (..., V) -> (...). Label < 0: 0. */
export function logprobAtLabels(logits: Tensor, labels: Int32Array): Tensor {
  const V = logits.shape[logits.ndim - 1];
  const N = logits.size / V;
  checkLabels('logprobAtLabels', labels, N, V);
  const logp = allocUninit(logits.dtype, N);
  const lse = allocUninit(logits.dtype, N);
  backend().logprobForward(N, V, logits.data, labels, logp, lse);
  return record('logprobAtLabels', [logits], logp, logits.shape.slice(0, -1), { labels, lse });
}

/**
 * Fused lm head + log-prob: log softmax(h @ w^T)[label] per row without ever holding (N, V) logits.
 * h (..., Hd), w (V, Hd) -> (...).
 */
export function linearLogprob(h: Tensor, w: Tensor, labels: Int32Array): Tensor {
  const Hd = h.shape[h.ndim - 1];
  const [V, Hw] = w.shape;
  if (w.ndim !== 2 || Hw !== Hd) {
    throw new ShapeError('linearLogprob', `hidden ${formatShape(h.shape)} does not match lm head ${formatShape(w.shape)} (V, Hd)`);
  }
  const N = h.size / Hd;
  checkLabels('linearLogprob', labels, N, V);
  const logp = allocUninit(h.dtype, N);
  const lse = allocUninit(h.dtype, N);
  backend().linearLogprobForward(N, Hd, V, h.data, w.data, labels, logp, lse);
  return record('linearLogprob', [h, w], logp, h.shape.slice(0, -1), { labels, lse });
}

type Rule = (node: GradNode, g: Tensor) => (Tensor | null)[];
const like = (t: Tensor, d: Buf): Tensor => new Tensor(d, t.shape);

export const sequenceGradRules = {
  attention: ((node, g) => {
    const [q, k, v] = node.inputs;
    const { shape, o, lse } = node.saved as { shape: AttentionShape; o: Buf; lse: Buf };
    const dq = allocUninit(g.dtype, q.size);
    const dk = allocUninit(g.dtype, k.size);
    const dv = allocUninit(g.dtype, v.size);
    backend().attentionBackward(shape, q.data, k.data, v.data, o, lse, g.data, dq, dk, dv);
    return [like(q, dq), like(k, dk), like(v, dv)];
  }) as Rule,
  rope: ((node, g) => {
    const x = node.inputs[0];
    const { positions, invFreq } = node.saved as { positions: Int32Array; invFreq: Float32Array };
    const [B, T, H, D] = x.shape;
    const dx = allocUninit(g.dtype, x.size);
    backend().rope(B, T, H, D, g.data, positions, invFreq, true, dx);
    return [like(x, dx)];
  }) as Rule,
  embedding: ((node, g) => {
    const table = node.inputs[0];
    const ids = node.saved as Int32Array;
    const dt = allocBuffer(g.dtype, table.size);
    backend().embeddingBackward(ids.length, table.shape[1], ids, g.data, dt);
    return [like(table, dt)];
  }) as Rule,
  logprobAtLabels: ((node, g) => {
    const logits = node.inputs[0];
    const { labels, lse } = node.saved as { labels: Int32Array; lse: Buf };
    const V = logits.shape[logits.ndim - 1];
    const d = allocUninit(g.dtype, logits.size);
    backend().logprobBackward(logits.size / V, V, logits.data, labels, lse, g.data, d);
    return [like(logits, d)];
  }) as Rule,
  linearLogprob: ((node, g) => {
    const [h, w] = node.inputs;
    const { labels, lse } = node.saved as { labels: Int32Array; lse: Buf };
    const [V, Hd] = w.shape;
    const dh = allocUninit(g.dtype, h.size);
    const dw = allocBuffer(g.dtype, w.size);
    backend().linearLogprobBackward(h.size / Hd, Hd, V, h.data, w.data, labels, lse, g.data, dh, dw);
    return [like(h, dh), like(w, dw)];
  }) as Rule,
} satisfies Record<string, Rule>;
