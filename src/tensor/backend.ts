// The kernel interface both backends implement: `native` (C++ addon) and `reference` (pure TS).
//
// Conventions for every kernel:
// - Buffers are contiguous, row-major typed arrays owned by JS. Kernels never allocate outputs;
//   the caller passes output buffers of the right length. The reference backend accepts Float32Array
//   or Float64Array (float64 is used for finite-difference checks); the native backend float32 only.
// - "Accumulate" outputs (marked +=) are added to, never overwritten; all others are overwritten.
// - Integer inputs (token ids, labels, positions) are Int32Array.
// - Shapes are given as plain integers; the caller has validated them.

export type Buf = Float32Array | Float64Array;

export interface GemmArgs {
  transA: boolean;
  transB: boolean;
  M: number;
  N: number;
  K: number;
  alpha: number;
  /** op(A) is (M, K); A is stored (M, K) with row stride lda when !transA, else (K, M). */
  a: Buf;
  lda: number;
  /** op(B) is (K, N); B is stored (K, N) with row stride ldb when !transB, else (N, K). */
  b: Buf;
  ldb: number;
  /** beta == 0 means C's previous contents are ignored (may be garbage/NaN). */
  beta: number;
  c: Buf;
  ldc: number;
  /** Batched: `batch` independent products; matrix i starts at i*strideA / i*strideB / i*strideC. */
  batch: number;
  strideA: number;
  strideB: number;
  strideC: number;
}

export interface AttentionShape {
  /** q: (B, T, H, D); k, v: (B, S, Hkv, D); o: (B, T, H, D). Query head h reads kv head floor(h / (H / Hkv)). */
  B: number;
  T: number;
  S: number;
  H: number;
  Hkv: number;
  D: number;
  /** Score scale, usually 1 / sqrt(D). */
  scale: number;
  /**
   * Causal mask: query t (0-based within the T queries) may see key s iff s <= t + (S - T).
   * (S - T is the number of cached keys before the first query; 0 in training.)
   */
  causal: boolean;
  /** Optional key padding mask (B, S): 1 = real key, 0 = padding (never attended). */
  keyMask: Float32Array | null;
}

export interface Backend {
  readonly name: 'native' | 'reference';

  /** C = alpha * op(A) @ op(B) + beta * C, batched. */
  gemm(p: GemmArgs): void;

  /** out[i] = a[i] (op) b[i] for i < n; out may be a or b (in-place accumulation). */
  arith(op: ArithOp, n: number, a: Buf, b: Buf, out: Buf): void;

  /**
   * Fused attention forward. Writes o (B, T, H, D) and lse (B, H, T) = logsumexp of the scaled,
   * masked scores of each query row (saved for backward). A query row whose keys are all masked
   * gets o = 0 and lse = -Infinity.
   */
  attentionForward(s: AttentionShape, q: Buf, k: Buf, v: Buf, o: Buf, lse: Buf): void;
  /** Attention backward: given dO, writes (overwrites) dq, dk, dv of the shapes of q, k, v. */
  attentionBackward(
    s: AttentionShape, q: Buf, k: Buf, v: Buf, o: Buf, lse: Buf, dO: Buf, dq: Buf, dk: Buf, dv: Buf,
  ): void;

  /** RMSNorm over rows: x (N, D), w (D). y = w * x * rstd, rstd (N) = 1 / sqrt(mean(x^2) + eps). */
  rmsNormForward(N: number, D: number, x: Buf, w: Buf, eps: number, y: Buf, rstd: Buf): void;
  /** dx (N, D) overwritten; dw (D) +=. */
  rmsNormBackward(N: number, D: number, x: Buf, w: Buf, rstd: Buf, dy: Buf, dx: Buf, dw: Buf): void;

  /** LayerNorm over rows (biased variance): y = (x - mean) * rstd * w + b; writes mean (N), rstd (N). */
  layerNormForward(N: number, D: number, x: Buf, w: Buf, b: Buf, eps: number, y: Buf, mean: Buf, rstd: Buf): void;
  /** dx (N, D) overwritten; dw (D) +=, db (D) +=. */
  layerNormBackward(
    N: number, D: number, x: Buf, w: Buf, mean: Buf, rstd: Buf, dy: Buf, dx: Buf, dw: Buf, db: Buf,
  ): void;

