// How wrapper losses (LCPO, SPO, VPO, rationales) reach the loss they wrap without importing the registry
// (which imports them): the registry installs its lookup here once, at load time.
import { LossError } from './errors.js';
import type { LossInputs, LossOptions, LossOutput, LossSpec } from './types.js';

let lookup: ((name: string) => LossSpec | undefined) | null = null;

export function installBaseLookup(fn: (name: string) => LossSpec | undefined): void {
  lookup = fn;
}

/** The option every wrapper uses to name the loss it wraps. */
export const BASE_LOSS_OPTION = 'base_loss';

/** Losses a wrapper may wrap: pairwise, aligned per pair (no batch sorting), not themselves wrappers. */
export function canWrap(name: string, spec: LossSpec): boolean {
  return (spec.inputs === 'paired' || spec.inputs === 'paired-ref-free') && !spec.baseLossOption &&
    !['sft', 'aot', 'aot_unpaired', 'bco'].includes(name);
}

export function baseSpec(wrapper: string, name: string): LossSpec {
  const spec = lookup?.(name);
  if (!spec) throw new LossError(`loss '${wrapper}': base_loss '${name}' is not a registered loss`, wrapper, BASE_LOSS_OPTION);
  return spec;
}

/** Runs the base loss named by options.base_loss on the base's own options (picked from the flat options). */
export function runBase(wrapper: string, inputs: LossInputs, options: LossOptions): LossOutput {
  const name = String(options[BASE_LOSS_OPTION]);
  const spec = baseSpec(wrapper, name);
  const own: LossOptions = {};
  for (const k of Object.keys(spec.defaults)) own[k] = k in options ? options[k] : spec.defaults[k];
  return spec.fn(inputs, own);
}
