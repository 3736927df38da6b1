// Documented special cases of the seed-paper losses (methods.md): each reduces to its base when its
// extra weight is zero, plus the properties its header states (symmetries, optima, known equivalences).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backward, noGrad, tensor, withBackend, type Tensor } from '../src/tensor/index.js';
import {
  computeLoss, gpmScore, mapoMask, sampleInputs, swapChosenRejected, tokenKl, tpoStepWeights,
  type LossConfig, type LossInputs,
} from '../src/losses/index.js';

const t64 = (v: number[], shape?: number[]) => tensor(v, shape ?? [v.length], { dtype: 'float64' });
const arr = (t: Tensor) => Array.from(t.data);
const run = (config: LossConfig, inputs: LossInputs) => withBackend('reference', () => computeLoss(config, inputs));
const losses = (config: LossConfig, inputs: LossInputs) => arr(run(config, inputs).losses);

function close(a: number[] | number, b: number[] | number, tol = 1e-10, what = ''): void {
  const x = typeof a === 'number' ? [a] : a;
  const y = typeof b === 'number' ? [b] : b;
  assert.equal(x.length, y.length, what);
  x.forEach((v, i) => assert.ok(Math.abs(v - y[i]) <= tol * Math.max(1, Math.abs(y[i])), `${what}[${i}]: ${v} vs ${y[i]}`));
}

test('madpo: c_max = c_min = 1 is DPO; weights > 1 for small positive margins, < 1 for margins far beyond tau', () => {
  const x = sampleInputs('madpo', 1, 'float64');
  close(losses({ loss_type: 'madpo', madpo_c_max: 1, madpo_c_min: 1 }, x), losses({ loss_type: 'sigmoid' }, x));
  const dpo = losses({ loss_type: 'sigmoid' }, x);
  const w = (m: number) => losses({ loss_type: 'madpo' }, { ...x, rewardMargins: t64([m, m, m, m]) })[0] / dpo[0];
  assert.ok(w(0.5) > 1, `weight at 0.5: ${w(0.5)}`);
  assert.ok(w(20) < 1, `weight at 20: ${w(20)}`);
  close(w(-10), 1, 1e-12, 'below -tau the weight is 1');
});

test('lcpo: eta = 1 is the base loss; q lies in (0, 1); its gradient is q dL(w>l) + (1 - q) dL(l>w) with q frozen', () => {
  const x = sampleInputs('lcpo', 2, 'float64');
  close(losses({ loss_type: 'lcpo', lcpo_eta: 1 }, x), losses({ loss_type: 'sigmoid' }, x));
  const xi = sampleInputs('ipo', 2, 'float64');
  close(losses({ loss_type: 'lcpo', lcpo_eta: 1, base_loss: 'ipo', beta: 0.5 }, xi), losses({ loss_type: 'ipo', beta: 0.5 }, xi));
  withBackend('reference', () => {
    const eta = 0.7;
    const out = computeLoss({ loss_type: 'lcpo', lcpo_eta: eta }, x);
    const q = out.metrics['lcpo/q_mean'];
    assert.ok(q > 0 && q < 1);
    backward(out.loss);
    const got = arr(x.policyChosenLogps!.grad!);
    // Recompute q per pair, then the frozen mixture's gradient through the base loss.
    const a = noGrad(() => arr(computeLoss({ loss_type: 'sigmoid' }, x).losses));
    const b = noGrad(() => arr(computeLoss({ loss_type: 'sigmoid' }, swapChosenRejected(x)).losses));
    const qs = a.map((la, i) => {
      const p = 1 / (1 + Math.exp(-(b[i] - la)));
      return (eta * p) / (eta * p + (1 - eta) * (1 - p));
    });
    const y = sampleInputs('lcpo', 2, 'float64');
    const fw = computeLoss({ loss_type: 'sigmoid' }, { ...y, weights: t64(qs) });
    const fl = computeLoss({ loss_type: 'sigmoid' }, { ...swapChosenRejected(y), weights: t64(qs.map((v) => 1 - v)) });
    backward(fw.loss);
    backward(fl.loss);
    close(got, arr(y.policyChosenLogps!.grad!), 1e-9);
  });
});

