// Reference embedding lookup and its scatter-add gradient.
import type { Buf } from '../backend.js';

/** out (N, D) = table[ids[i], :], table (V, D). */
export function embeddingForward(N: number, D: number, ids: Int32Array, table: Buf, out: Buf): void {
  for (let i = 0; i < N; i++) {
    const src = ids[i] * D;
    for (let j = 0; j < D; j++) out[i * D + j] = table[src + j];
  }
}

/**
 * dtable[ids[i], :] += dout[i, :]. Rows sharing an id are summed in doubles first and added to
 * dtable once, so a float32 dtable sees a single rounding per touched row (order-independent).
 */
export function embeddingBackward(N: number, D: number, ids: Int32Array, dout: Buf, dtable: Buf): void {
  const order = Array.from({ length: N }, (_, i) => i).sort((a, b) => ids[a] - ids[b] || a - b);
  const row = new Float64Array(D);
  let start = 0;
  while (start < N) {
    const id = ids[order[start]];
    let end = start;
    row.fill(0);
    while (end < N && ids[order[end]] === id) {
      const src = order[end] * D;
      for (let j = 0; j < D; j++) row[j] += dout[src + j];
      end++;
    }
    for (let j = 0; j < D; j++) dtable[id * D + j] += row[j];
    start = end;
  }
}
