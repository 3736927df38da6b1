// SparsePO / MaPO: token-level masks on the reward and KL terms (`sparse_po`).
//
// Paper: Christopoulou et al., "SparsePO: Controlling Preference Alignment of LLMs via Sparse Token Masks",
// arXiv 2410.05102; authors' code huawei-noah/HEBO SparsePO (sparse_trainer.py, mapo_trainer.py). TDPO-style
// token rewards and token KL, each under a mask m in [0, 1] over the completion tokens:
//   u = sum_t m^u_t(y_w) [log pi(y_w,t) - log pi_ref(y_w,t)] - (same for y_l)
//   k_t(y) = sum_v pi_ref(v) [log pi(v) - log pi_ref(v)]  = -KL(pi_ref || pi) at position t   (input tokenKl)
//   d = sum_t m^d_t(y_w) k_t(y_w) - sum_t m^d_t(y_l) k_t(y_l)
//   L = -log sigmoid(beta (u - d)) + l1_reward (|m^u(y_w)|_1 + |m^u(y_l)|_1) + l1_kl (|m^d(y_w)|_1 + |m^d(y_l)|_1)
// Masks: the reference-derived MaPO variant first (`mapoMask` in sparse-po-masks.ts, from reference-model
// activations; no learned parameters); learned masks (the SparsePO variant) are any mask tensors with
// gradients. KL masks default to the reward masks ("common" mask); reward masks default to 1 (then u is the
// DPO margin). Without tokenKl inputs d = 0. Special case: all masks 1 and no KL term is exactly DPO.
// Every mask is multiplied by the completion mask, so prompt and padding never count.
import { add, logSigmoid, mean, mul, neg, scale, sub, sum, type Tensor } from '../tensor/index.js';
import { checkBeta, checkRange } from './errors.js';
import { expectShape, need } from './inputs.js';
import { pairedOutput } from './paired-terms.js';
import type { InputName, LossInputs, LossSpec } from './types.js';

type SparseOptions = { beta: number; sparse_l1_reward: number; sparse_l1_kl: number };

interface Side {
  reward: Tensor;
  kl: Tensor | null;
  l1Reward: Tensor;
  l1Kl: Tensor;
}

function side(inputs: LossInputs, which: 'chosen' | 'rejected'): Side {
  const C = which === 'chosen' ? 'Chosen' : 'Rejected';
  const policy = need('sparse_po', inputs, `policy${C}TokenLogps` as InputName); // (B, T)
  const ref = need('sparse_po', inputs, `ref${C}TokenLogps` as InputName); // (B, T)
  const completion = need('sparse_po', inputs, `${which}Mask` as InputName); // (B, T)
  const shape = policy.shape;
  const check = (name: string, t: Tensor | undefined) => t && expectShape('sparse_po', name, t, shape);
  check(`ref${C}TokenLogps`, ref);
  check(`${which}Mask`, completion);
  const rewardMask = inputs[`${which}RewardMask` as InputName]; // (B, T)
  const klMask = inputs[`${which}KlMask` as InputName] ?? rewardMask; // (B, T)
  const tokenKl = inputs[`${which}TokenKl` as InputName]; // (B, T)
  check(`${which}RewardMask`, rewardMask);
  check(`${which}KlMask`, klMask);
  check(`${which}TokenKl`, tokenKl);
  const mu = rewardMask ? mul(rewardMask, completion) : completion; // (B, T)
  const md = klMask ? mul(klMask, completion) : completion; // (B, T)
  return {
    reward: sum(mul(mu, sub(policy, ref)), 1), // (B,)
    kl: tokenKl ? sum(mul(md, tokenKl), 1) : null, // (B,)
    l1Reward: sum(mu, 1), // (B,) masks are >= 0, so |m|_1 = sum m
    l1Kl: sum(md, 1), // (B,)
  };
}

export const sparsePoLoss: LossSpec<SparseOptions> = {
  description: 'SparsePO / MaPO: DPO on token rewards and token KL under sparse token masks',
  paper: 'Christopoulou et al., SparsePO: Controlling Preference Alignment via Sparse Token Masks, arXiv 2410.05102',
  inputs: 'paired',
  needsReference: true,
  requires: ['policyChosenTokenLogps', 'policyRejectedTokenLogps', 'refChosenTokenLogps', 'refRejectedTokenLogps', 'chosenMask', 'rejectedMask'],
  optional: ['chosenRewardMask', 'rejectedRewardMask', 'chosenKlMask', 'rejectedKlMask', 'chosenTokenKl', 'rejectedTokenKl'],
  defaults: { beta: 0.1, sparse_l1_reward: 0, sparse_l1_kl: 0 },
  optionDocs: {
    beta: 'temperature, > 0 (authors: 0.1 dialogue, 0.8 sentiment / code)',
    sparse_l1_reward: 'L1 weight lambda_u on the reward masks, >= 0',
    sparse_l1_kl: 'L1 weight lambda_d on the KL masks, >= 0',
  },
  validate(o) {
    checkBeta('sparse_po', o);
    checkRange('sparse_po', o, 'sparse_l1_reward', { ge: 0 });
    checkRange('sparse_po', o, 'sparse_l1_kl', { ge: 0 });
  },
  fn(inputs, o) {
    const w = side(inputs, 'chosen');
    const l = side(inputs, 'rejected');
    const u = sub(w.reward, l.reward); // (B,)
    const d = w.kl && l.kl ? sub(w.kl, l.kl) : w.kl ? w.kl : l.kl ? neg(l.kl) : null; // (B,)
    let losses = neg(logSigmoid(scale(d ? sub(u, d) : u, o.beta))); // (B,)
    if (o.sparse_l1_reward > 0) losses = add(losses, scale(add(w.l1Reward, l.l1Reward), o.sparse_l1_reward)); // (B,)
    if (o.sparse_l1_kl > 0) losses = add(losses, scale(add(w.l1Kl, l.l1Kl), o.sparse_l1_kl)); // (B,)
    const out = pairedOutput(losses, {
      chosenRewards: scale(w.reward, o.beta).detach(), // (B,)
      rejectedRewards: scale(l.reward, o.beta).detach(), // (B,)
    });
    out.metrics = { 'sparsity/reward_mask_mean': mean(add(w.l1Reward, l.l1Reward).detach()).item() };
    return out;
  },
};
