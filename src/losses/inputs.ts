// The input table (name, shape, meaning) and the checks every loss runs on what it reads: a missing
// input or a wrong shape is an error naming the loss, the input, what was expected and a hint.
import { formatShape, mul, sum, type Tensor } from '../tensor/index.js';
import { LossError } from './errors.js';
import type { InputName, LossInputs } from './types.js';

/**
 * Axis letters of an input's shape: B batch, T tokens, N list, M members, K classes, S steps,
 * D embedding width (2k for GPM), G = D / 2 GPM gates.
 */
export type ShapeCode = 'B' | 'BT' | 'BN' | 'BNS' | 'BM' | 'BK' | 'BD' | 'BG' | 'M' | 'scalar';

/** What values an input holds (used by docs and by the tests to draw valid random inputs). */
export type ValueKind =
  | 'logp' | 'length' | 'mask' | 'binary' | 'prob' | 'real' | 'class' | 'positive' | 'weight';

export interface InputDoc {
  shape: ShapeCode;
  kind: ValueKind;
  /** Whether gradients flow into it (policy-side quantities). */
  differentiable: boolean;
  doc: string;
}

const d = (shape: ShapeCode, kind: ValueKind, differentiable: boolean, doc: string): InputDoc =>
  ({ shape, kind, differentiable, doc });

