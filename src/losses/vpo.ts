// VPO: value-incentivised preference optimisation (`vpo`).
//
// Paper: Cen et al., "Value-Incentivized Preference Optimization: A Unified Approach to Online and Offline
// RLHF", arXiv 2405.19320 (ICLR 2025). The full text was not available: the practical loss is reconstructed
// from the framework in the abstract (methods.md §2, constants UNCONFIRMED):
//   L = L_DPO + sign * vpo_alpha * E_{y ~ pi_cal}[ log pi_theta(y|x) ]
//   optimistic (online exploration, sign = +1): y are fresh samples of the reference policy (penalise them)
//   pessimistic (offline, conservative, sign = -1): y are in-data responses (reward their likelihood)
// Inputs: `calibrationLogps` (M,) summed policy log-probs of the calibration responses. If M = B they are
// added pair by pair, otherwise their mean is added to every pair. Design choices: if calibrationLogps is
// absent in pessimistic mode, the chosen responses are the calibration set (UNCONFIRMED reading); optimistic
// mode then is an error (it needs samples). Default vpo_alpha = 0.01 (UNCONFIRMED). The base loss is any
// pairwise loss (DPO by default). Special case: vpo_alpha = 0 is the base loss exactly.
import { add, mean, scale, type Tensor } from '../tensor/index.js';
import { BASE_LOSS_OPTION, runBase } from './base-loss.js';
import { checkChoice, checkRange, LossError } from './errors.js';
import { need } from './inputs.js';
import type { LossOptions, LossSpec } from './types.js';

type VpoOptions = { base_loss: string; vpo_alpha: number; vpo_mode: string };

export const vpoLoss: LossSpec<VpoOptions> = {
  description: 'VPO: pairwise loss +- alpha * log-likelihood of calibration responses (optimistic / pessimistic)',
  paper: 'Cen et al., Value-Incentivized Preference Optimization, arXiv 2405.19320 (constants UNCONFIRMED)',
  inputs: 'paired',
  needsReference: false,
  requires: [],
  optional: ['calibrationLogps'],
  defaults: { base_loss: 'sigmoid', vpo_alpha: 0.01, vpo_mode: 'pessimistic' },
  optionDocs: {
    base_loss: 'the pairwise loss to regularise (DPO by default); its options apply too',
    vpo_alpha: 'weight of the value regulariser, >= 0 (0 = base loss)',
    vpo_mode: 'optimistic (+, online: calibration = reference samples) | pessimistic (-, offline)',
  },
  baseLossOption: BASE_LOSS_OPTION,
  validate(o) {
    checkRange('vpo', o, 'vpo_alpha', { ge: 0 });
    checkChoice('vpo', o, 'vpo_mode', ['optimistic', 'pessimistic']);
  },
  fn(inputs, o) {
    const out = runBase('vpo', inputs, o as unknown as LossOptions);
    const B = out.losses.shape[0];
    let cal: Tensor | undefined = inputs.calibrationLogps; // (M,)
    if (!cal) {
      if (o.vpo_mode === 'optimistic') {
        throw new LossError("loss 'vpo': vpo_mode optimistic needs input calibrationLogps (policy log-probs of " +
          'responses sampled from the reference policy)', 'vpo', 'vpo_mode');
      }
      cal = need('vpo', inputs, 'policyChosenLogps'); // (B,)
    }
    const sign = o.vpo_mode === 'optimistic' ? 1 : -1;
    const term = cal.ndim === 1 && cal.shape[0] === B ? cal : mean(cal); // (B,) or ()
    const losses = add(out.losses, scale(term, sign * o.vpo_alpha)); // (B,)
    return { ...out, loss: mean(losses), losses, metrics: { ...out.metrics, 'vpo/calibration_logp': mean(cal).item() } }; // loss ()
  },
};
