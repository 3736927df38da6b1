// Several losses combined by weights (TRL's `loss_type` list + `loss_weights`), plus the options that apply
// to the whole combination: WPO weighting (`use_weighting`) and LD-DPO (`ld_alpha`). This is the entry
// point trainers and `prefkit loss check` use:
//   L = sum_k loss_weights[k] * mean_i( l_k(i) * W_i )        W_i = weights_i * WPO_i (1 when absent)
// Per-example losses are sum_k loss_weights[k] * l_k(i) * W_i; their mean is L. Options other than the four
// combination keys are shared: each loss takes the ones it knows (beta applies to every loss that has beta),
// and an option no listed loss knows is an error. Rewards for metrics come from the first loss that has them
// (TRL logs beta * rho once, not per loss type). Metric names follow TRL.
import { add, mean, mul, noGrad, scale, type Tensor } from '../tensor/index.js';
import { checkOptionalRange, LossError } from './errors.js';
import { sequenceFromTokens } from './inputs.js';
import { applyLdAlpha } from './ld-dpo.js';
import { canonicalOptions, getLoss, optionNames, resolveOptions } from './registry.js';
import type { LossInputs, LossOptions, LossOutput } from './types.js';
import { wpoWeights } from './wpo.js';

export interface LossConfig {
  /** One loss name or a list (TRL's loss_type). */
  loss_type: string | string[];
  /** One weight per loss (default all 1). */
  loss_weights?: number[] | null;
  /** WPO weighting (needs per-token log-probs, masks and log-denominators). */
  use_weighting?: boolean;
  /** LD-DPO length desensitisation in [0, 1] (needs per-token log-probs and masks); null = off. */
  ld_alpha?: number | null;
  [option: string]: unknown;
}

export interface ResolvedLossConfig {
  names: string[];
  weights: number[];
  useWeighting: boolean;
  ldAlpha: number | null;
  options: LossOptions[];
}

const COMBINATION_KEYS = ['loss_type', 'loss_weights', 'use_weighting', 'ld_alpha'];
const SORTED = ['aot', 'aot_unpaired'];
const LEGACY_NLL: Record<string, string> = {
  rpo_alpha: 'RPO is loss_type [<loss>, "sft"] with loss_weights [1, rpo_alpha] (as in TRL >= 0.29)',
  cpo_alpha: 'CPO\'s NLL term is loss_type ["cpo", "sft"] with loss_weights [1, cpo_alpha]',
};

/** Validates a whole loss config; every error names the loss (or 'loss_type') and the option. */
export function resolveLossConfig(config: LossConfig): ResolvedLossConfig {
  const lt = config.loss_type;
  const names = typeof lt === 'string' ? [lt] : lt;
  if (!Array.isArray(names) || names.length === 0 || names.some((n) => typeof n !== 'string')) {
    throw new LossError(`option loss_type must be a loss name or a non-empty list of names, got ${JSON.stringify(lt)}`, undefined, 'loss_type');
  }
  names.forEach((n) => getLoss(n));
  const w = config.loss_weights ?? null;
  if (w !== null && (!Array.isArray(w) || w.length !== names.length || w.some((x) => typeof x !== 'number' || !Number.isFinite(x)))) {
    throw new LossError(`option loss_weights = ${JSON.stringify(w)} must be ${names.length} finite number(s), one per ` +
      `loss_type entry (${names.join(', ')})`, names[0], 'loss_weights');
  }
  const useWeighting = config.use_weighting ?? false;
  if (typeof useWeighting !== 'boolean') {
    throw new LossError(`option use_weighting must be true or false, got ${JSON.stringify(useWeighting)}`, names[0], 'use_weighting');
  }
  const sorted = names.filter((n) => SORTED.includes(n));
  if (useWeighting && sorted.length) {
    throw new LossError(`loss '${sorted[0]}': use_weighting (WPO) is not supported: its per-example losses are in ` +
      'sorted order, so per-pair weights would be misaligned (as in TRL)', sorted[0], 'use_weighting');
  }
  const ld = { ld_alpha: config.ld_alpha ?? null } as LossOptions;
  checkOptionalRange(names[0], ld, 'ld_alpha', { ge: 0, le: 1 });
  const shared = canonicalOptions(names[0], Object.fromEntries(Object.entries(config).filter(([k]) => !COMBINATION_KEYS.includes(k))));
  const known = new Set(names.flatMap((n) => optionNames(n, shared)));
  for (const k of Object.keys(shared)) {
    if (k in LEGACY_NLL && !known.has(k)) {
      throw new LossError(`option ${k} is not an option here: ${LEGACY_NLL[k]}`, names[0], k);
    }
    if (!known.has(k)) {
      throw new LossError(`unknown option '${k}' for loss_type [${names.join(', ')}]; valid options: ` +
        `${[...known, ...COMBINATION_KEYS].join(', ')}`, names[0], k);
    }
  }
  const options = names.map((n) => {
    const mine = new Set(optionNames(n, shared));
    return resolveOptions(n, Object.fromEntries(Object.entries(shared).filter(([k]) => mine.has(k))));
  });
  return { names, weights: w ?? names.map(() => 1), useWeighting, ldAlpha: ld.ld_alpha as number | null, options };
}

