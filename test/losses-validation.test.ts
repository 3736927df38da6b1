// Option validation and input errors name the loss, the option (or input), the value and the valid range
// or the list of valid names; `prefkit loss list` covers every registered loss and every name of the issue.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tensor } from '../src/tensor/index.js';
import {
  computeLoss, getLoss, LOSS_NAMES, LOSSES, resolveLossConfig, resolveOptions, sampleInputs, wrappableLosses, type LossInputs,
} from '../src/losses/index.js';
import { lossCommands } from '../src/cli/commands/loss.js';

const t = (v: number[]) => tensor(v);
const paired = (): LossInputs => sampleInputs('ipo', 1);

test('beta <= 0 is refused by every loss that has beta, naming loss, option, value and range', () => {
  const withBeta = LOSS_NAMES.filter((n) => 'beta' in LOSSES[n].defaults);
  assert.ok(withBeta.length >= 25);
  for (const name of withBeta) {
    for (const beta of [0, -0.1]) {
      assert.throws(() => resolveOptions(name, { beta }), (e: Error) => {
        assert.equal(e.message, `loss '${name}': option beta = ${beta} is out of range; expected beta > 0`);
        return true;
      });
    }
  }
  // wrappers pass beta to their base loss
  assert.throws(() => resolveOptions('lcpo', { beta: -1 }), /loss 'sigmoid': option beta = -1 is out of range; expected beta > 0/);
});

test('label_smoothing outside its range is refused with the range of that loss', () => {
  assert.throws(() => resolveOptions('sigmoid', { label_smoothing: 0.6 }),
    /^LossError: loss 'sigmoid': option label_smoothing = 0.6 is out of range; expected 0 <= label_smoothing <= 0.5$/);
  assert.throws(() => resolveOptions('sigmoid', { label_smoothing: -0.1 }), /label_smoothing = -0.1 is out of range/);
  assert.throws(() => resolveOptions('robust', { label_smoothing: 0.5 }),
    /loss 'robust': option label_smoothing = 0.5 is out of range; expected 0 <= label_smoothing < 0.5 \(rDPO divides by 1 - 2 eps\)/);
  assert.throws(() => resolveOptions('simpo', { label_smoothing: 1 }), /loss 'simpo': option label_smoothing = 1/);
  assert.throws(() => resolveOptions('aot', { label_smoothing: 0.9 }), /loss 'aot': option label_smoothing = 0.9/);
});

test('exo_pair with label_smoothing 0 is an error that explains why', () => {
  assert.throws(() => resolveLossConfig({ loss_type: 'exo_pair', label_smoothing: 0 }),
    /loss 'exo_pair': option label_smoothing = 0 is out of range; expected 0 < label_smoothing < 1 \(exo_pair takes log\(label_smoothing\); the EXO paper uses 1e-3\)/);
  assert.doesNotThrow(() => resolveOptions('exo_pair', {})); // default 1e-3
});

test('unknown loss names list every valid name (derived from the registry)', () => {
  const all = LOSS_NAMES.join(', ');
  assert.throws(() => getLoss('dpo'), (e: Error) => e.message === `unknown loss "dpo"; expected one of: ${all}`);
  assert.throws(() => resolveLossConfig({ loss_type: ['sigmoid', 'kto_pair'] }), new RegExp(`unknown loss "kto_pair"; expected one of: ${all}`));
  assert.throws(() => resolveLossConfig({ loss_type: [] }), /loss_type must be a loss name or a non-empty list/);
});

