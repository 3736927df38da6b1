// Documented special cases of the TRL-catalogue losses: reductions to DPO, optima, symmetries, bounds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor, withBackend, type Tensor } from '../src/tensor/index.js';
import {
  computeLoss, initRunningMoments, wpoTokenLogDenom, sampleInputs, swapChosenRejected, updateRunningMoments,
  type LossConfig, type LossInputs,
} from '../src/losses/index.js';

const t64 = (v: number[]) => tensor(v, [v.length], { dtype: 'float64' });
const arr = (t: Tensor) => Array.from(t.data);
const run = (config: LossConfig, inputs: LossInputs) => withBackend('reference', () => computeLoss(config, inputs));

function close(a: number[] | number, b: number[] | number, tol = 1e-10, what = ''): void {
  const x = typeof a === 'number' ? [a] : a;
  const y = typeof b === 'number' ? [b] : b;
  assert.equal(x.length, y.length, what);
  x.forEach((v, i) => assert.ok(Math.abs(v - y[i]) <= tol * Math.max(1, Math.abs(y[i])), `${what}[${i}]: ${v} vs ${y[i]}`));
}

const paired = (seed = 1) => sampleInputs('ipo', seed, 'float64');
const dpo = (inputs: LossInputs, beta = 0.1) => {
  const h = arr(inputs.policyChosenLogps!).map((p, i) => p - inputs.refChosenLogps!.data[i]
    - inputs.policyRejectedLogps!.data[i] + inputs.refRejectedLogps!.data[i]);
  return h.map((x) => Math.log1p(Math.exp(-beta * x)));
};

test('sigmoid is DPO; cDPO with label_smoothing 0 and rDPO with eps 0 equal DPO', () => {
  const x = paired();
  const want = dpo(x);
  close(arr(run({ loss_type: 'sigmoid' }, x).losses), want);
  close(arr(run({ loss_type: 'sigmoid', label_smoothing: 0 }, x).losses), want);
  close(arr(run({ loss_type: 'robust', label_smoothing: 0 }, x).losses), want);
  close(arr(run({ loss_type: 'sigmoid', f_divergence: 'alpha_divergence', f_alpha: 1 }, x).losses), want, 1e-10, 'alpha = 1 fallback');
  close(arr(run({ loss_type: 'sigmoid', f_divergence_type: 'reverse_kl' }, x).losses), want, 1e-12, 'TRL alias');
});

test('DPO at Delta = 0 is log 2, and swapping chosen and rejected gives -log sigmoid(-beta Delta)', () => {
  const x = paired(2);
  const same: LossInputs = { ...x, refChosenLogps: x.policyChosenLogps, refRejectedLogps: x.policyRejectedLogps };
  close(arr(run({ loss_type: 'sigmoid' }, same).losses), [0, 0, 0, 0].map(() => Math.LN2));
  const fwd = arr(run({ loss_type: 'sigmoid', beta: 0.3 }, x).losses);
  const back = arr(run({ loss_type: 'sigmoid', beta: 0.3 }, swapChosenRejected(x)).losses);
  // l(z) - l(-z) = -z  for l(z) = -log sigmoid(z)
  const h = dpo(x, 1).map((_, i) => x.policyChosenLogps!.data[i] - x.refChosenLogps!.data[i] - x.policyRejectedLogps!.data[i] + x.refRejectedLogps!.data[i]);
  close(fwd.map((v, i) => v - back[i]), h.map((v) => -0.3 * v));
});

test('cDPO is the eps-mixture of DPO on both orderings; rDPO is unbiased for flipped labels', () => {
  const x = paired(3);
  const eps = 0.2;
  const a = arr(run({ loss_type: 'sigmoid' }, x).losses);
  const b = arr(run({ loss_type: 'sigmoid' }, swapChosenRejected(x)).losses);
  close(arr(run({ loss_type: 'sigmoid', label_smoothing: eps }, x).losses), a.map((v, i) => (1 - eps) * v + eps * b[i]));
  // E over a flip with prob eps of rDPO's loss equals the clean DPO loss.
  const r = arr(run({ loss_type: 'robust', label_smoothing: eps }, x).losses);
  const rf = arr(run({ loss_type: 'robust', label_smoothing: eps }, swapChosenRejected(x)).losses);
  close(r.map((v, i) => (1 - eps) * v + eps * rf[i]), a);
});

test('IPO is zero with zero gradient at its optimum h = 1/(2 beta)', () => {
  const beta = 0.25;
  const pc = t64([-2, -3]);
  pc.requiresGrad = true;
  const x: LossInputs = {
    policyChosenLogps: pc, policyRejectedLogps: t64([-5, -9]), refChosenLogps: t64([-2 - 4, -3 - 6]), refRejectedLogps: t64([-5, -9]),
    chosenLengths: t64([2, 3]), rejectedLengths: t64([4, 1]),
  };
  const out = run({ loss_type: 'ipo', beta }, x); // h = 4/2 = 6/3 = 2 = 1/(2 beta)
  close(arr(out.losses), [0, 0]);
  out.loss.backward();
  close(arr(pc.grad!), [0, 0]);
});

