// Swapping the roles of chosen and rejected in a set of loss inputs: what the loss would be if the label
// of every pair were flipped. Used by LCPO's E-step (probability of each ordering) and by symmetry tests.
// Margins and soft labels are mirrored (r_w - r_l -> r_l - r_w, p -> 1 - p); everything else is exchanged.
import { neg, sub } from '../tensor/index.js';
import type { InputName, LossInputs } from './types.js';

export const CHOSEN_REJECTED: readonly (readonly [InputName, InputName])[] = [
  ['policyChosenLogps', 'policyRejectedLogps'],
  ['refChosenLogps', 'refRejectedLogps'],
  ['chosenLengths', 'rejectedLengths'],
  ['policyChosenTokenLogps', 'policyRejectedTokenLogps'],
  ['refChosenTokenLogps', 'refRejectedTokenLogps'],
  ['chosenMask', 'rejectedMask'],
  ['chosenTokenLogDenom', 'rejectedTokenLogDenom'],
  ['chosenScores', 'rejectedScores'],
  ['policyChosenPromptLogps', 'policyRejectedPromptLogps'],
  ['refChosenPromptLogps', 'refRejectedPromptLogps'],
  ['chosenRewardMask', 'rejectedRewardMask'],
  ['chosenKlMask', 'rejectedKlMask'],
  ['chosenTokenKl', 'rejectedTokenKl'],
  ['chosenRewards', 'rejectedRewards'],
  ['chosenEmbeddings', 'rejectedEmbeddings'],
  ['policyChosenErrors', 'policyRejectedErrors'],
  ['refChosenErrors', 'refRejectedErrors'],
];

export function swapChosenRejected(inputs: LossInputs): LossInputs {
  const out: LossInputs = { ...inputs };
  for (const [c, r] of CHOSEN_REJECTED) {
    out[c] = inputs[r];
    out[r] = inputs[c];
  }
  if (inputs.rewardMargins) out.rewardMargins = neg(inputs.rewardMargins); // (B,)
  if (inputs.ensembleMargins) out.ensembleMargins = neg(inputs.ensembleMargins); // (B, M)
  if (inputs.softLabels) out.softLabels = sub(1, inputs.softLabels); // (B,)
  return out;
}
