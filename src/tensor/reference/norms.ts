// Reference RMSNorm and LayerNorm over the rows of x (N, D), statistics in JS doubles.
// Matches Hugging Face LlamaRMSNorm (eps inside the square root, weight applied after normalising)
// and torch.nn.LayerNorm (biased variance).
import type { Buf } from '../backend.js';

export function rmsNormForward(N: number, D: number, x: Buf, w: Buf, eps: number, y: Buf, rstd: Buf): void {
  for (let i = 0; i < N; i++) {
    const off = i * D;
    let ss = 0;
    for (let j = 0; j < D; j++) ss += x[off + j] * x[off + j];
    const r = 1 / Math.sqrt(ss / D + eps);
    rstd[i] = r;
    for (let j = 0; j < D; j++) y[off + j] = w[j] * (x[off + j] * r);
  }
}

/**
 * With xhat = x · rstd and g = dy ⊙ w:  dx = rstd · (g - xhat · mean(g ⊙ xhat));  dw += Σ_rows dy ⊙ xhat.
 */
export function rmsNormBackward(N: number, D: number, x: Buf, w: Buf, rstd: Buf, dy: Buf, dx: Buf, dw: Buf): void {
  const dwAcc = new Float64Array(D);
  for (let i = 0; i < N; i++) {
    const off = i * D;
    const r = rstd[i];
    let dot = 0; // Σ_j g_j xhat_j
    for (let j = 0; j < D; j++) {
      const xhat = x[off + j] * r;
      dot += dy[off + j] * w[j] * xhat;
      dwAcc[j] += dy[off + j] * xhat;
    }
    const c = dot / D;
    for (let j = 0; j < D; j++) {
      const xhat = x[off + j] * r;
      dx[off + j] = r * (dy[off + j] * w[j] - xhat * c);
    }
  }
  for (let j = 0; j < D; j++) dw[j] += dwAcc[j];
}

export function layerNormForward(
  N: number, D: number, x: Buf, w: Buf, b: Buf, eps: number, y: Buf, mean: Buf, rstd: Buf,
): void {
  for (let i = 0; i < N; i++) {
    const off = i * D;
    let sum = 0;
    for (let j = 0; j < D; j++) sum += x[off + j];
    const mu = sum / D;
    // Two-pass variance: exact enough for an oracle, no cancellation from E[x²] - E[x]².
    let ss = 0;
    for (let j = 0; j < D; j++) {
      const c = x[off + j] - mu;
      ss += c * c;
    }
    const r = 1 / Math.sqrt(ss / D + eps);
    mean[i] = mu;
    rstd[i] = r;
    for (let j = 0; j < D; j++) y[off + j] = (x[off + j] - mu) * r * w[j] + b[j];
  }
}

/**
 * With xhat = (x - mean) · rstd and g = dy ⊙ w:
 *   dx = rstd · (g - mean(g) - xhat · mean(g ⊙ xhat));  dw += Σ_rows dy ⊙ xhat;  db += Σ_rows dy.
 */
export function layerNormBackward(
  N: number, D: number, x: Buf, w: Buf, mean: Buf, rstd: Buf, dy: Buf, dx: Buf, dw: Buf, db: Buf,
): void {
  const dwAcc = new Float64Array(D);
  const dbAcc = new Float64Array(D);
  for (let i = 0; i < N; i++) {
    const off = i * D;
    const mu = mean[i];
    const r = rstd[i];
    let gSum = 0;
    let gxSum = 0;
    for (let j = 0; j < D; j++) {
      const xhat = (x[off + j] - mu) * r;
      const g = dy[off + j] * w[j];
      gSum += g;
      gxSum += g * xhat;
      dwAcc[j] += dy[off + j] * xhat;
      dbAcc[j] += dy[off + j];
    }
    const gMean = gSum / D;
    const gxMean = gxSum / D;
    for (let j = 0; j < D; j++) {
      const xhat = (x[off + j] - mu) * r;
      dx[off + j] = r * (dy[off + j] * w[j] - gMean - xhat * gxMean);
    }
  }
  for (let j = 0; j < D; j++) {
    dw[j] += dwAcc[j];
    db[j] += dbAcc[j];
  }
}