test('hinge is zero beyond the margin; sppo_hard is zero at its targets; exo_pair is a KL (>= 0, 0 at 1 - eps)', () => {
  const x: LossInputs = { policyChosenLogps: t64([-1, -1]), policyRejectedLogps: t64([-20, -1]), refChosenLogps: t64([-1, -1]), refRejectedLogps: t64([-1, -1]) };
  close(arr(run({ loss_type: 'hinge', beta: 0.1 }, x).losses), [0, 1]);
  const s: LossInputs = { policyChosenLogps: t64([3]), policyRejectedLogps: t64([-3]), refChosenLogps: t64([0]), refRejectedLogps: t64([0]) };
  close(run({ loss_type: 'sppo_hard', beta: 1 / 6 }, s).loss.item(), 0);
  const eps = 0.01;
  const z = Math.log((1 - eps) / eps); // sigmoid(z) = 1 - eps
  const e: LossInputs = { policyChosenLogps: t64([z, 0, -3]), policyRejectedLogps: t64([0, 0, 2]), refChosenLogps: t64([0, 0, 0]), refRejectedLogps: t64([0, 0, 0]) };
  const l = arr(run({ loss_type: 'exo_pair', beta: 1, label_smoothing: eps }, e).losses);
  close(l[0], 0, 1e-9);
  assert.ok(l[1] > 0 && l[2] > l[1]);
});

test('sigmoid_norm with unit lengths is DPO; simpo with unit lengths and gamma 0 is cpo; alphapo with alpha 0 is simpo', () => {
  const x = paired(4);
  const ones = t64([1, 1, 1, 1]);
  close(arr(run({ loss_type: 'sigmoid_norm' }, { ...x, chosenLengths: ones, rejectedLengths: ones }).losses), dpo(x));
  const rf = { ...x, chosenLengths: ones, rejectedLengths: ones };
  close(arr(run({ loss_type: 'simpo', simpo_gamma: 0, beta: 0.7 }, rf).losses), arr(run({ loss_type: 'cpo', beta: 0.7 }, rf).losses));
  close(arr(run({ loss_type: 'alphapo', alpha: 0 }, x).losses), arr(run({ loss_type: 'simpo' }, x).losses));
  assert.notDeepEqual(arr(run({ loss_type: 'alphapo' }, x).losses), arr(run({ loss_type: 'simpo' }, x).losses));
});

test('aot on a batch of one pair is DPO; aot losses are invariant to the order of pairs', () => {
  const x = paired(5);
  const one = Object.fromEntries(Object.entries(x).map(([k, v]) => [k, t64([v.data[0]])])) as LossInputs;
  close(arr(run({ loss_type: 'aot' }, one).losses), [dpo(x)[0]]);
  const perm = [2, 0, 3, 1];
  const shuffled = Object.fromEntries(Object.entries(x).map(([k, v]) => [k, t64(perm.map((i) => v.data[i]))])) as LossInputs;
  for (const name of ['aot', 'aot_unpaired']) close(run({ loss_type: name }, shuffled).loss.item(), run({ loss_type: name }, x).loss.item());
});

test('apo_zero and apo_down are 1 at rho = 0 and bounded in [0, 2]; discopop tends to its two branches as tau -> 0', () => {
  const z = paired(6);
  const zero: LossInputs = { ...z, refChosenLogps: z.policyChosenLogps, refRejectedLogps: z.policyRejectedLogps };
  close(arr(run({ loss_type: 'apo_zero' }, zero).losses), [1, 1, 1, 1]);
  close(arr(run({ loss_type: 'apo_down' }, zero).losses), [1, 1, 1, 1]);
  for (const l of arr(run({ loss_type: 'apo_zero', beta: 3 }, z).losses)) assert.ok(l >= 0 && l <= 2);
  const d: LossInputs = { policyChosenLogps: t64([2, -2]), policyRejectedLogps: t64([0, 0]), refChosenLogps: t64([0, 0]), refRejectedLogps: t64([0, 0]) };
  const l = arr(run({ loss_type: 'discopop', beta: 1, discopop_tau: 1e-4 }, d).losses);
  close(l, [Math.exp(-2), Math.log1p(Math.exp(2))], 1e-9);
  const far: LossInputs = { ...d, policyChosenLogps: t64([-400, 400]) };
  for (const v of arr(run({ loss_type: 'discopop', beta: 1 }, far).losses)) assert.ok(Number.isFinite(v));
});

