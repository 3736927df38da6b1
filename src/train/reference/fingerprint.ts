// Fingerprints of what reference log-probs depend on: the reference model's weights and config
// (LoRA adapters excluded: the reference is the base), the rows it scores (data + tokenizer +
// truncation settings, as token ids), and the settings themselves (recorded, to say what changed).
import { createHash } from 'node:crypto';
import type { DecoderModel } from '../../models/decoder-params.js';
import { namedParams } from '../../nn/params.js';

export function modelFingerprint(model: DecoderModel): string {
  const h = createHash('sha256');
  h.update(JSON.stringify(model.config));
  const named = namedParams(model.params).filter(([name]) => !/(^|\.)lora\./.test(name));
  named.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [name, t] of named) {
    h.update(`${name}:${t.shape.join('x')}\n`);
    h.update(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  }
  return h.digest('hex');
}

export function hashJson(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}
