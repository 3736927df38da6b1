// Finite-difference gradient checks (float64, reference backend) of every registered loss, through the
// registry entry point computeLoss, plus variants of options and combinations. The objective is
// loss + sum_i r_i * losses_i, so the scalar loss and every per-example loss are checked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  add, backward, mul, noGrad, Rng, sum, tensor, withBackend, type Tensor,
} from '../src/tensor/index.js';
import {
  computeLoss, inputNamesOf, LOSS_NAMES, sampleInputs, wpoWeights, type InputName, type LossConfig, type LossInputs,
} from '../src/losses/index.js';

function objective(config: LossConfig, inputs: LossInputs, r: Tensor | null): { value: Tensor; B: number } {
  const out = computeLoss(config, inputs);
  const proj = r ?? tensor(Array.from({ length: out.losses.shape[0] }, (_, i) => 0.3 + 0.25 * i), [out.losses.shape[0]], { dtype: 'float64' });
  return { value: add(out.loss, sum(mul(out.losses, proj))), B: out.losses.shape[0] };
}

/** Analytic gradient of every differentiable input vs central differences. */
function gradcheck(config: LossConfig, make: () => LossInputs, label: string): void {
  withBackend('reference', () => {
    const inputs = make();
    const first = objective(config, inputs, null);
    const r = tensor(Array.from({ length: first.B }, (_, i) => 0.3 + 0.25 * i), [first.B], { dtype: 'float64' });
    backward(first.value);
    const leaves = (Object.entries(inputs) as [InputName, Tensor][]).filter(([, t]) => t.requiresGrad);
    assert.ok(leaves.length > 0, `${label}: no differentiable input`);
    let scale = 1;
    for (const [, t] of leaves) for (const g of t.grad?.data ?? []) scale = Math.max(scale, Math.abs(g));
    const eps = 1e-6;
    let checked = 0;
    for (const [name, x] of leaves) {
      assert.equal(x.dtype, 'float64');
      for (let j = 0; j < x.size; j++) {
        const orig = x.data[j];
        x.data[j] = orig + eps;
        const fp = noGrad(() => objective(config, inputs, r).value.item());
        x.data[j] = orig - eps;
        const fm = noGrad(() => objective(config, inputs, r).value.item());
        x.data[j] = orig;
        const numeric = (fp - fm) / (2 * eps);
        const analytic = x.grad ? x.grad.data[j] : 0;
        assert.ok(Math.abs(numeric - analytic) <= 2e-6 * scale,
          `${label}: d/d ${name}[${j}] analytic ${analytic} vs numeric ${numeric}`);
        if (x.grad) checked++;
      }
    }
    assert.ok(checked > 0, `${label}: no gradient reached any input`);
  });
}

const f64 = (name: string, seed = 3, names?: InputName[]) => () => sampleInputs(name, seed, 'float64', undefined, names);

/** Option overrides that keep a loss free of detached, input-dependent factors during the check. */
const DEFAULT_OVERRIDES: Record<string, Record<string, unknown>> = {
  lcpo: { lcpo_eta: 1 }, // eta < 1: q is a stop-gradient function of the inputs (checked in its own test)
};

for (const name of LOSS_NAMES) {
  test(`gradient check: ${name}`, () => {
    gradcheck({ loss_type: name, ...(DEFAULT_OVERRIDES[name] ?? {}) }, f64(name), name);
  });
}