test('vpo, spo and rationale with zero extra weight are their base loss; with weight they add the documented term', () => {
  const x = sampleInputs('vpo', 3, 'float64');
  const base = losses({ loss_type: 'sigmoid' }, x);
  close(losses({ loss_type: 'vpo', vpo_alpha: 0 }, x), base);
  const withChosen = losses({ loss_type: 'vpo', vpo_alpha: 0.5 }, { ...x, calibrationLogps: undefined });
  close(withChosen, base.map((v, i) => v - 0.5 * x.policyChosenLogps!.data[i]), 1e-10, 'pessimistic default = chosen');
  assert.throws(() => run({ loss_type: 'vpo', vpo_mode: 'optimistic' }, { ...x, calibrationLogps: undefined }), /calibrationLogps/);
  const s = sampleInputs('spo', 4, 'float64');
  close(losses({ loss_type: 'spo', spo_lambda: 0 }, s), losses({ loss_type: 'sigmoid' }, s));
  const r = sampleInputs('rationale', 5, 'float64');
  close(losses({ loss_type: 'rationale', rationale_gamma: 0 }, r), losses({ loss_type: 'sigmoid' }, r));
  close(losses({ loss_type: 'rationale', rationale_gamma: 2 }, r),
    losses({ loss_type: 'sigmoid' }, r).map((v, i) => v - 2 * r.policyRationaleLogps!.data[i]));
});

test('dove: without prompt log-probs, or with identical prompts, it is DPO; different prompts change it', () => {
  const x = sampleInputs('dove', 6, 'float64');
  const dpo = losses({ loss_type: 'sigmoid' }, x);
  const bare = { ...x, policyChosenPromptLogps: undefined, policyRejectedPromptLogps: undefined, refChosenPromptLogps: undefined, refRejectedPromptLogps: undefined };
  close(losses({ loss_type: 'dove' }, bare), dpo);
  const same = { ...x, policyRejectedPromptLogps: x.policyChosenPromptLogps, refRejectedPromptLogps: x.refChosenPromptLogps };
  close(losses({ loss_type: 'dove' }, same), dpo);
  assert.notDeepEqual(losses({ loss_type: 'dove' }, x), dpo);
});

test('osp: soft label 1 is DPO, a constant 1 - eps is cDPO; labels from scores use the temperature', () => {
  const x = sampleInputs('sigmoid', 7, 'float64');
  close(losses({ loss_type: 'osp' }, { ...x, softLabels: t64([1, 1, 1, 1]) }), losses({ loss_type: 'sigmoid' }, x));
  close(losses({ loss_type: 'osp' }, { ...x, softLabels: t64([0.9, 0.9, 0.9, 0.9]) }), losses({ loss_type: 'sigmoid', label_smoothing: 0.1 }, x));
  const fromScores = losses({ loss_type: 'osp', osp_temperature: 2 }, { ...x, chosenScores: t64([3, 1, 0, 2]), rejectedScores: t64([1, 1, 2, 0]) });
  const p = [1, 0, -1, 1].map((d) => 1 / (1 + Math.exp(-d)));
  close(fromScores, losses({ loss_type: 'osp' }, { ...x, softLabels: t64(p) }));
});

