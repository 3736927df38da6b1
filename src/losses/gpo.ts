// General Preference Optimization (`gpo`): SPPO-style regression to general preference scores.
//
// Paper: Zhang et al., "Beyond Bradley-Terry Models: A General Preference Model for Language Model
// Alignment", arXiv 2410.02197, Eq. 5.2-5.3; with pi_ref = pi_t (the previous iterate) and
// s_hat(y > pi_t | x) = (1/K) sum_k s(y > y_k | x) over K samples of pi_t (inputs chosenScores /
// rejectedScores), log Z replaced by 0, for the max- and min-score samples of each prompt:
//   L = ( (rho_w - s_hat_w / beta)^2 + (rho_l - s_hat_l / beta)^2 ) / 2,   rho = log pi_theta - log pi_t
// (the SPPO trainer form with eta = 1/beta; the exact `sppo_score` branch is UNCONFIRMED). Default beta =
// 0.001 as the authors' scripts. Special case: s_hat = +-1/2 gives sppo_hard / 2.
import { add, scale, square, sub } from '../tensor/index.js';
import { checkBeta } from './errors.js';
import { need, sameBatch } from './inputs.js';
import { pairedOutput, pairedTerms } from './paired-terms.js';
import type { LossSpec } from './types.js';

export const gpoLoss: LossSpec<{ beta: number }> = {
  description: 'GPO: regress log pi/pi_t of the best and worst samples to their preference scores / beta',
  paper: 'Zhang et al., General Preference Optimization, arXiv 2410.02197 (Eq. 5.3; SPPO trainer form)',
  inputs: 'paired',
  needsReference: true,
  requires: ['policyChosenLogps', 'policyRejectedLogps', 'refChosenLogps', 'refRejectedLogps', 'chosenScores', 'rejectedScores'],
  defaults: { beta: 0.001 },
  optionDocs: { beta: 'KL strength, > 0; targets are s_hat / beta (authors: 0.001)' },
  validate: (o) => checkBeta('gpo', o),
  fn(inputs, o) {
    const t = pairedTerms('gpo', inputs, o);
    const sw = need('gpo', inputs, 'chosenScores'); // (B,)
    const sl = need('gpo', inputs, 'rejectedScores'); // (B,)
    sameBatch('gpo', { chosenScores: sw, rejectedScores: sl, policyChosenLogps: t.policyChosen });
    const ew = square(sub(t.chosenLogratios, scale(sw, 1 / o.beta))); // (B,)
    const el = square(sub(t.rejectedLogratios, scale(sl, 1 / o.beta))); // (B,)
    return pairedOutput(scale(add(ew, el), 0.5), t); // (B,)
  },
};