const VARIANTS: { label: string; config: LossConfig; make: () => LossInputs }[] = [
  { label: 'sigmoid cDPO', config: { loss_type: 'sigmoid', label_smoothing: 0.2 }, make: f64('sigmoid') },
  { label: 'sigmoid forward_kl', config: { loss_type: 'sigmoid', f_divergence: 'forward_kl', beta: 0.3 }, make: f64('sigmoid') },
  { label: 'sigmoid js_divergence', config: { loss_type: 'sigmoid', f_divergence: 'js_divergence' }, make: f64('sigmoid') },
  { label: 'sigmoid alpha_divergence', config: { loss_type: 'sigmoid', f_divergence: 'alpha_divergence', f_alpha: 0.3 }, make: f64('sigmoid') },
  { label: 'ipo alpha_divergence', config: { loss_type: 'ipo', f_divergence: 'alpha_divergence', f_alpha: 1.7 }, make: f64('ipo') },
  { label: 'robust eps', config: { loss_type: 'robust', label_smoothing: 0.3 }, make: f64('robust') },
  { label: 'aot eps', config: { loss_type: 'aot', label_smoothing: 0.1 }, make: f64('aot') },
  { label: 'simpo eps', config: { loss_type: 'simpo', label_smoothing: 0.1, beta: 2 }, make: f64('simpo') },
  { label: 'sft from summed log-probs', config: { loss_type: 'sft' }, make: f64('sft', 3, ['policyChosenLogps', 'chosenLengths']) },
  { label: 'RPO = sigmoid + sft', config: { loss_type: ['sigmoid', 'sft'], loss_weights: [1, 0.5] }, make: f64('sigmoid', 4, [...inputNamesOf('sigmoid'), 'chosenLengths']) },
  { label: 'MPO = sigmoid + bco_pair + sft', config: { loss_type: ['sigmoid', 'bco_pair', 'sft'], loss_weights: [0.8, 0.2, 1] }, make: f64('sigmoid', 5, [...inputNamesOf('sigmoid'), 'chosenLengths']) },
  { label: 'per-example weights on ipo', config: { loss_type: 'ipo' }, make: f64('ipo', 6, [...inputNamesOf('ipo'), 'weights']) },
  {
    label: 'LD-DPO ld_alpha = 0.4 (policy and reference tokens)',
    config: { loss_type: 'sigmoid', ld_alpha: 0.4 },
    make: f64('sigmoid', 7, ['policyChosenTokenLogps', 'policyRejectedTokenLogps', 'refChosenTokenLogps', 'refRejectedTokenLogps', 'chosenMask', 'rejectedMask']),
  },
  { label: 'tpo without steps', config: { loss_type: 'tpo' }, make: f64('tpo', 8, ['policyListLogps', 'refListLogps', 'listScores', 'listLengths']) },
  { label: 'tpo ndcg weights', config: { loss_type: 'tpo', tpo_lambda_weighting: 'ndcg' }, make: f64('tpo', 9, ['policyListLogps', 'refListLogps', 'listScores', 'listLengths']) },
  { label: 'plackett_luce top-2', config: { loss_type: 'plackett_luce', plackett_luce_top_k: 2 }, make: f64('plackett_luce') },
  { label: 'kto KL from mismatched pairs', config: { loss_type: 'kto', desirable_weight: 1.3 }, make: f64('kto', 10, ['policyLogps', 'refLogps', 'labels', 'policyKlLogps', 'refKlLogps']) },
  { label: 'adaptive_margin with smoothing', config: { loss_type: 'adaptive_margin', label_smoothing: 0.2 }, make: f64('adaptive_margin') },
  { label: 'qe_calibration normalised + nll + cpo', config: { loss_type: 'qe_calibration', calibration_normalize: true, calibration_nll_weight: 1, calibration_cpo_weight: 0.5 }, make: f64('qe_calibration') },
  { label: 'sparse_po with L1', config: { loss_type: 'sparse_po', sparse_l1_reward: 0.01, sparse_l1_kl: 0.02 }, make: f64('sparse_po') },
  { label: 'lcpo around simpo (eta 1)', config: { loss_type: 'lcpo', base_loss: 'simpo', lcpo_eta: 1, beta: 2 }, make: f64('simpo') },
  { label: 'spo around ipo', config: { loss_type: 'spo', base_loss: 'ipo', spo_lambda: 0.3 }, make: f64('spo', 11, [...inputNamesOf('spo'), 'chosenLengths', 'rejectedLengths']) },
  { label: 'rationale around orpo, normalised', config: { loss_type: 'rationale', base_loss: 'orpo', rationale_length_normalize: true }, make: f64('rationale', 12, [...inputNamesOf('rationale'), 'chosenLengths', 'rejectedLengths']) },
  { label: 'vpo optimistic', config: { loss_type: 'vpo', vpo_mode: 'optimistic', vpo_alpha: 0.1 }, make: f64('vpo') },
  { label: 'madpo c_max 3', config: { loss_type: 'madpo', madpo_c_max: 3, madpo_c_min: 0.2, madpo_tau: 0.5 }, make: f64('madpo') },
  { label: 'gpm unnormalised', config: { loss_type: 'gpm', gpm_normalize: false, gpm_tau: 1 }, make: f64('gpm') },
  { label: 'alphapo negative alpha', config: { loss_type: 'alphapo', alpha: -0.5 }, make: f64('alphapo') },
];

for (const v of VARIANTS) test(`gradient check: ${v.label}`, () => gradcheck(v.config, v.make, v.label));

test('gradient check: WPO (use_weighting) equals the loss with the weights frozen as per-example weights', () => {
  withBackend('reference', () => {
    const names: InputName[] = ['policyChosenTokenLogps', 'policyRejectedTokenLogps', 'refChosenLogps', 'refRejectedLogps',
      'chosenMask', 'rejectedMask', 'chosenTokenLogDenom', 'rejectedTokenLogDenom'];
    const inputs = sampleInputs('sigmoid', 13, 'float64', undefined, names);
    const rng = new Rng(5);
    // log sum_v p_v^2 <= log p_t for the chosen token is not required; any values exercise the weights.
    for (const k of ['chosenTokenLogDenom', 'rejectedTokenLogDenom'] as const) inputs[k]!.data.forEach((_, i, a) => { a[i] = -1 - rng.uniform(); });
    const W = wpoWeights(inputs);
    const weighted = computeLoss({ loss_type: 'sigmoid', use_weighting: true }, inputs);
    backward(weighted.loss);
    const g1 = inputs.policyChosenTokenLogps!.grad!.data.slice();
    inputs.policyChosenTokenLogps!.grad = null;
    const frozen = computeLoss({ loss_type: 'sigmoid' }, { ...inputs, weights: W });
    backward(frozen.loss);
    assert.ok(Math.abs(weighted.loss.item() - frozen.loss.item()) < 1e-12);
    inputs.policyChosenTokenLogps!.grad!.data.forEach((g, i) => assert.ok(Math.abs(g - g1[i]) < 1e-12));
  });
  gradcheck({ loss_type: 'sigmoid' }, () => {
    const inputs = sampleInputs('sigmoid', 14, 'float64', undefined, [...inputNamesOf('sigmoid'), 'weights']);
    return inputs;
  }, 'frozen weights');
});