test('tpo with two responses is sigmoid_norm; plackett_luce with two is DPO and ignores list order', () => {
  const x = sampleInputs('ipo', 8, 'float64');
  const list = (a: Tensor, b: Tensor) => t64(arr(a).flatMap((v, i) => [v, b.data[i]]), [4, 2]);
  const l: LossInputs = {
    policyListLogps: list(x.policyChosenLogps!, x.policyRejectedLogps!),
    refListLogps: list(x.refChosenLogps!, x.refRejectedLogps!),
    listLengths: list(x.chosenLengths!, x.rejectedLengths!),
    listScores: t64([2, 1, 5, 0, 1, -1, 0.5, 0.2], [4, 2]),
  };
  close(losses({ loss_type: 'tpo', beta: 0.3 }, l), losses({ loss_type: 'sigmoid_norm', beta: 0.3 }, x));
  close(losses({ loss_type: 'plackett_luce' }, l), losses({ loss_type: 'sigmoid' }, x));
  const p = sampleInputs('plackett_luce', 9, 'float64');
  const perm = [2, 0, 3, 1];
  const shuffle = (t: Tensor) => t64(Array.from({ length: 4 }, (_, b) => perm.map((j) => t.data[b * 4 + j])).flat(), [4, 4]);
  const q = { policyListLogps: shuffle(p.policyListLogps!), refListLogps: shuffle(p.refListLogps!), listScores: shuffle(p.listScores!) };
  close(losses({ loss_type: 'plackett_luce' }, q), losses({ loss_type: 'plackett_luce' }, p));
  const w = tpoStepWeights(t64([1, 0, 0, 1, 1, 0, -1, 0], [1, 2, 2, 2]));
  close(arr(w), [2, 2, 2, 1]);
});

test('sparse_po: all-ones masks and no KL is DPO; L1 terms add their weights times mask mass; tokenKl <= 0', () => {
  const x = sampleInputs('sparse_po', 10, 'float64');
  const seq = (tok: Tensor, m: Tensor) => t64(Array.from({ length: 4 }, (_, b) => {
    let s = 0;
    for (let t = 0; t < 6; t++) s += tok.data[b * 6 + t] * m.data[b * 6 + t];
    return s;
  }));
  const dpoIn: LossInputs = {
    policyChosenLogps: seq(x.policyChosenTokenLogps!, x.chosenMask!), policyRejectedLogps: seq(x.policyRejectedTokenLogps!, x.rejectedMask!),
    refChosenLogps: seq(x.refChosenTokenLogps!, x.chosenMask!), refRejectedLogps: seq(x.refRejectedTokenLogps!, x.rejectedMask!),
  };
  const bare: LossInputs = {
    policyChosenTokenLogps: x.policyChosenTokenLogps, policyRejectedTokenLogps: x.policyRejectedTokenLogps,
    refChosenTokenLogps: x.refChosenTokenLogps, refRejectedTokenLogps: x.refRejectedTokenLogps, chosenMask: x.chosenMask, rejectedMask: x.rejectedMask,
  };
  close(losses({ loss_type: 'sparse_po' }, bare), losses({ loss_type: 'sigmoid' }, dpoIn));
  const l1 = losses({ loss_type: 'sparse_po', sparse_l1_reward: 0.1 }, bare);
  const mass = (m: Tensor, b: number) => arr(m).slice(b * 6, b * 6 + 6).reduce((a, v) => a + v, 0);
  close(l1, losses({ loss_type: 'sparse_po' }, bare).map((v, b) => v + 0.1 * (mass(x.chosenMask!, b) + mass(x.rejectedMask!, b))));
  const kl = withBackend('reference', () => tokenKl(t64([0.3, -1, 2, 0, 0, 0], [1, 2, 3]), t64([1, 0.5, -0.5, 0, 0, 0], [1, 2, 3])));
  assert.ok(kl.data[0] < 0);
  close(kl.data[1], 0);
  const mask = withBackend('reference', () => mapoMask(t64([5, 1, 3, 2, 9, 9], [1, 6]), t64([0, 1, 1, 1, 0, 0], [1, 6])));
  close(arr(mask), [0, 0, 1, 0.5, 0, 0], 1e-9);
});

test('qe_calibration: perfectly correlated groups give -(L-1)/L, anti-correlated +(L-1)/L', () => {
  const q = t64([1, 2, 3, 4, 0, 1, 0, 1], [2, 4]);
  const good = losses({ loss_type: 'qe_calibration' }, { policyListLogps: t64([-4, -3, -2, -1, -9, -1, -9, -1], [2, 4]), listScores: q });
  close(good, [-0.75, -0.75], 1e-5);
  const bad = losses({ loss_type: 'qe_calibration' }, { policyListLogps: t64([-1, -2, -3, -4, -1, -9, -1, -9], [2, 4]), listScores: q });
  close(bad, [0.75, 0.75], 1e-5);
});