test('unknown options, wrong types, aliases given twice and bad choices are errors naming the option', () => {
  assert.throws(() => resolveOptions('sigmoid', { betta: 0.1 }), /loss 'sigmoid': unknown option 'betta'; valid options: beta, label_smoothing, f_divergence, f_alpha/);
  assert.throws(() => resolveLossConfig({ loss_type: ['sigmoid', 'sft'], simpo_gamma: 1 }), /unknown option 'simpo_gamma' for loss_type \[sigmoid, sft\]; valid options: .*loss_weights/);
  assert.throws(() => resolveOptions('sigmoid', { beta: '0.1' }), /loss 'sigmoid': option beta must be a number, got "0.1"/);
  assert.throws(() => resolveOptions('gpm', { gpm_normalize: 1 }), /option gpm_normalize must be a boolean, got 1/);
  assert.throws(() => resolveOptions('sigmoid', { f_divergence: 'kl' }), /option f_divergence = "kl" is not valid; expected one of: reverse_kl, forward_kl, js_divergence, alpha_divergence/);
  assert.throws(() => resolveOptions('sigmoid', { f_divergence: 'js_divergence', f_divergence_type: 'js_divergence' }), /same option/);
  assert.equal(resolveOptions('sigmoid', { f_alpha_divergence_coef: 0.3 }).f_alpha, 0.3);
  assert.throws(() => resolveOptions('lcpo', { base_loss: 'aot' }), new RegExp(`option base_loss = "aot" is not valid; expected one of: ${wrappableLosses().join(', ')}`));
  assert.throws(() => resolveOptions('lcpo', { lcpo_eta: 0.4 }), /option lcpo_eta = 0.4 is out of range; expected 0.5 < lcpo_eta <= 1/);
  assert.throws(() => resolveOptions('plackett_luce', { plackett_luce_top_k: 1.5 }), /expected plackett_luce_top_k >= 1 \(an integer\)/);
});

test('combination options: loss_weights length, use_weighting with aot, ld_alpha range', () => {
  assert.throws(() => resolveLossConfig({ loss_type: ['sigmoid', 'sft'], loss_weights: [1] }),
    /option loss_weights = \[1\] must be 2 finite number\(s\), one per loss_type entry \(sigmoid, sft\)/);
  assert.throws(() => resolveLossConfig({ loss_type: 'aot', use_weighting: true }), /loss 'aot': use_weighting \(WPO\) is not supported/);
  assert.throws(() => resolveLossConfig({ loss_type: 'sigmoid', ld_alpha: 1.5 }), /option ld_alpha = 1.5 is out of range; expected 0 <= ld_alpha <= 1/);
  assert.throws(() => computeLoss({ loss_type: 'aot' }, { ...paired(), weights: t([1, 1, 1, 1]) }), /loss 'aot': per-example weights are not supported/);
  assert.throws(() => computeLoss({ loss_type: 'sigmoid', use_weighting: true }, paired()), /input policyChosenTokenLogps is missing/);
});

test('missing reference log-probs: every loss that needs them says which input is missing and what to do', () => {
  const refInputs = ['refChosenLogps', 'refRejectedLogps', 'refLogps', 'refListLogps', 'refChosenErrors', 'refRejectedErrors'] as const;
  for (const name of LOSS_NAMES) {
    const spec = getLoss(name);
    const refs = spec.requires.filter((r) => (refInputs as readonly string[]).includes(r));
    if (!spec.needsReference || refs.length === 0) continue;
    const inputs = sampleInputs(name, 2);
    for (const r of refs) delete inputs[r];
    assert.throws(() => computeLoss({ loss_type: name }, inputs), (e: Error) => {
      assert.match(e.message, new RegExp(`^loss '${name}' needs reference log-probs: input ${refs[0]} is missing`));
      assert.match(e.message, /reference-free loss \(simpo, cpo, orpo, alphapo\)/);
      return true;
    }, name);
  }
  const x = paired();
  delete x.refRejectedLogps;
  assert.throws(() => computeLoss({ loss_type: 'lcpo' }, x), /loss 'sigmoid' needs reference log-probs: input refRejectedLogps is missing/);
  assert.doesNotThrow(() => computeLoss({ loss_type: 'simpo' }, x));
});