export const INPUT_DOCS: { readonly [K in InputName]-?: InputDoc } = {
  policyChosenLogps: d('B', 'logp', true, 'policy log-prob of the chosen completion, summed over its tokens'),
  policyRejectedLogps: d('B', 'logp', true, 'policy log-prob of the rejected completion, summed'),
  refChosenLogps: d('B', 'logp', false, 'reference log-prob of the chosen completion, summed'),
  refRejectedLogps: d('B', 'logp', false, 'reference log-prob of the rejected completion, summed'),
  chosenLengths: d('B', 'length', false, 'completion token count of the chosen response'),
  rejectedLengths: d('B', 'length', false, 'completion token count of the rejected response'),
  policyChosenTokenLogps: d('BT', 'logp', true, 'per-token policy log-probs of the chosen sequence'),
  policyRejectedTokenLogps: d('BT', 'logp', true, 'per-token policy log-probs of the rejected sequence'),
  refChosenTokenLogps: d('BT', 'logp', false, 'per-token reference log-probs of the chosen sequence'),
  refRejectedTokenLogps: d('BT', 'logp', false, 'per-token reference log-probs of the rejected sequence'),
  chosenMask: d('BT', 'mask', false, '1 on completion tokens of the chosen sequence, 0 on prompt and padding'),
  rejectedMask: d('BT', 'mask', false, '1 on completion tokens of the rejected sequence'),
  chosenTokenLogDenom: d('BT', 'real', false, 'WPO: log sum_v p_v^2 of the policy at each chosen token'),
  rejectedTokenLogDenom: d('BT', 'real', false, 'WPO: log sum_v p_v^2 of the policy at each rejected token'),
  weights: d('B', 'weight', false, 'per-example loss weights (multiply every per-example loss)'),
  softLabels: d('B', 'prob', false, 'probability that the chosen response is really preferred'),
  chosenScores: d('B', 'real', false, 'score of the chosen response (judge score; GPO: preference score vs pi_t)'),
  rejectedScores: d('B', 'real', false, 'score of the rejected response'),
  rewardMargins: d('B', 'real', false, 'reward-model margin r(chosen) - r(rejected) (MADPO)'),
  calibrationLogps: d('M', 'logp', true, 'policy log-probs of calibration responses (VPO)'),
  policyChosenPromptLogps: d('B', 'logp', true, 'policy log-prob of the chosen prompt (DOVE joint log-prob)'),
  policyRejectedPromptLogps: d('B', 'logp', true, 'policy log-prob of the rejected prompt (DOVE)'),
  refChosenPromptLogps: d('B', 'logp', false, 'reference log-prob of the chosen prompt (DOVE)'),
  refRejectedPromptLogps: d('B', 'logp', false, 'reference log-prob of the rejected prompt (DOVE)'),
  degreeLogits: d('BK', 'real', true, 'preference-degree classifier logits (SPO)'),
  degreeLabels: d('B', 'class', false, 'preference-degree class index 0..K-1 (SPO)'),
  policyRationaleLogps: d('B', 'logp', true, 'policy log-prob of the rationale given prompt and ordered pair'),
  rationaleLengths: d('B', 'length', false, 'rationale token count'),
  chosenRewardMask: d('BT', 'prob', true, 'SparsePO token mask on the chosen reward, values in [0, 1]'),
  rejectedRewardMask: d('BT', 'prob', true, 'SparsePO token mask on the rejected reward'),
  chosenKlMask: d('BT', 'prob', true, 'SparsePO token mask on the chosen KL term (default: the reward mask)'),
  rejectedKlMask: d('BT', 'prob', true, 'SparsePO token mask on the rejected KL term'),
  chosenTokenKl: d('BT', 'real', true, 'sum_v p_ref(v) (log p(v) - log p_ref(v)) at each chosen token (<= 0)'),
  rejectedTokenKl: d('BT', 'real', true, 'same for the rejected sequence'),
  rewardShift: d('scalar', 'real', false, 'BCO running reward mean delta'),
  policyLogps: d('B', 'logp', true, 'policy log-prob of the completion (unpaired), summed'),
  refLogps: d('B', 'logp', false, 'reference log-prob of the completion (unpaired), summed'),
  labels: d('B', 'binary', false, '1 = desirable, 0 = undesirable'),
  kl: d('scalar', 'real', false, 'KTO reference point z0 before clamping at 0 (detached)'),
  policyKlLogps: d('B', 'logp', false, 'policy log-probs of mismatched (prompt, completion) pairs (KTO KL)'),
  refKlLogps: d('B', 'logp', false, 'reference log-probs of the mismatched pairs'),
  chosenRewards: d('B', 'real', true, 'reward-model score of the chosen response'),
  rejectedRewards: d('B', 'real', true, 'reward-model score of the rejected response'),
  margin: d('B', 'positive', false, 'per-pair margin the reward gap must exceed'),
  ensembleMargins: d('BM', 'real', false, 'r_m(chosen) - r_m(rejected) for each of M ensemble reward models'),
  chosenEmbeddings: d('BD', 'real', true, 'GPM preference embedding of the chosen response (D = 2k)'),
  rejectedEmbeddings: d('BD', 'real', true, 'GPM preference embedding of the rejected response (D = 2k)'),
  eigenGates: d('BG', 'positive', true, 'GPM prompt-dependent eigenvalue gates lambda_l(x) >= 0, one per 2-dim block'),
  policyListLogps: d('BN', 'logp', true, 'policy log-probs of the N responses of each list / group, summed'),
  refListLogps: d('BN', 'logp', false, 'reference log-probs of the N responses'),
  listScores: d('BN', 'real', false, 'quality score of each response (higher is better)'),
  listLengths: d('BN', 'length', false, 'token count of each response'),
  stepLogRatios: d('BNS', 'real', true, 'TPO: mean log-ratio of each reasoning step'),
  stepWeights: d('BNS', 'positive', false, 'TPO: adaptive step weights (cosine to the best response + 1)'),
  policyChosenErrors: d('B', 'positive', true, 'Diffusion-DPO: policy denoising MSE of the preferred sample'),
  policyRejectedErrors: d('B', 'positive', true, 'Diffusion-DPO: policy denoising MSE of the rejected sample'),
  refChosenErrors: d('B', 'positive', false, 'Diffusion-DPO: reference denoising MSE of the preferred sample'),
  refRejectedErrors: d('B', 'positive', false, 'Diffusion-DPO: reference denoising MSE of the rejected sample'),
};

