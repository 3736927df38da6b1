// ORPO odds-ratio term (`orpo`).
//
// Paper: Hong, Lee, Thorne, "ORPO: Monolithic Preference Optimization without Reference Model", arXiv
// 2403.07691, Eq. 6-7: with a_y = log pi(y)/|y| (average token log-prob) and odds(y) = p/(1-p), p = e^a,
//   log odds ratio = (a_w - a_l) - (log(1 - e^{a_w}) - log(1 - e^{a_l}))
//   L_OR = -beta * log sigmoid(log odds ratio)            (beta = lambda of the paper, TRL default 0.1)
// log(1 - e^a) is computed by log1mexp (two branches at -ln 2), as TRL does.
// Deviations: the NLL term of ORPO (CE over prompt + response of the chosen sequence) is the separate `sft`
// loss (loss_type ["orpo", "sft"]); average log-probs are clamped to <= -1e-7 (a = 0 means p = 1, odds = inf).
// Metrics as TRL: log_odds_ratio = mean log sigmoid(log odds), log_odds_chosen = mean log odds.
import { logSigmoid, mean, scale, sub } from '../tensor/index.js';
import { checkBeta } from './errors.js';
import { pairedOutput, policyPair } from './paired-terms.js';
import { log1mexp } from './stable-math.js';
import type { LossSpec } from './types.js';

export const orpoLoss: LossSpec<{ beta: number }> = {
  description: 'ORPO odds-ratio term (reference-free): -beta log sigmoid(log odds(y_w) - log odds(y_l)); add sft for the NLL',
  paper: 'Hong, Lee, Thorne, ORPO: Monolithic Preference Optimization without Reference Model, arXiv 2403.07691 (Eq. 6-7)',
  inputs: 'paired-ref-free',
  needsReference: false,
  requires: ['policyChosenLogps', 'policyRejectedLogps', 'chosenLengths', 'rejectedLengths'],
  defaults: { beta: 0.1 },
  optionDocs: { beta: 'weight lambda of the odds-ratio term, > 0' },
  validate: (o) => checkBeta('orpo', o),
  fn(inputs, o) {
    const a = policyPair('orpo', inputs, true);
    const logOdds = sub(sub(a.chosen, a.rejected), sub(log1mexp(a.chosen), log1mexp(a.rejected))); // (B,)
    const ratio = logSigmoid(logOdds); // (B,)
    const out = pairedOutput(scale(ratio, -o.beta), {
      chosenRewards: scale(a.chosen, o.beta).detach(), // (B,)
      rejectedRewards: scale(a.rejected, o.beta).detach(), // (B,)
    });
    out.metrics = { log_odds_ratio: mean(ratio).item(), log_odds_chosen: mean(logOdds).item() };
    return out;
  },
};
