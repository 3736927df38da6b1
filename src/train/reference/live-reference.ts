// Reference log-probs computed as needed: a frozen copy of a model kept in memory, or the policy's
// own LoRA base (adapters off for the pass — no second model in memory).
import * as T from '../../tensor/index.js';
import type { DecoderModel } from '../../models/decoder-params.js';
import { setLoraEnabled } from '../../models/lora-peft.js';
import type { SequenceBatch } from '../../data/index.js';
import type { ReferenceProvider } from '../types.js';
import { completionLogprobs } from '../steps/forward.js';

/** Summed completion log-probs of every row under `model`, no gradients. */
export function scoreRows(model: DecoderModel, seq: SequenceBatch): Float32Array {
  return T.noGrad(() => Float32Array.from(completionLogprobs(model, seq).sum.data)); // (rows,)
}

export function frozenReference(refModel: DecoderModel): ReferenceProvider & { model: DecoderModel } {
  return { mode: 'frozen', model: refModel, sequenceLogps: (seq) => scoreRows(refModel, seq) };
}

/** The policy with its adapters switched off is the reference (PEFT's disable_adapter()). */
export function loraBaseReference(policy: DecoderModel): ReferenceProvider {
  return {
    mode: 'lora_base',
    sequenceLogps(seq) {
      setLoraEnabled(policy, false);
      try {
        return scoreRows(policy, seq);
      } finally {
        setLoraEnabled(policy, true);
      }
    },
  };
}

/** A deep copy of a parameter tree with frozen tensors (LoRA adapters are left out). */
export function cloneFrozen(model: DecoderModel): DecoderModel {
  const copy = (v: unknown): unknown => {
    if (v instanceof T.Tensor) return new T.Tensor(v.data.slice(), v.shape, false);
    if (Array.isArray(v)) return v.map(copy);
    if (v && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
      return Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'lora').map(([k, x]) => [k, copy(x)]));
    }
    return v;
  };
  return { config: model.config, params: copy(model.params) as DecoderModel['params'] };
}
