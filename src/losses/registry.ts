// The loss registry (house rule 1): every loss is registered once here; CLI help, config validation,
// error messages ("expected one of ...") and the parametrised tests derive from Object.keys(LOSSES).
// resolveOptions turns user options (TRL spelling) into a loss's complete, validated options.
import { adaptiveMarginLoss } from './adaptive-margin.js';
import { aotLoss, aotUnpairedLoss } from './aot.js';
import { apoDownLoss, apoZeroLoss } from './apo.js';
import { BASE_LOSS_OPTION, canWrap, installBaseLookup } from './base-loss.js';
import { bcoLoss, bcoPairLoss } from './bco.js';
import { bradleyTerryLoss } from './bradley-terry.js';
import { cpoLoss } from './cpo.js';
import { diffusionDpoLoss } from './diffusion-dpo.js';
import { discopopLoss } from './discopop.js';
import { doveLoss } from './dove.js';
import { LossError } from './errors.js';
import { exoPairLoss } from './exo-pair.js';
import { gpmLoss } from './gpm.js';
import { gpoLoss } from './gpo.js';
import { hingeLoss } from './hinge.js';
import { ipoLoss } from './ipo.js';
import { apoZeroUnpairedLoss, ktoLoss } from './kto.js';
import { lcpoLoss } from './lcpo.js';
import { madpoLoss } from './madpo.js';
import { ncaPairLoss } from './nca-pair.js';
import { orpoLoss } from './orpo.js';
import { ospLoss } from './osp.js';
import { plackettLuceLoss } from './plackett-luce.js';
import { qeCalibrationLoss } from './qe-calibration.js';
import { rationaleLoss } from './rationale.js';
import { robustLoss } from './robust.js';
import { sftLoss } from './sft.js';
import { sigmoidLoss, sigmoidNormLoss } from './sigmoid.js';
import { alphapoLoss, simpoLoss } from './simpo.js';
import { sparsePoLoss } from './sparse-po.js';
import { spoLoss } from './spo.js';
import { sppoHardLoss } from './sppo-hard.js';
import { tpoLoss } from './tpo.js';
import type { LossOptions, LossSpec, OptionValue } from './types.js';
import { vpoLoss } from './vpo.js';

export const LOSSES = {
  // TRL DPOTrainer loss_type catalogue (trl-losses.md §1)
  sigmoid: sigmoidLoss,
  hinge: hingeLoss,
  ipo: ipoLoss,
  exo_pair: exoPairLoss,
  nca_pair: ncaPairLoss,
  robust: robustLoss,
  bco_pair: bcoPairLoss,
  sppo_hard: sppoHardLoss,
  aot: aotLoss,
  aot_unpaired: aotUnpairedLoss,
  apo_zero: apoZeroLoss,
  apo_down: apoDownLoss,
  discopop: discopopLoss,
  sigmoid_norm: sigmoidNormLoss,
  sft: sftLoss,
  // BCOTrainer, CPOTrainer, ORPOTrainer, KTOTrainer, RewardTrainer
  bco: bcoLoss,
  simpo: simpoLoss,
  alphapo: alphapoLoss,
  cpo: cpoLoss,
  orpo: orpoLoss,
  kto: ktoLoss,
  apo_zero_unpaired: apoZeroUnpairedLoss,
  bradley_terry: bradleyTerryLoss,
  // seed papers (methods.md)
  madpo: madpoLoss,
  lcpo: lcpoLoss,
  vpo: vpoLoss,
  dove: doveLoss,
  spo: spoLoss,
  osp: ospLoss,
  tpo: tpoLoss,
  plackett_luce: plackettLuceLoss,
  sparse_po: sparsePoLoss,
  qe_calibration: qeCalibrationLoss,
  rationale: rationaleLoss,
  gpm: gpmLoss,
  gpo: gpoLoss,
  adaptive_margin: adaptiveMarginLoss,
  diffusion_dpo: diffusionDpoLoss,
} satisfies Record<string, LossSpec>;

