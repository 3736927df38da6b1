// RoPE inverse frequencies, with Hugging Face's 'llama3' and 'linear' scaling.
import type { DecoderConfig } from './decoder-config.js';

/** inv_freq[j] = theta^(-2j / headDim), j < headDim / 2, as float32 (like HF), then scaled. */
export function ropeInverseFrequencies(cfg: DecoderConfig): Float32Array {
  const half = cfg.headDim / 2;
  const inv = new Float32Array(half);
  for (let j = 0; j < half; j++) inv[j] = 1 / Math.pow(cfg.ropeTheta, (2 * j) / cfg.headDim);
  const s = cfg.ropeScaling;
  if (!s) return inv;
  if (s.type === 'linear') return inv.map((f) => f / s.factor);
  // llama3: keep high frequencies, divide low ones by factor, interpolate in between.
  const low = s.lowFreqFactor ?? 1;
  const high = s.highFreqFactor ?? 4;
  const orig = s.originalMaxPositions ?? 8192;
  const lowWavelen = orig / low;
  const highWavelen = orig / high;
  return inv.map((f) => {
    const wavelen = (2 * Math.PI) / f;
    if (wavelen < highWavelen) return f;
    if (wavelen > lowWavelen) return f / s.factor;
    const smooth = (orig / wavelen - low) / (high - low);
    return (1 - smooth) * (f / s.factor) + smooth * f;
  });
}
