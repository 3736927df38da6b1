// The shared vocabulary of the loss layer: what a loss receives (LossInputs), what it returns
// (LossOutput) and how it is described and registered (LossSpec). No maths here.
//
// Conventions (all losses):
// - B = batch (pairs, unpaired examples, lists or groups), T = completion tokens, N = list size,
//   M = ensemble members / calibration samples, K = classes, S = reasoning steps.
// - Log-probs are SUMMED over completion tokens unless a loss says otherwise; lengths are token counts.
// - Option names are spelled as TRL (and the golden file) spell them, in snake_case, so configs carry over.
import type { Tensor } from '../tensor/index.js';

/** Every tensor a loss may read. Each loss reads a subset; see its `requires` / `optional`. */
export interface LossInputs {
  // --- paired preferences (B,) ---
  policyChosenLogps?: Tensor;
  policyRejectedLogps?: Tensor;
  refChosenLogps?: Tensor;
  refRejectedLogps?: Tensor;
  chosenLengths?: Tensor;
  rejectedLengths?: Tensor;
  // --- token level (B, T); masks are 1 on completion tokens ---
  policyChosenTokenLogps?: Tensor;
  policyRejectedTokenLogps?: Tensor;
  refChosenTokenLogps?: Tensor;
  refRejectedTokenLogps?: Tensor;
  chosenMask?: Tensor;
  rejectedMask?: Tensor;
  /** WPO: per-token log sum_v p_v^2 = logsumexp(2 z) - 2 logsumexp(z) of the policy (B, T). */
  chosenTokenLogDenom?: Tensor;
  rejectedTokenLogDenom?: Tensor;
  // --- optional per-example extras (B,) ---
  weights?: Tensor;
  softLabels?: Tensor;
  chosenScores?: Tensor;
  rejectedScores?: Tensor;
  rewardMargins?: Tensor;
  // --- seed-paper extras ---
  calibrationLogps?: Tensor;
  policyChosenPromptLogps?: Tensor;
  policyRejectedPromptLogps?: Tensor;
  refChosenPromptLogps?: Tensor;
  refRejectedPromptLogps?: Tensor;
  degreeLogits?: Tensor;
  degreeLabels?: Tensor;
  policyRationaleLogps?: Tensor;
  rationaleLengths?: Tensor;
  chosenRewardMask?: Tensor;
  rejectedRewardMask?: Tensor;
  chosenKlMask?: Tensor;
  rejectedKlMask?: Tensor;
  chosenTokenKl?: Tensor;
  rejectedTokenKl?: Tensor;
  rewardShift?: Tensor;
  // --- unpaired (KTO) (B,) ---
  policyLogps?: Tensor;
  refLogps?: Tensor;
  labels?: Tensor;
  kl?: Tensor;
  policyKlLogps?: Tensor;
  refKlLogps?: Tensor;
  // --- reward models (B,) ---
  chosenRewards?: Tensor;
  rejectedRewards?: Tensor;
  margin?: Tensor;
  ensembleMargins?: Tensor;
  chosenEmbeddings?: Tensor;
  rejectedEmbeddings?: Tensor;
  eigenGates?: Tensor;
  // --- lists and groups (B, N) ---
  policyListLogps?: Tensor;
  refListLogps?: Tensor;
  listScores?: Tensor;
  listLengths?: Tensor;
  stepLogRatios?: Tensor;
  stepWeights?: Tensor;
  // --- diffusion (B,) per-sample denoising MSE ---
  policyChosenErrors?: Tensor;
  policyRejectedErrors?: Tensor;
  refChosenErrors?: Tensor;
  refRejectedErrors?: Tensor;
}

export type InputName = keyof LossInputs;

export interface LossOutput {
  /** The scalar to minimise, shape (). */
  loss: Tensor;
  /** Per-example losses (B,); `loss` is their mean unless the loss documents otherwise. */
  losses: Tensor;
  /** Implicit rewards for metrics (detached), (B,): beta * (policy - reference) for DPO-family losses. */
  chosenRewards?: Tensor;
  rejectedRewards?: Tensor;
  /** Unpaired losses: the implicit reward of every example (detached), (B,). */
  rewards?: Tensor;
  /** Scalar metrics with TRL's names (`rewards/chosen`, `kl`, ...) and loss-specific extras. */
  metrics: Record<string, number>;
}

export type OptionValue = number | string | boolean | null;
export type LossOptions = Record<string, OptionValue>;

/** How a loss reads its data, for `loss list`, config checks and the parametrised tests. */
export type InputKind =
  | 'paired' | 'paired-ref-free' | 'unpaired' | 'reward' | 'listwise' | 'diffusion';

export interface LossSpec<O extends LossOptions = LossOptions> {
  /** One line for `prefkit loss list`. */
  description: string;
  /** The paper (title, authors, arXiv id) and where the implemented formula comes from. */
  paper: string;
  inputs: InputKind;
  /** Whether reference-model log-probs are required. */
  needsReference: boolean;
  /** Inputs the loss cannot run without. */
  requires: readonly InputName[];
  /** Inputs the loss reads when present. */
  optional?: readonly InputName[];
  defaults: O;
  /** One line per option: meaning and valid range. */
  optionDocs: { readonly [K in keyof O]: string };
  /**
   * For wrappers around another registered loss (LCPO, SPO, rationales): the option naming the base
   * loss. Options the wrapper does not know are then validated against the base loss.
   */
  baseLossOption?: string;
  /** Throws a LossError naming the loss, the option, the value and the valid range. */
  validate(options: O): void;
  /** The pure loss: inputs and fully resolved options to per-example and mean loss. */
  fn(inputs: LossInputs, options: O): LossOutput;
}
