// DOVE: DPO on joint instruction-response log-probs (`dove`).
//
// Paper: Bansal et al., "Comparing Bad Apples to Good Oranges: Aligning Large Language Models via Joint
// Preference Optimization", arXiv 2404.00530; authors' code Hritikbansal/dove @02e53a0 (prompt tokens kept
// in the labels). For joint preferences (x_w, y_w) > (x_l, y_l), with l(x, y) = log pi(x) + log pi(y|x):
//   L = -log sigmoid(beta [ (l_theta(x_w,y_w) - l_ref(x_w,y_w)) - (l_theta(x_l,y_l) - l_ref(x_l,y_l)) ])
// Inputs: the usual completion log-probs plus the prompt log-probs (policy/ref, chosen/rejected). Without
// prompt log-probs (a conditional pair, x_w = x_l) the prompt terms cancel and DOVE is exactly DPO.
import { add } from '../tensor/index.js';
import { checkBeta, LossError } from './errors.js';
import { need } from './inputs.js';
import { sigmoidLoss } from './sigmoid.js';
import type { InputName, LossSpec } from './types.js';

const PROMPTS: InputName[] = ['policyChosenPromptLogps', 'policyRejectedPromptLogps', 'refChosenPromptLogps', 'refRejectedPromptLogps'];

export const doveLoss: LossSpec<{ beta: number }> = {
  description: 'DOVE: DPO on joint log pi(x, y) = log pi(x) + log pi(y|x), for pairs with different prompts',
  paper: 'Bansal et al., Comparing Bad Apples to Good Oranges (DOVE), arXiv 2404.00530',
  inputs: 'paired',
  needsReference: true,
  requires: ['policyChosenLogps', 'policyRejectedLogps', 'refChosenLogps', 'refRejectedLogps'],
  optional: PROMPTS,
  defaults: { beta: 0.1 },
  optionDocs: { beta: 'temperature, > 0' },
  validate: (o) => checkBeta('dove', o),
  fn(inputs, o) {
    const given = PROMPTS.filter((k) => inputs[k]);
    const base = { beta: o.beta, label_smoothing: 0, f_divergence: 'reverse_kl', f_alpha: 0.5 };
    if (given.length === 0) return sigmoidLoss.fn(inputs, base);
    if (given.length !== PROMPTS.length) {
      const missing = PROMPTS.filter((k) => !inputs[k]);
      throw new LossError(`loss 'dove': prompt log-probs are partly given; missing ${missing.join(', ')} ` +
        '(pass all four, or none for pairs that share the prompt)', 'dove');
    }
    const joint = (completion: InputName, prompt: InputName) => add(need('dove', inputs, completion), inputs[prompt]!); // (B,)
    return sigmoidLoss.fn({
      ...inputs,
      policyChosenLogps: joint('policyChosenLogps', 'policyChosenPromptLogps'),
      policyRejectedLogps: joint('policyRejectedLogps', 'policyRejectedPromptLogps'),
      refChosenLogps: joint('refChosenLogps', 'refChosenPromptLogps'),
      refRejectedLogps: joint('refRejectedLogps', 'refRejectedPromptLogps'),
    }, base);
  },
};
