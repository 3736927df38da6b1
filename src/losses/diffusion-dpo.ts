// Diffusion-DPO (`diffusion_dpo`), as a pure function of per-sample denoising errors.
//
// Paper: Wallace et al., "Diffusion Model Alignment Using Direct Preference Optimization", arXiv 2311.12908;
// authors' code SalesforceAIResearch/DiffusionDPO (train.py DPO branch). One timestep t and one noise eps
// shared by both images of a pair; e = mean_{C,H,W} |eps_theta(x_t, t, c) - eps|^2 for policy and reference:
//   L = -log sigmoid( -(beta / 2) * [ (e_theta^w - e_ref^w) - (e_theta^l - e_ref^l) ] )
// As the code: the constant -beta/2 replaces the paper's -beta T omega(lambda_t). Default beta = 5000
// (SD 1.5 / SDXL launchers). It is DPO with log pi replaced by -e/2 (tested). Metric implicit_acc = fraction of
// pairs with a positive inside term.
import { gt, logSigmoid, mean, neg, scale, sub } from '../tensor/index.js';
import { checkBeta } from './errors.js';
import { need, sameBatch } from './inputs.js';
import type { LossSpec } from './types.js';

export const diffusionDpoLoss: LossSpec<{ beta: number }> = {
  description: 'Diffusion-DPO: -log sigmoid(-(beta/2) [(e_w - e_ref_w) - (e_l - e_ref_l)]) on denoising errors',
  paper: 'Wallace et al., Diffusion Model Alignment Using Direct Preference Optimization, arXiv 2311.12908',
  inputs: 'diffusion',
  needsReference: true,
  requires: ['policyChosenErrors', 'policyRejectedErrors', 'refChosenErrors', 'refRejectedErrors'],
  defaults: { beta: 5000 },
  optionDocs: { beta: 'KL strength beta_dpo, > 0 (authors: 5000)' },
  validate: (o) => checkBeta('diffusion_dpo', o),
  fn(inputs, o) {
    const pw = need('diffusion_dpo', inputs, 'policyChosenErrors'); // (B,)
    const pl = need('diffusion_dpo', inputs, 'policyRejectedErrors'); // (B,)
    const rw = need('diffusion_dpo', inputs, 'refChosenErrors'); // (B,)
    const rl = need('diffusion_dpo', inputs, 'refRejectedErrors'); // (B,)
    sameBatch('diffusion_dpo', { policyChosenErrors: pw, policyRejectedErrors: pl, refChosenErrors: rw, refRejectedErrors: rl });
    const chosen = scale(sub(pw, rw), -o.beta / 2); // (B,) implicit reward of the preferred sample
    const rejected = scale(sub(pl, rl), -o.beta / 2); // (B,)
    const inside = sub(chosen, rejected); // (B,)
    const losses = neg(logSigmoid(inside)); // (B,)
    return {
      loss: mean(losses), // ()
      losses,
      chosenRewards: chosen.detach(),
      rejectedRewards: rejected.detach(),
      metrics: { implicit_acc: mean(gt(inside.detach(), 0)).item() },
    };
  },
};