test('bco with reward shift 0 is bco_pair; without a shift it uses the batch mean; running moments combine batches', () => {
  const x = paired(7);
  close(arr(run({ loss_type: 'bco' }, { ...x, rewardShift: t64([0]) }).losses), arr(run({ loss_type: 'bco_pair' }, x).losses));
  const out = run({ loss_type: 'bco' }, x);
  close(out.metrics['bco/delta'], out.metrics['bco/reward_mean']);
  let s = initRunningMoments();
  s = updateRunningMoments(s, 2, 1, 4);
  s = updateRunningMoments(s, 4, 1, 4);
  close(s.mean, 3, 1e-9);
  close(s.variance, 2, 1e-9); // within 1, between (1 + 1) / 2 = 1
});

test('sft: token path equals the summed path; RPO = sigmoid + alpha * sft', () => {
  const x = sampleInputs('sft', 8, 'float64');
  const tokenPath = run({ loss_type: 'sft' }, x).loss.item();
  const lengths = withBackend('reference', () => computeLoss({ loss_type: 'sft' }, {
    policyChosenLogps: t64(Array.from({ length: 4 }, (_, b) => {
      let s = 0;
      for (let t = 0; t < 6; t++) s += x.policyChosenTokenLogps!.data[b * 6 + t] * x.chosenMask!.data[b * 6 + t];
      return s;
    })),
    chosenLengths: t64(Array.from({ length: 4 }, (_, b) => Array.from(x.chosenMask!.data.slice(b * 6, b * 6 + 6)).reduce((a, v) => a + v, 0))),
  }).loss.item());
  close(tokenPath, lengths);
  const p = { ...paired(9) };
  const rpo = run({ loss_type: ['sigmoid', 'sft'], loss_weights: [1, 0.7] }, p);
  close(rpo.loss.item(), run({ loss_type: 'sigmoid' }, p).loss.item() + 0.7 * run({ loss_type: 'sft' }, p).loss.item());
  assert.ok('loss/sft' in rpo.metrics && 'rewards/margins' in rpo.metrics);
});

test('orpo matches the odds-ratio formula; kto reference point is clamped at 0 and computed from mismatched pairs', () => {
  const x = paired(10);
  const out = arr(run({ loss_type: 'orpo', beta: 0.5 }, x).losses);
  out.forEach((v, i) => {
    const aw = x.policyChosenLogps!.data[i] / x.chosenLengths!.data[i];
    const al = x.policyRejectedLogps!.data[i] / x.rejectedLengths!.data[i];
    const lo = aw - al - (Math.log(-Math.expm1(aw)) - Math.log(-Math.expm1(al)));
    close(v, 0.5 * Math.log1p(Math.exp(-lo)), 1e-9);
  });
  const k = sampleInputs('kto', 11, 'float64', undefined, ['policyLogps', 'refLogps', 'labels', 'policyKlLogps', 'refKlLogps']);
  const klMean = arr(k.policyKlLogps!).reduce((a, v, i) => a + v - k.refKlLogps!.data[i], 0) / 4;
  close(run({ loss_type: 'kto' }, k).loss.item(), run({ loss_type: 'kto' }, { ...k, kl: t64([klMean]) }).loss.item());
  const neg = run({ loss_type: 'kto' }, { ...k, kl: t64([-5]) });
  close(neg.metrics.kl, 0);
  close(neg.loss.item(), run({ loss_type: 'kto' }, { ...k, kl: t64([0]) }).loss.item());
});

test('bradley_terry: margin shifts the gap, the centring term adds c (r_w + r_l)^2', () => {
  const x: LossInputs = { chosenRewards: t64([1, 0.5]), rejectedRewards: t64([0, 1]), margin: t64([0.5, 0]) };
  const want = [Math.log1p(Math.exp(-0.5)), Math.log1p(Math.exp(0.5))];
  close(arr(run({ loss_type: 'bradley_terry' }, x).losses), want);
  close(arr(run({ loss_type: 'bradley_terry', center_rewards_coefficient: 0.1 }, x).losses), [want[0] + 0.1, want[1] + 0.1 * 2.25]);
});

test('WPO log-denominator is log sum_v p_v^2; weights of 1 (log p = log denom) leave the loss unchanged', () => {
  const z = [0.5, -1, 2, 0.1, 0.3, -0.7];
  const d = withBackend('reference', () => wpoTokenLogDenom(tensor(z, [1, 2, 3], { dtype: 'float64' })));
  for (let r = 0; r < 2; r++) {
    const row = z.slice(r * 3, r * 3 + 3);
    const zs = row.reduce((a, v) => a + Math.exp(v), 0);
    close(d.data[r], Math.log(row.reduce((a, v) => a + (Math.exp(v) / zs) ** 2, 0)));
  }
  const x = sampleInputs('sigmoid', 12, 'float64', undefined, ['policyChosenTokenLogps', 'policyRejectedTokenLogps', 'refChosenLogps', 'refRejectedLogps', 'chosenMask', 'rejectedMask']);
  const flat = { ...x, chosenTokenLogDenom: x.policyChosenTokenLogps, rejectedTokenLogDenom: x.policyRejectedTokenLogps };
  close(run({ loss_type: 'sigmoid', use_weighting: true }, flat).loss.item(), run({ loss_type: 'sigmoid' }, x).loss.item());
});
