// What `prefkit loss list` prints, derived from the registry: one row per loss with its description,
// paper, inputs and options (default and meaning), plus the options of a loss combination.
import { INPUT_DOCS, formatShapeCode } from './inputs.js';
import { LOSS_NAMES, getLoss, wrappableLosses } from './registry.js';
import type { InputName, OptionValue } from './types.js';

export interface OptionRow {
  name: string;
  default: OptionValue | OptionValue[];
  doc: string;
}

export interface LossRow {
  name: string;
  description: string;
  paper: string;
  inputs: string;
  needsReference: boolean | 'depends on base_loss';
  requires: string[];
  optional: string[];
  options: OptionRow[];
}

/** Options of the combination itself (computeLoss), shared by every loss. */
export const COMBINATION_OPTIONS: OptionRow[] = [
  { name: 'loss_type', default: 'sigmoid', doc: 'a loss name or a list of names (TRL loss_type)' },
  { name: 'loss_weights', default: null, doc: 'one weight per loss_type entry (default all 1)' },
  { name: 'use_weighting', default: false, doc: 'WPO weights W = w(y_w) w(y_l) (needs per-token log-probs, masks, log-denominators)' },
  { name: 'ld_alpha', default: null, doc: 'LD-DPO: weight of tokens beyond the shared length, 0 <= a <= 1 (needs per-token log-probs)' },
];

const describeInput = (n: InputName) => `${n} ${formatShapeCode(INPUT_DOCS[n].shape)}`;

export function describeLosses(): LossRow[] {
  return LOSS_NAMES.map((name) => {
    const spec = getLoss(name);
    const docs = spec.optionDocs as Record<string, string>;
    return {
      name,
      description: spec.description,
      paper: spec.paper,
      inputs: spec.inputs,
      needsReference: spec.baseLossOption ? 'depends on base_loss' : spec.needsReference,
      requires: spec.requires.map(describeInput),
      optional: (spec.optional ?? []).map(describeInput),
      options: Object.entries(spec.defaults).map(([k, v]) => ({
        name: k,
        default: v,
        doc: k === spec.baseLossOption ? `${docs[k]}; one of: ${wrappableLosses().join(', ')}` : docs[k],
      })),
    };
  });
}
