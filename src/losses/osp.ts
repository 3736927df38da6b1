// OSP soft-preference cross-entropy (`osp`).
//
// Paper: Zhai et al., "Online Self-Preferring Language Models", arXiv 2405.14103. The abstract confirms a
// "soft-preference cross-entropy" that uses the judged preference strength instead of a hard label; the exact
// form is UNCONFIRMED. Design choice (methods.md §11): with p the probability that y_w is preferred,
//   L = -[ p log sigmoid(beta h) + (1 - p) log sigmoid(-beta h) ],   h = DPO log-ratio margin
// p comes from input `softLabels`, or from judge scores as p = sigmoid((score_w - score_l) / osp_temperature).
// Special cases: p = 1 is DPO; p = 1 - eps for every pair is cDPO with label_smoothing eps.
import { add, div, logSigmoid, mul, neg, scale, sigmoid, sub } from '../tensor/index.js';
import { checkBeta, checkRange, LossError } from './errors.js';
import { need, sameBatch } from './inputs.js';
import { pairedOutput, pairedTerms } from './paired-terms.js';
import type { LossSpec } from './types.js';

export const ospLoss: LossSpec<{ beta: number; osp_temperature: number }> = {
  description: 'OSP soft-preference cross-entropy: -[p log sig(beta h) + (1-p) log sig(-beta h)], p = soft label',
  paper: 'Zhai et al., Online Self-Preferring Language Models, arXiv 2405.14103 (form of SPCE UNCONFIRMED)',
  inputs: 'paired',
  needsReference: true,
  requires: ['policyChosenLogps', 'policyRejectedLogps', 'refChosenLogps', 'refRejectedLogps'],
  optional: ['softLabels', 'chosenScores', 'rejectedScores'],
  defaults: { beta: 0.1, osp_temperature: 1 },
  optionDocs: {
    beta: 'temperature, > 0',
    osp_temperature: 'T in p = sigmoid((score_w - score_l) / T) when soft labels come from scores, > 0',
  },
  validate(o) {
    checkBeta('osp', o);
    checkRange('osp', o, 'osp_temperature', { gt: 0 });
  },
  fn(inputs, o) {
    const t = pairedTerms('osp', inputs, o);
    let p = inputs.softLabels; // (B,)
    if (!p) {
      if (!inputs.chosenScores && !inputs.rejectedScores) {
        throw new LossError("loss 'osp': needs soft labels: pass input softLabels (B,) in [0, 1], or chosenScores and rejectedScores", 'osp');
      }
      const sw = need('osp', inputs, 'chosenScores'); // (B,)
      const sl = need('osp', inputs, 'rejectedScores'); // (B,)
      p = sigmoid(div(sub(sw, sl), o.osp_temperature)).detach(); // (B,)
    }
    sameBatch('osp', { softLabels: p, policyChosenLogps: t.policyChosen });
    p.data.forEach((v, i) => {
      if (!(v >= 0 && v <= 1)) throw new LossError(`loss 'osp': softLabels[${i}] = ${v}; expected a probability in [0, 1]`, 'osp');
    });
    const z = scale(t.delta, o.beta); // (B,)
    const losses = neg(add(mul(p, logSigmoid(z)), mul(sub(1, p), logSigmoid(neg(z))))); // (B,)
    return pairedOutput(losses, t);
  },
};
