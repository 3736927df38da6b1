// The quantities every reference-based pairwise loss starts from (trl-losses.md §0):
//   rho_w = log pi(y_w) - log pi_ref(y_w),  rho_l likewise            (log-ratios)
//   s_w = g(rho_w), s_l = g(rho_l), Delta = s_w - s_l                   (f-divergence scores, g = id for DPO)
//   chosen/rejected rewards = beta * rho (detached)                     (TRL's logged implicit rewards)
// plus completion lengths clamped at >= 1 for the length-normalised losses.
import { clamp, div, mean, scale, sub, type Tensor } from '../tensor/index.js';
import { fScore } from './f-divergence.js';
import { need, sameBatch } from './inputs.js';
import type { LossInputs, LossOutput } from './types.js';

export interface PairedTerms {
  policyChosen: Tensor;
  policyRejected: Tensor;
  refChosen: Tensor;
  refRejected: Tensor;
  /** rho_w, rho_l (B,). */
  chosenLogratios: Tensor;
  rejectedLogratios: Tensor;
  /** s_w = g(rho_w), s_l = g(rho_l) (B,). */
  chosenScores: Tensor;
  rejectedScores: Tensor;
  /** Delta = s_w - s_l (B,). */
  delta: Tensor;
  /** beta * rho, detached (B,). */
  chosenRewards: Tensor;
  rejectedRewards: Tensor;
}

export interface ScoreOptions {
  beta: number;
  f_divergence?: string;
  f_alpha?: number;
}

export function pairedTerms(loss: string, inputs: LossInputs, o: ScoreOptions): PairedTerms {
  const policyChosen = need(loss, inputs, 'policyChosenLogps'); // (B,)
  const policyRejected = need(loss, inputs, 'policyRejectedLogps'); // (B,)
  const refChosen = need(loss, inputs, 'refChosenLogps'); // (B,)
  const refRejected = need(loss, inputs, 'refRejectedLogps'); // (B,)
  sameBatch(loss, {
    policyChosenLogps: policyChosen, policyRejectedLogps: policyRejected,
    refChosenLogps: refChosen, refRejectedLogps: refRejected,
  });
  const chosenLogratios = sub(policyChosen, refChosen); // (B,)
  const rejectedLogratios = sub(policyRejected, refRejected); // (B,)
  const kind = o.f_divergence ?? 'reverse_kl';
  const alpha = o.f_alpha ?? 0.5;
  const chosenScores = fScore(chosenLogratios, kind, alpha); // (B,)
  const rejectedScores = fScore(rejectedLogratios, kind, alpha); // (B,)
  return {
    policyChosen, policyRejected, refChosen, refRejected, chosenLogratios, rejectedLogratios,
    chosenScores, rejectedScores,
    delta: sub(chosenScores, rejectedScores), // (B,)
    chosenRewards: scale(chosenLogratios, o.beta).detach(), // (B,)
    rejectedRewards: scale(rejectedLogratios, o.beta).detach(), // (B,)
  };
}

/** Completion lengths (B,) clamped at >= 1, as TRL does. */
export function pairLengths(loss: string, inputs: LossInputs): { chosen: Tensor; rejected: Tensor } {
  const chosen = need(loss, inputs, 'chosenLengths'); // (B,)
  const rejected = need(loss, inputs, 'rejectedLengths'); // (B,)
  sameBatch(loss, { chosenLengths: chosen, rejectedLengths: rejected, policyChosenLogps: inputs.policyChosenLogps });
  return { chosen: clamp(chosen, 1), rejected: clamp(rejected, 1) }; // (B,) each
}

/** The usual output of a pairwise loss: mean of per-pair losses, implicit rewards for metrics. */
export function pairedOutput(losses: Tensor, rewards?: { chosenRewards: Tensor; rejectedRewards: Tensor }): LossOutput {
  return {
    loss: mean(losses), // ()
    losses, // (B,)
    chosenRewards: rewards?.chosenRewards,
    rejectedRewards: rewards?.rejectedRewards,
    metrics: {},
  };
}

/** Reference-free losses: policy log-probs of chosen and rejected, summed or averaged over tokens (B,). */
export function policyPair(loss: string, inputs: LossInputs, average: boolean): { chosen: Tensor; rejected: Tensor } {
  const chosen = need(loss, inputs, 'policyChosenLogps'); // (B,)
  const rejected = need(loss, inputs, 'policyRejectedLogps'); // (B,)
  sameBatch(loss, { policyChosenLogps: chosen, policyRejectedLogps: rejected });
  if (!average) return { chosen, rejected };
  const len = pairLengths(loss, inputs);
  return { chosen: div(chosen, len.chosen), rejected: div(rejected, len.rejected) }; // (B,) each
}