const REF_INPUTS = new Set<InputName>([
  'refChosenLogps', 'refRejectedLogps', 'refLogps', 'refListLogps', 'refChosenErrors', 'refRejectedErrors',
]);

/** The input, or an error naming the loss and the input (with a hint for reference log-probs). */
export function need(loss: string, inputs: LossInputs, name: InputName): Tensor {
  const t = inputs[name];
  if (t) return t;
  const doc = INPUT_DOCS[name];
  const hint = REF_INPUTS.has(name)
    ? `loss '${loss}' needs reference log-probs: input ${name} is missing; compute them once with the reference ` +
      'model (or precompute and cache them), or choose a reference-free loss (simpo, cpo, orpo, alphapo)'
    : `loss '${loss}': input ${name} is missing; expected ${formatShapeCode(doc.shape)}: ${doc.doc}`;
  throw new LossError(hint, loss);
}

export function formatShapeCode(code: ShapeCode): string {
  return code === 'scalar' ? '()' : `(${code.split('').join(', ')}${code.length === 1 ? ',' : ''})`;
}

/** Checks that every named tensor has the same 1-D shape (B,); returns B. */
export function sameBatch(loss: string, named: Partial<Record<InputName, Tensor>>): number {
  let batch = -1;
  let first = '';
  for (const [name, t] of Object.entries(named) as [InputName, Tensor | undefined][]) {
    if (!t) continue;
    if (t.ndim !== 1) {
      throw new LossError(`loss '${loss}': input ${name} has shape ${formatShape(t.shape)}; expected (B,)`, loss);
    }
    if (batch < 0) {
      batch = t.shape[0];
      first = name;
    } else if (t.shape[0] !== batch) {
      throw new LossError(`loss '${loss}': input ${name} has shape ${formatShape(t.shape)} but ${first} has ` +
        `(${batch},); every per-example input must have the same batch size`, loss);
    }
  }
  return batch;
}

/** Checks a tensor's full shape. */
export function expectShape(loss: string, name: string, t: Tensor, shape: readonly number[]): void {
  if (t.ndim !== shape.length || t.shape.some((s, i) => s !== shape[i])) {
    throw new LossError(`loss '${loss}': input ${name} has shape ${formatShape(t.shape)}; ` +
      `expected ${formatShape(shape)}`, loss);
  }
}

/** The single value of a scalar input given as () or (1,). */
export function scalarValue(loss: string, name: string, t: Tensor): number {
  if (t.size !== 1) {
    throw new LossError(`loss '${loss}': input ${name} has shape ${formatShape(t.shape)}; expected a scalar`, loss);
  }
  return t.data[0];
}

/** Summed log-probs and lengths from per-token inputs, for whatever the caller did not give. */
export function sequenceFromTokens(inputs: LossInputs): LossInputs {
  const out: LossInputs = { ...inputs };
  const pairs = [
    ['policyChosenTokenLogps', 'chosenMask', 'policyChosenLogps'],
    ['policyRejectedTokenLogps', 'rejectedMask', 'policyRejectedLogps'],
    ['refChosenTokenLogps', 'chosenMask', 'refChosenLogps'],
    ['refRejectedTokenLogps', 'rejectedMask', 'refRejectedLogps'],
  ] as const;
  for (const [tok, mask, seq] of pairs) {
    const t = inputs[tok];
    const m = inputs[mask];
    if (t && m && !inputs[seq]) {
      expectShape('inputs', mask, m, t.shape);
      out[seq] = sum(mul(t, m), 1); // (B,)
    }
  }
  if (inputs.chosenMask && !inputs.chosenLengths) out.chosenLengths = sum(inputs.chosenMask, 1); // (B,)
  if (inputs.rejectedMask && !inputs.rejectedLengths) out.rejectedLengths = sum(inputs.rejectedMask, 1); // (B,)
  return out;
}