test('gpm: the score is skew-symmetric; k = 1 with v = [r, 1] and tau 1 is Bradley-Terry', () => {
  withBackend('reference', () => {
    const a = t64([0.3, -1, 2, 0.5, 1, 1, -0.2, 0.4], [2, 4]);
    const b = t64([1, 0.1, -0.3, 2, 0.7, -1, 0.5, 0.5], [2, 4]);
    close(arr(gpmScore(a, b)), arr(gpmScore(b, a)).map((v) => -v));
    close(arr(gpmScore(a, a)), [0, 0]);
  });
  const r = [0.4, -1.2, 2];
  const c = [0.1, 0.3, -0.5];
  const emb = (v: number[]) => t64(v.flatMap((x) => [x, 1]), [3, 2]);
  close(losses({ loss_type: 'gpm', gpm_tau: 1, gpm_normalize: false }, { chosenEmbeddings: emb(r), rejectedEmbeddings: emb(c) }),
    losses({ loss_type: 'bradley_terry' }, { chosenRewards: t64(r), rejectedRewards: t64(c) }));
});

test('gpo with scores +-1/2 is half of sppo_hard; adaptive_margin with zero strength is Bradley-Terry', () => {
  const x = sampleInputs('sigmoid', 11, 'float64');
  const g = losses({ loss_type: 'gpo', beta: 0.2 }, { ...x, chosenScores: t64([0.5, 0.5, 0.5, 0.5]), rejectedScores: t64([-0.5, -0.5, -0.5, -0.5]) });
  close(g, losses({ loss_type: 'sppo_hard', beta: 0.2 }, x).map((v) => v / 2));
  const rm = { chosenRewards: t64([1, -0.5]), rejectedRewards: t64([0.2, 0.3]) };
  close(losses({ loss_type: 'adaptive_margin', label_smoothing: 0.3 }, { ...rm, ensembleMargins: t64([0, 0, 0, 0], [2, 2]) }),
    losses({ loss_type: 'bradley_terry' }, rm));
  const strength = losses({ loss_type: 'adaptive_margin' }, { ...rm, ensembleMargins: t64([1, 3, -1, -3], [2, 2]) });
  close(strength, losses({ loss_type: 'bradley_terry' }, { ...rm, margin: t64([2, -2]) }));
});

test('diffusion_dpo is DPO with log-probs -e/2; ld_alpha = 1 changes nothing, ld_alpha = 0 keeps the shared length', () => {
  const e = sampleInputs('diffusion_dpo', 12, 'float64');
  const asLogp = (t: Tensor) => t64(arr(t).map((v) => -v / 2));
  close(losses({ loss_type: 'diffusion_dpo', beta: 3 }, e), losses({ loss_type: 'sigmoid', beta: 3 }, {
    policyChosenLogps: asLogp(e.policyChosenErrors!), policyRejectedLogps: asLogp(e.policyRejectedErrors!),
    refChosenLogps: asLogp(e.refChosenErrors!), refRejectedLogps: asLogp(e.refRejectedErrors!),
  }));
  const tok: LossInputs = {
    policyChosenTokenLogps: t64([-1, -2, -3, -4], [1, 4]), chosenMask: t64([0, 1, 1, 1], [1, 4]),
    policyRejectedTokenLogps: t64([-5, -6, -7, -8], [1, 4]), rejectedMask: t64([1, 1, 0, 0], [1, 4]),
    refChosenLogps: t64([0]), refRejectedLogps: t64([0]),
  };
  close(losses({ loss_type: 'sigmoid', ld_alpha: 1 }, tok), losses({ loss_type: 'sigmoid' }, tok));
  // shared length 2: chosen keeps -2 - 3, rejected keeps -5 - 6
  close(losses({ loss_type: 'sigmoid', ld_alpha: 0, beta: 1 }, tok), [Math.log1p(Math.exp(-(-5 + 11)))]);
});
