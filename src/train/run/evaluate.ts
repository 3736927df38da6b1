// Evaluation on the held-out split with the method's own step function: no gradients, LoRA dropout
// off, metrics averaged over examples and prefixed eval_ (TRL's convention: eval_loss,
// eval_rewards/accuracies, ...).
import { noGrad } from '../../tensor/index.js';
import type { DecoderModel } from '../../models/decoder-params.js';
import { loraAdapters } from '../../models/lora-peft.js';
import { sequentialBatches } from '../loader.js';
import type { ReferenceProvider } from '../types.js';
import type { Method } from './method-setup.js';

export function setLoraTraining(model: DecoderModel, training: boolean): void {
  for (const { lora } of loraAdapters(model)) lora.training = training;
}

export function evaluateMethod<B>(method: Method<B>, model: DecoderModel, ref: ReferenceProvider | null, step: number, batchSize: number): Record<string, number> {
  const sums: Record<string, number> = {};
  const weights: Record<string, number> = {};
  const add = (k: string, v: number, w: number) => {
    if (!Number.isFinite(v)) return;
    sums[k] = (sums[k] ?? 0) + v * w;
    weights[k] = (weights[k] ?? 0) + w;
  };
  setLoraTraining(model, false);
  try {
    noGrad(() => {
      for (const idx of sequentialBatches(method.sizes.eval, batchSize)) {
        const r = method.step(method.batch('eval', idx), { model, ref, step, training: false });
        add('loss', r.loss.item(), idx.length);
        for (const [k, v] of Object.entries(r.metrics)) add(k, v, idx.length);
      }
    });
  } finally {
    setLoraTraining(model, true);
  }
  const out: Record<string, number> = {};
  for (const k of Object.keys(sums)) out[`eval_${k}`] = sums[k] / weights[k];
  return out;
}
