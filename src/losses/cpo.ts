// CPO preference term (`cpo`).
//
// Paper: Xu et al., "Contrastive Preference Optimization: Pushing the Boundaries of LLM Performance in
// Machine Translation", arXiv 2401.08417, Eq. 3-4: DPO with a uniform reference (dropped), on SUMMED
// log-probs, plus an NLL term on the chosen responses:
//   L = -log sigmoid(beta (log pi(y_w) - log pi(y_l)))  [+ cpo_alpha * NLL(y_w)]
// As TRL's CPOTrainer loss_type "sigmoid" (with label smoothing eps). Deviation in packaging only: the NLL
// term is the separate `sft` loss (loss_type ["cpo", "sft"], loss_weights [1, cpo_alpha], TRL default
// cpo_alpha = 1); `cpo` alone is the preference term, as in the golden file.
import { scale, sub } from '../tensor/index.js';
import { checkBeta, checkRange } from './errors.js';
import { pairedOutput, policyPair } from './paired-terms.js';
import { smoothedLogistic } from './stable-math.js';
import type { LossSpec } from './types.js';

export const cpoLoss: LossSpec<{ beta: number; label_smoothing: number }> = {
  description: 'CPO preference term (reference-free): -log sigmoid(beta (logp_w - logp_l)); add sft for the NLL',
  paper: 'Xu et al., Contrastive Preference Optimization, arXiv 2401.08417 (Eq. 3-4)',
  inputs: 'paired-ref-free',
  needsReference: false,
  requires: ['policyChosenLogps', 'policyRejectedLogps'],
  defaults: { beta: 0.1, label_smoothing: 0 },
  optionDocs: {
    beta: 'temperature, > 0',
    label_smoothing: 'eps of the smoothed logistic loss, 0 <= eps <= 0.5',
  },
  validate(o) {
    checkBeta('cpo', o);
    checkRange('cpo', o, 'label_smoothing', { ge: 0, le: 0.5 });
  },
  fn(inputs, o) {
    const p = policyPair('cpo', inputs, false);
    const losses = smoothedLogistic(scale(sub(p.chosen, p.rejected), o.beta), o.label_smoothing); // (B,)
    return pairedOutput(losses, {
      chosenRewards: scale(p.chosen, o.beta).detach(), // (B,)
      rejectedRewards: scale(p.rejected, o.beta).detach(), // (B,)
    });
  },
};