export type LossName = keyof typeof LOSSES;
export const LOSS_NAMES = Object.keys(LOSSES) as LossName[];

installBaseLookup((name) => (isLossName(name) ? (LOSSES[name] as LossSpec) : undefined));

/** TRL 1.x spellings accepted for the golden file's option names. */
export const OPTION_ALIASES: Readonly<Record<string, string>> = {
  f_divergence_type: 'f_divergence',
  f_alpha_divergence_coef: 'f_alpha',
};

export function isLossName(name: string): name is LossName {
  return Object.prototype.hasOwnProperty.call(LOSSES, name);
}

/** The spec of a registered loss, or an error listing every valid name. */
export function getLoss(name: string): LossSpec {
  if (!isLossName(name)) {
    throw new LossError(`unknown loss ${JSON.stringify(name)}; expected one of: ${LOSS_NAMES.join(', ')}`, name, 'loss_type');
  }
  return LOSSES[name] as LossSpec;
}

/** Losses a wrapper (lcpo, spo, vpo, rationale) may name as base_loss. */
export function wrappableLosses(): string[] {
  return LOSS_NAMES.filter((n) => canWrap(n, LOSSES[n] as LossSpec));
}

/** Option names a loss accepts, including its base loss's when it wraps one. */
export function optionNames(name: string, raw: Record<string, unknown> = {}): string[] {
  const spec = getLoss(name);
  const own = Object.keys(spec.defaults);
  if (!spec.baseLossOption) return own;
  const base = String(raw[spec.baseLossOption] ?? spec.defaults[spec.baseLossOption]);
  return isLossName(base) ? [...new Set([...own, ...Object.keys(LOSSES[base].defaults)])] : own;
}

/** Renames TRL aliases to the canonical option names (error if both spellings are given). */
export function canonicalOptions(loss: string, raw: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) {
    const key = OPTION_ALIASES[k] ?? k;
    if (key !== k && k in raw && key in raw) {
      throw new LossError(`loss '${loss}': options ${k} and ${key} are the same option; give only one`, loss, key);
    }
    out[key] = v;
  }
  return out;
}

function checkType(loss: string, option: string, value: unknown, def: OptionValue): OptionValue {
  const expected = def === null ? 'number or null' : typeof def;
  const ok = def === null ? value === null || (typeof value === 'number' && Number.isFinite(value))
    : typeof def === 'number' ? typeof value === 'number' && Number.isFinite(value)
      : typeof value === typeof def;
  if (!ok) {
    throw new LossError(`loss '${loss}': option ${option} must be a ${expected}, got ${JSON.stringify(value)}`, loss, option);
  }
  return value as OptionValue;
}

/** Defaults merged with the user's options, type-checked and validated (the base loss too, for wrappers). */
export function resolveOptions(name: string, raw: Record<string, unknown> = {}): LossOptions {
  const spec = getLoss(name);
  const given = canonicalOptions(name, raw);
  const known = optionNames(name, given);
  const defaults: LossOptions = { ...spec.defaults };
  let base: LossSpec | undefined;
  if (spec.baseLossOption) {
    const baseName = given[spec.baseLossOption] ?? spec.defaults[spec.baseLossOption];
    const valid = wrappableLosses();
    if (typeof baseName !== 'string' || !valid.includes(baseName)) {
      throw new LossError(`loss '${name}': option ${BASE_LOSS_OPTION} = ${JSON.stringify(baseName)} is not valid; ` +
        `expected one of: ${valid.join(', ')}`, name, BASE_LOSS_OPTION);
    }
    base = getLoss(baseName);
    Object.assign(defaults, base.defaults, spec.defaults);
  }
  const out: LossOptions = { ...defaults };
  for (const [k, v] of Object.entries(given)) {
    if (!known.includes(k)) {
      throw new LossError(`loss '${name}': unknown option '${k}'; valid options: ${known.join(', ') || '(none)'}`, name, k);
    }
    out[k] = checkType(name, k, v, defaults[k]);
  }
  spec.validate(out);
  if (base) base.validate(out);
  return out;
}