function isResolved(c: LossConfig | ResolvedLossConfig): c is ResolvedLossConfig {
  return Array.isArray((c as ResolvedLossConfig).names) && Array.isArray((c as ResolvedLossConfig).options);
}

/** The combined loss of a config on a batch of inputs. */
export function computeLoss(config: LossConfig | ResolvedLossConfig, rawInputs: LossInputs): LossOutput {
  const cfg = isResolved(config) ? config : resolveLossConfig(config);
  let inputs = sequenceFromTokens(rawInputs);
  if (cfg.ldAlpha !== null) inputs = applyLdAlpha(inputs, cfg.ldAlpha);
  let W: Tensor | null = inputs.weights ?? null; // (B,)
  if (W && cfg.names.some((n) => SORTED.includes(n))) {
    throw new LossError(`loss '${cfg.names.find((n) => SORTED.includes(n))}': per-example weights are not supported ` +
      '(per-example losses are in sorted order)', cfg.names[0]);
  }
  if (cfg.useWeighting) {
    const wpo = wpoWeights(inputs); // (B,)
    W = W ? mul(W, wpo) : wpo; // (B,)
  }
  const outs: LossOutput[] = [];
  const terms: Tensor[] = [];
  const perExample: Tensor[] = [];
  const metrics: Record<string, number> = {};
  cfg.names.forEach((name, k) => {
    const out = getLoss(name).fn(inputs, cfg.options[k]);
    const B = out.losses.shape[0];
    if (W && W.shape[0] !== B) {
      throw new LossError(`loss '${name}': input weights has ${W.shape[0]} entries but the loss has ${B} examples`, name);
    }
    if (perExample.length && perExample[0].shape[0] !== B) {
      throw new LossError(`loss_type [${cfg.names.join(', ')}]: '${name}' gives ${B} per-example losses but ` +
        `'${cfg.names[0]}' gives ${perExample[0].shape[0]}; only losses over the same examples can be combined`, name);
    }
    const lk = W ? mul(out.losses, W) : out.losses; // (B,)
    terms.push(scale(W ? mean(lk) : out.loss, cfg.weights[k])); // ()
    perExample.push(scale(lk, cfg.weights[k])); // (B,)
    outs.push(out);
    Object.assign(metrics, out.metrics);
    if (cfg.names.length > 1) metrics[`loss/${name}`] = terms[k].item() / (cfg.weights[k] || 1);
  });
  const loss = terms.reduce((a, b) => add(a, b)); // ()
  const losses = perExample.reduce((a, b) => add(a, b)); // (B,)
  const head = outs.find((o) => o.chosenRewards || o.rewards) ?? outs[0];
  if (W) metrics['wpo/weight_mean'] = noGrad(() => mean(W!).item());
  return {
    loss, losses, chosenRewards: head.chosenRewards, rejectedRewards: head.rejectedRewards,
    rewards: head.rewards, metrics: { ...rewardMetrics(head, inputs), ...metrics },
  };
}

/** TRL's reward and log-prob metrics from a pairwise output. */
function rewardMetrics(out: LossOutput, inputs: LossInputs): Record<string, number> {
  const m: Record<string, number> = {};
  const avg = (t: Tensor) => {
    let total = 0;
    for (const v of t.data) total += v;
    return t.size ? total / t.size : NaN;
  };
  if (out.chosenRewards && out.rejectedRewards && out.chosenRewards.size === out.rejectedRewards.size && !out.rewards) {
    const c = out.chosenRewards.data;
    const r = out.rejectedRewards.data;
    m['rewards/chosen'] = avg(out.chosenRewards);
    m['rewards/rejected'] = avg(out.rejectedRewards);
    let right = 0;
    for (let i = 0; i < c.length; i++) if (c[i] > r[i]) right++;
    m['rewards/accuracies'] = right / Math.max(c.length, 1);
    m['rewards/margins'] = m['rewards/chosen'] - m['rewards/rejected'];
  }
  if (inputs.policyChosenLogps) m['logps/chosen'] = avg(inputs.policyChosenLogps);
  if (inputs.policyRejectedLogps) m['logps/rejected'] = avg(inputs.policyRejectedLogps);
  return m;
}