test('bad input values and shapes are errors naming the loss and the input', () => {
  assert.throws(() => computeLoss({ loss_type: 'sigmoid' }, { ...paired(), policyRejectedLogps: t([-1, -2]) }),
    /loss 'sigmoid': input policyRejectedLogps has shape \(2,\) but policyChosenLogps has \(4,\)/);
  const k = sampleInputs('kto', 3);
  assert.throws(() => computeLoss({ loss_type: 'kto' }, { ...k, labels: t([1, 0, 2, 1]) }), /loss 'kto': labels\[2\] = 2; expected 1 \(desirable\) or 0/);
  assert.throws(() => computeLoss({ loss_type: 'kto' }, { ...k, kl: undefined, policyKlLogps: undefined, refKlLogps: undefined }),
    /loss 'kto': needs the KL reference point/);
  const o = sampleInputs('osp', 4);
  assert.throws(() => computeLoss({ loss_type: 'osp' }, { ...o, softLabels: t([1, 1.5, 0, 0]) }), /softLabels\[1\] = 1.5; expected a probability/);
  const s = sampleInputs('spo', 5);
  assert.throws(() => computeLoss({ loss_type: 'spo' }, { ...s, degreeLabels: t([0, 1, 3, 0]) }), /degreeLabels\[2\] = 3; expected an integer class in 0..2/);
  assert.throws(() => computeLoss({ loss_type: 'dove' }, { ...sampleInputs('dove', 6), refRejectedPromptLogps: undefined }), /missing refRejectedPromptLogps/);
});

async function capture(name: string, argv: string[]): Promise<{ code: number; out: string }> {
  const cmd = lossCommands.find((c) => c.name === name)!;
  const lines: string[] = [];
  const log = console.log;
  console.log = (...a: unknown[]) => { lines.push(a.join(' ')); };
  try {
    return { code: await cmd.run(argv), out: lines.join('\n') };
  } finally {
    console.log = log;
  }
}

// Every name the issue asks `prefkit loss list` to cover (f-divergences, WPO and LD-DPO are options).
const ISSUE_NAMES = ['sigmoid', 'hinge', 'ipo', 'exo_pair', 'nca_pair', 'robust', 'bco_pair', 'bco', 'sppo_hard', 'aot',
  'aot_unpaired', 'apo_zero', 'apo_down', 'discopop', 'sigmoid_norm', 'sft', 'simpo', 'cpo', 'orpo', 'alphapo', 'kto',
  'apo_zero_unpaired', 'bradley_terry', 'madpo', 'lcpo', 'vpo', 'dove', 'spo', 'osp', 'tpo', 'plackett_luce', 'sparse_po',
  'qe_calibration', 'rationale', 'gpm', 'gpo', 'adaptive_margin', 'diffusion_dpo'];

test('prefkit loss list shows every registered loss with paper and options, and every name of the issue', async () => {
  for (const n of ISSUE_NAMES) assert.ok(n in LOSSES, `issue name ${n} is not registered`);
  const { code, out } = await capture('loss list', []);
  assert.equal(code, 0);
  for (const n of LOSS_NAMES) assert.match(out, new RegExp(`^${n} +\\S`, 'm'), `loss list misses ${n}`);
  for (const o of ['f_divergence = reverse_kl', 'use_weighting = false', 'ld_alpha = null', 'label_smoothing = 0', 'simpo_gamma = 0.5', 'paper: ']) {
    assert.ok(out.includes(o), `loss list misses '${o}'`);
  }
  const json = JSON.parse((await capture('loss list', ['--json'])).out) as { losses: { name: string; paper: string; options: unknown[] }[] };
  assert.deepEqual(json.losses.map((r) => r.name), LOSS_NAMES);
  for (const r of json.losses) assert.ok(r.paper.length > 10, r.name);
});

test('docs/losses.md has a row for every registered loss', async () => {
  const { readFileSync } = await import('node:fs');
  const { dirname, join, resolve } = await import('node:path');
  const { fileURLToPath } = await import('node:url');
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const doc = readFileSync(join(root, 'docs', 'losses.md'), 'utf8');
  for (const n of LOSS_NAMES) assert.match(doc, new RegExp(`^\\| \`${n}\` \\|`, 'm'), `docs/losses.md misses ${n}`);
});
