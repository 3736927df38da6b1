// Unpaired losses: KTO (`kto`) and APO-zero for unpaired data (`apo_zero_unpaired`).
//
// KTO: Ethayarajh et al., "KTO: Model Alignment as Prospect Theoretic Optimization", arXiv 2402.01306,
// Eq. 8, as TRL's KTOTrainer implements it (trl-losses.md §3): rho = log pi(y|x) - log pi_ref(y|x),
//   z0 = max(0, mean(log pi(y'|x) - log pi_ref(y'|x)))   over MISMATCHED pairs (completions rotated by one
//        within the batch), detached
//   desirable:    desirable_weight   * (1 - sigmoid(beta (rho - z0)))
//   undesirable:  undesirable_weight * (1 - sigmoid(beta (z0 - rho)))
//   L = mean over all examples
// z0 comes from input `kl` (the mean before clamping, as in the golden file; e.g. gathered over ranks by the
// trainer) or is computed here from `policyKlLogps` / `refKlLogps` of the mismatched pairs.
// apo_zero_unpaired (D'Oosterlinck et al., arXiv 2408.06266): desirable 1 - sigmoid(beta rho), undesirable
// sigmoid(beta rho), same class weights, no KL pass. No deviation from TRL.
import { full, indexSelect, mean, mul, noGrad, scale, sigmoid, sub, where, type Tensor } from '../tensor/index.js';
import { checkBeta, checkRange, LossError } from './errors.js';
import { need, sameBatch, scalarValue } from './inputs.js';
import type { LossInputs, LossOutput, LossSpec } from './types.js';

type KtoOptions = { beta: number; desirable_weight: number; undesirable_weight: number };

interface Unpaired {
  rho: Tensor;
  labels: Tensor;
  desirable: number[];
  undesirable: number[];
}

function unpaired(loss: string, inputs: LossInputs): Unpaired {
  const policy = need(loss, inputs, 'policyLogps'); // (B,)
  const ref = need(loss, inputs, 'refLogps'); // (B,)
  const labels = need(loss, inputs, 'labels'); // (B,)
  sameBatch(loss, { policyLogps: policy, refLogps: ref, labels });
  const desirable: number[] = [];
  const undesirable: number[] = [];
  labels.data.forEach((v, i) => {
    if (v === 1) desirable.push(i);
    else if (v === 0) undesirable.push(i);
    else throw new LossError(`loss '${loss}': labels[${i}] = ${v}; expected 1 (desirable) or 0 (undesirable)`, loss);
  });
  return { rho: sub(policy, ref), labels, desirable, undesirable }; // rho (B,)
}

/** The KTO reference point z0 = max(0, KL estimate), detached. */
function referencePoint(loss: string, inputs: LossInputs): { z0: number; kl: number } {
  let kl: number;
  if (inputs.kl) kl = scalarValue(loss, 'kl', inputs.kl);
  else if (inputs.policyKlLogps || inputs.refKlLogps) {
    const p = need(loss, inputs, 'policyKlLogps'); // (B,)
    const r = need(loss, inputs, 'refKlLogps'); // (B,)
    sameBatch(loss, { policyKlLogps: p, refKlLogps: r });
    kl = noGrad(() => mean(sub(p, r)).item());
  } else {
    throw new LossError(`loss '${loss}': needs the KL reference point: pass input kl (z0 before clamping) or ` +
      'policyKlLogps and refKlLogps (log-probs of mismatched prompt/completion pairs)', loss);
  }
  return { z0: Math.max(kl, 0), kl };
}

function output(u: Unpaired, losses: Tensor, beta: number, extra: Record<string, number>): LossOutput {
  const rewards = scale(u.rho, beta).detach(); // (B,)
  const classMean = (idx: number[]): number => (idx.length ? mean(indexSelect(rewards, 0, idx)).item() : NaN);
  const chosen = classMean(u.desirable);
  const rejected = classMean(u.undesirable);
  return {
    loss: mean(losses), // ()
    losses, // (B,)
    rewards,
    chosenRewards: u.desirable.length ? indexSelect(rewards, 0, u.desirable) : undefined,
    rejectedRewards: u.undesirable.length ? indexSelect(rewards, 0, u.undesirable) : undefined,
    metrics: { ...extra, 'rewards/chosen': chosen, 'rewards/rejected': rejected, 'rewards/margins': chosen - rejected },
  };
}

function classWeights(u: Unpaired, o: KtoOptions): Tensor {
  const dtype = u.rho.dtype;
  return where(u.labels, full(u.labels.shape, o.desirable_weight, { dtype }), o.undesirable_weight); // (B,)
}

const DOCS = {
  beta: 'temperature, > 0',
  desirable_weight: 'lambda_D, weight of desirable examples, > 0 (keep lambda_D n_D / (lambda_U n_U) in [1, 4/3])',
  undesirable_weight: 'lambda_U, weight of undesirable examples, > 0',
};

function validate(name: string, o: KtoOptions): void {
  checkBeta(name, o);
  checkRange(name, o, 'desirable_weight', { gt: 0 });
  checkRange(name, o, 'undesirable_weight', { gt: 0 });
}

export const ktoLoss: LossSpec<KtoOptions> = {
  description: 'KTO (unpaired): 1 - sigmoid(beta (rho - z0)) for desirable, 1 - sigmoid(beta (z0 - rho)) for undesirable',
  paper: 'Ethayarajh et al., KTO: Model Alignment as Prospect Theoretic Optimization, arXiv 2402.01306 (Eq. 8)',
  inputs: 'unpaired',
  needsReference: true,
  requires: ['policyLogps', 'refLogps', 'labels'],
  optional: ['kl', 'policyKlLogps', 'refKlLogps'],
  defaults: { beta: 0.1, desirable_weight: 1, undesirable_weight: 1 },
  optionDocs: DOCS,
  validate: (o) => validate('kto', o),
  fn(inputs, o) {
    const u = unpaired('kto', inputs);
    const { z0, kl } = referencePoint('kto', inputs);
    const good = sub(1, sigmoid(scale(sub(u.rho, z0), o.beta))); // (B,)
    const bad = sub(1, sigmoid(scale(sub(z0, u.rho), o.beta))); // (B,)
    const losses = mul(where(u.labels, good, bad), classWeights(u, o)); // (B,)
    return output(u, losses, o.beta, { kl: z0, 'kl/unclamped': kl });
  },
};

export const apoZeroUnpairedLoss: LossSpec<KtoOptions> = {
  description: 'APO-zero (unpaired): 1 - sigmoid(beta rho) for desirable, sigmoid(beta rho) for undesirable',
  paper: "D'Oosterlinck et al., Anchored Preference Optimization and Contrastive Revisions, arXiv 2408.06266 (TRL KTOTrainer)",
  inputs: 'unpaired',
  needsReference: true,
  requires: ['policyLogps', 'refLogps', 'labels'],
  defaults: { beta: 0.1, desirable_weight: 1, undesirable_weight: 1 },
  optionDocs: DOCS,
  validate: (o) => validate('apo_zero_unpaired', o),
  fn(inputs, o) {
    const u = unpaired('apo_zero_unpaired', inputs);
    const p = sigmoid(scale(u.rho, o.beta)); // (B,)
    const losses = mul(where(u.labels, sub(1, p), p), classWeights(u, o)); // (B,)
    return output(u, losses, o.beta, {});
  },
};