  /**
   * Rotary embedding, rotate-half convention, on x (B, T, H, D) with D even, written to y (may alias x).
   * For pair j < D/2 at position p = positions[b*T + t], angle = p * invFreq[j] (computed in float32
   * like HF: Math.fround(p * invFreq[j])), c = cos(angle), s = sin(angle):
   *   y[j] = x[j] * c - x[j + D/2] * s;  y[j + D/2] = x[j + D/2] * c + x[j] * s.
   * inverse = true applies the transpose rotation (s -> -s): that is the backward pass.
   */
  rope(B: number, T: number, H: number, D: number, x: Buf, positions: Int32Array, invFreq: Float32Array,
    inverse: boolean, y: Buf): void;

  /** y = x * sigmoid(x), n elements. */
  siluForward(n: number, x: Buf, y: Buf): void;
  /** dx = dy * d/dx silu(x) (overwritten). */
  siluBackward(n: number, x: Buf, dy: Buf, dx: Buf): void;
  /** GELU, tanh form: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
  geluForward(n: number, x: Buf, y: Buf): void;
  geluBackward(n: number, x: Buf, dy: Buf, dx: Buf): void;
  /** y = silu(gate) * up. */
  swigluForward(n: number, gate: Buf, up: Buf, y: Buf): void;
  /** dgate, dup overwritten. */
  swigluBackward(n: number, gate: Buf, up: Buf, dy: Buf, dgate: Buf, dup: Buf): void;

  /** Row softmax of x (N, V) into y. */
  softmaxForward(N: number, V: number, x: Buf, y: Buf): void;
  /** dx = y * (dy - sum(dy * y)) per row. */
  softmaxBackward(N: number, V: number, y: Buf, dy: Buf, dx: Buf): void;
  /** Row log-softmax of x (N, V) into y. */
  logSoftmaxForward(N: number, V: number, x: Buf, y: Buf): void;
  /** dx = dy - exp(y) * sum(dy) per row. */
  logSoftmaxBackward(N: number, V: number, y: Buf, dy: Buf, dx: Buf): void;

  /**
   * Gathered log-prob at labels from logits (N, V) without storing log-softmax:
   * logp[i] = logits[i, labels[i]] - lse[i], lse[i] = logsumexp(logits[i, :]).
   * labels[i] < 0 means "ignore": logp[i] = 0 (lse still written).
   */
  logprobForward(N: number, V: number, logits: Buf, labels: Int32Array, logp: Buf, lse: Buf): void;
  /** dlogits[i, v] = dlogp[i] * (onehot(labels[i])[v] - softmax(logits[i])[v]); 0 on ignored rows. Overwritten. */
  logprobBackward(N: number, V: number, logits: Buf, labels: Int32Array, lse: Buf, dlogp: Buf, dlogits: Buf): void;

  /**
   * Fused lm-head + log-prob: logits = h @ W^T with h (N, Hd), W (V, Hd), computed chunk by chunk over V
   * (never more than N x chunk logits alive), then as logprobForward. Writes logp (N), lse (N). Rows
   * with an ignored label (< 0) get logp = 0 and lse = 0: their logits are never computed.
   */
  linearLogprobForward(N: number, Hd: number, V: number, h: Buf, w: Buf, labels: Int32Array, logp: Buf,
    lse: Buf): void;
  /** Recomputes logits chunk by chunk (active rows only): dh (N, Hd) overwritten, dw (V, Hd) +=. */
  linearLogprobBackward(N: number, Hd: number, V: number, h: Buf, w: Buf, labels: Int32Array, lse: Buf,
    dlogp: Buf, dh: Buf, dw: Buf): void;

  /** out (N, D) = table[ids[i], :], table (V, D). Caller has checked 0 <= ids[i] < V. */
  embeddingForward(N: number, D: number, ids: Int32Array, table: Buf, out: Buf): void;
  /** dtable[ids[i], :] += dout[i, :]. */
  embeddingBackward(N: number, D: number, ids: Int32Array, dout: Buf, dtable: Buf): void;

  /**
   * Fused AdamW over every tensor of the list in one call, in place on param, m, v (PyTorch semantics,
   * decoupled weight decay; o.weightDecay is ignored, each tensor has its own):
   *   param -= lr * weightDecay * param
   *   m = beta1 m + (1 - beta1) g;  v = beta2 v + (1 - beta2) g^2
   *   param -= lr * (m / (1 - beta1^step)) / (sqrt(v / (1 - beta2^step)) + eps)
   */
  adamwMany(tensors: AdamWTensor[], o: AdamWStep): void;
}

export interface AdamWTensor {
  param: Buf;
  grad: Buf;
  m: Buf;
  v: Buf;
  weightDecay: number;
}

export type ArithOp = 'add' | 'sub' | 'mul' | 'div';

export interface AdamWStep {
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  /** 1-based step count after this update. */
  step: number;
}
