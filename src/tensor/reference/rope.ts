// Reference rotary embedding, rotate-half convention (Hugging Face Llama/Qwen2 `rotate_half`):
// dimension j pairs with j + D/2. The angle is rounded to float32 as HF computes
// `inv_freq @ position_ids` in float32; cos/sin are then taken in double.
import type { Buf } from '../backend.js';

/** x, y (B, T, H, D), y may alias x; positions (B, T); invFreq (D/2). inverse rotates by -angle. */
export function rope(
  B: number, T: number, H: number, D: number, x: Buf, positions: Int32Array, invFreq: Float32Array,
  inverse: boolean, y: Buf,
): void {
  const half = D / 2;
  const cos = new Float64Array(half);
  const sin = new Float64Array(half);
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < T; t++) {
      const p = positions[b * T + t];
      for (let j = 0; j < half; j++) {
        const angle = Math.fround(p * invFreq[j]);
        cos[j] = Math.cos(angle);
        sin[j] = inverse ? -Math.sin(angle) : Math.sin(angle);
      }
      for (let h = 0; h < H; h++) {
        const off = ((b * T + t) * H + h) * D;
        for (let j = 0; j < half; j++) {
          // Read both halves before writing: y may alias x.
          const x1 = x[off + j];
          const x2 = x[off + j + half];
          y[off + j] = x1 * cos[j] - x2 * sin[j];
          y[off + j + half] = x2 * cos[j] + x1 * sin[j];
        }
      }
    }
  }
}
