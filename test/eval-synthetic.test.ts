// The controlled synthetic case of issue 7, end to end: hand-built policy, reference and reward
// checkpoints (test/fixtures/eval/synthetic-models.ts) whose log-probs, rewards, hidden states and
// KL are known in closed form; `prefkit eval` and `prefkit data filter-ches` run on them, and every
// metric in eval.json must equal the value computed by hand from the tables.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../src/cli/main.js';
import { runEvaluation, type EvalResult } from '../src/eval/index.js';
import { chainLogp, chainModel, closedFormReward, exactChainKl, hiddenSum, rewardModel, save, type Chain } from './fixtures/eval/synthetic-models.js';

const POLICY: Chain = [{ a: 0.5, b: 0.3, eos: 0.2 }, { a: 0.2, b: 0.3, eos: 0.5 }, { a: 0.4, b: 0.2, eos: 0.4 }];
const REF: Chain = [{ a: 0.3, b: 0.5, eos: 0.2 }, { a: 0.3, b: 0.2, eos: 0.5 }, { a: 0.2, b: 0.3, eos: 0.5 }];
const RM1 = [0, 1, -1, 0]; // likes 'a', dislikes 'b'
const RM2 = [0.2, 0.3, 0.6, -0.4]; // likes both, 'b' more
const BETA = 2;
const ALPHA = 0.75;
/** (chosen, rejected, preference_probability) — each repeated with K distinct prompts "p000".."p279". */
const TYPES: [string, string, number | undefined][] = [
  ['a', 'b', undefined], ['aa', 'bb', 0.6], ['ab', 'b', 1], ['b', 'ba', 0.5], ['ba', 'bb', undefined], ['b', 'bb', undefined], ['b', 'aa', undefined],
];
const K = 40;
const PROMPT_TOKENS = 5; // <bos> p d d d: all class 0

const close = (got: number, want: number, tol: number, what: string): void => assert.ok(Math.abs(got - want) <= tol, `${what}: got ${got}, want ${want}`);
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
const bonus = (alpha: number, beta: number): number => (alpha === 1 ? Infinity : Math.log(alpha / (1 - alpha)) / beta);

/** η maximising Σ log(η p + (1−η)(1−p)), by bisection on its derivative (independent of the EM code). */
function mleReliability(p: number[]): number {
  const d = (e: number): number => p.reduce((s, pi) => s + (2 * pi - 1) / (1 - pi + e * (2 * pi - 1)), 0);
  if (d(1 - 1e-12) > 0) return 1;
  let lo = 1e-12;
  let hi = 1 - 1e-12;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (d(mid) > 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

function setup(): { tmp: string; policy: string; ref: string; rm1: string; rm2: string } {
  const tmp = mkdtempSync(join(tmpdir(), 'prefkit-eval-syn-'));
  return {
    tmp,
    policy: save(chainModel(POLICY), join(tmp, 'policy')),
    ref: save(chainModel(REF), join(tmp, 'ref')),
    rm1: save(rewardModel(RM1), join(tmp, 'rm1')),
    rm2: save(rewardModel(RM2), join(tmp, 'rm2')),
  };
}

test('prefkit eval on the controlled case: every metric equals its hand-computed value', async () => {
  const s = setup();
  try {
    const lines: string[] = [];
    for (let k = 0; k < K; k++) {
      TYPES.forEach(([c, r, alpha], t) => {
        const prompt = `p${String(k * TYPES.length + t).padStart(3, '0')}`;
        lines.push(JSON.stringify({ prompt, chosen: c, rejected: r, ...(alpha !== undefined ? { preference_probability: alpha } : {}) }));
      });
    }
    const data = join(s.tmp, 'pairs.jsonl');
    writeFileSync(data, lines.join('\n') + '\n');
    const out = join(s.tmp, 'out');
    const code = await main(['eval', '--model', s.policy, '--ref', s.ref, '--reward-model', s.rm1, '--reward-model', s.rm2, '--data', data,
      '--beta', String(BETA), '--alpha', String(ALPHA), '--samples', String(K * TYPES.length), '--max-new-tokens', '40', '--seed', '7',
      '--batch-size', '64', '--out', out]);
    assert.equal(code, 0);
    const r = JSON.parse(readFileSync(join(out, 'eval.json'), 'utf8')) as EvalResult;
    assert.ok(readFileSync(join(out, 'report.html'), 'utf8').includes('<svg'));
    const n = K * TYPES.length;
    assert.equal(r.data.pairs_evaluated, n);
    assert.equal(r.settings.tokenizer, 'byte');

    // Hand-computed per-pair quantities from the tables.
    const hand = Array.from({ length: n }, (_, i) => {
      const [c, rj, alpha] = TYPES[i % TYPES.length];
      const pw = chainLogp(POLICY, c), pl = chainLogp(POLICY, rj), qw = chainLogp(REF, c), ql = chainLogp(REF, rj);
      const nw = c.length + 1, nl = rj.length + 1; // EOS counts
      const m1 = closedFormReward(RM1, PROMPT_TOKENS, c) - closedFormReward(RM1, PROMPT_TOKENS, rj);
      const m2 = closedFormReward(RM2, PROMPT_TOKENS, c) - closedFormReward(RM2, PROMPT_TOKENS, rj);
      const sp = hiddenSum(c), sm = hiddenSum(rj);
      const dot = sp.reduce((a, v, j) => a + v * sm[j], 0), self = sp.reduce((a, v) => a + v * v, 0);
      return { pw, pl, qw, ql, nw, nl, alpha: alpha ?? ALPHA, m: [m1, m2], ches: dot - self, ln: dot / (nw * nl) - self / (nw * nw) };
    });
    // Guard: no hand value sits so close to a decision boundary that float32 could flip it.
    for (const h of hand) for (const v of [h.pw - h.pl, h.qw - h.ql, h.pw / h.nw - h.pl / h.nl, h.qw - h.ql + bonus(h.alpha, BETA), ...h.m]) assert.ok(Math.abs(v) > 1e-3, `boundary: ${v}`);

    r.per_pair.forEach((p, i) => {
      const h = hand[i];
      close(p.policy_chosen, h.pw, 1e-4, `pair ${i} log πθ(y_w)`);
      close(p.policy_rejected, h.pl, 1e-4, `pair ${i} log πθ(y_l)`);
      close(p.ref_chosen!, h.qw, 1e-4, `pair ${i} log π_ref(y_w)`);
      close(p.ref_rejected!, h.ql, 1e-4, `pair ${i} log π_ref(y_l)`);
      assert.deepEqual([p.chosen_tokens, p.rejected_tokens], [h.nw, h.nl]);
      close(p.ches!, h.ches, 1e-4, `pair ${i} CHES`);
      close(p.ln_ches!, h.ln, 1e-5, `pair ${i} LN-CHES`);
      close(p.reward_margins![0], h.m[0], 1e-5, `pair ${i} RM1 margin`);
      close(p.reward_margins![1], h.m[1], 1e-5, `pair ${i} RM2 margin`);
      close(p.strength_mean!, mean(h.m), 1e-5, `pair ${i} μ̂`);
      close(p.strength_std!, Math.abs(h.m[0] - h.m[1]) / 2, 1e-5, `pair ${i} σ̂`);
    });

    const share = (f: (h: (typeof hand)[number]) => boolean): number => hand.filter(f).length / n;
    const m = r.metrics;
    // Ranking accuracy (Chen et al.): by hand 6/7 summed, 5/7 length-normalised; reference 3/7 and 3/7.
    assert.deepEqual(m.ranking_accuracy.policy, { summed: share((h) => h.pw > h.pl), normalized: share((h) => h.pw / h.nw > h.pl / h.nl) });
    close(m.ranking_accuracy.policy.summed, 6 / 7, 1e-12, 'R');
    close(m.ranking_accuracy.policy.normalized, 5 / 7, 1e-12, 'R̃');
    assert.deepEqual(m.ranking_accuracy.reference, { summed: share((h) => h.qw > h.ql), normalized: share((h) => h.qw / h.nw > h.ql / h.nl) });
    close(m.ranking_accuracy.reference!.summed, 3 / 7, 1e-12, 'R ref');
    close(m.ranking_accuracy.reference!.normalized, 3 / 7, 1e-12, 'R̃ ref');
    // Idealized (Corollary 3.3) at β = 2: 6/7 summed, 7/7 normalised; and over the β grid.
    const ideal = (b: number) => ({ summed: share((h) => h.qw - h.ql + bonus(h.alpha, b) > 0), normalized: share((h) => h.qw / h.nw - h.ql / h.nl + bonus(h.alpha, b) > 0) });
    assert.deepEqual({ summed: m.ranking_accuracy.idealized!.summed, normalized: m.ranking_accuracy.idealized!.normalized }, ideal(BETA));
    close(m.ranking_accuracy.idealized!.summed, 6 / 7, 1e-12, 'R*');
    close(m.ranking_accuracy.idealized!.normalized, 1, 1e-12, 'R̃*');
    assert.deepEqual(m.ranking_accuracy.idealized_grid!.summed, [0.01, 0.1, 1, 5, 10].map((b) => ideal(b).summed));
    assert.deepEqual(m.ranking_accuracy.idealized_grid!.normalized, [0.01, 0.1, 1, 5, 10].map((b) => ideal(b).normalized));
    const flips = m.ranking_accuracy.flips!;
    assert.equal(flips.referenceWrong, hand.filter((h) => h.ql >= h.qw).length);
    assert.equal(flips.fixed, hand.filter((h) => h.ql >= h.qw && h.pw > h.pl).length);

    // Implicit rewards (TRL names), β = 2.
    const cw = hand.map((h) => BETA * (h.pw - h.qw));
    const cl = hand.map((h) => BETA * (h.pl - h.ql));
    const ir = m.implicit_reward!;
    close(ir['rewards/chosen'], mean(cw), 1e-4, 'rewards/chosen');
    close(ir['rewards/rejected'], mean(cl), 1e-4, 'rewards/rejected');
    close(ir['rewards/accuracies'], share((h) => h.pw - h.qw > h.pl - h.ql), 1e-12, 'rewards/accuracies');
    close(ir['rewards/margins'], mean(cw.map((c, i) => c - cl[i])), 1e-4, 'rewards/margins');
    close(ir['logps/chosen'], mean(hand.map((h) => h.pw)), 1e-4, 'logps/chosen');
    close(ir.loss, mean(cw.map((c, i) => Math.log1p(Math.exp(-(c - cl[i]))))), 1e-4, 'loss');

    // Likelihood displacement: (b, bb) lowers both sides while the margin grows.
    const ld = m.likelihood_displacement!;
    close(ld.chosen_shift, mean(hand.map((h) => h.pw - h.qw)), 1e-4, 'chosen shift');
    close(ld.rejected_shift, mean(hand.map((h) => h.pl - h.ql)), 1e-4, 'rejected shift');
    close(ld.chosen_decreased, share((h) => h.pw < h.qw), 1e-12, 'chosen decreased');
    close(ld.chosen_decreased, 3 / 7, 1e-12, 'chosen decreased by hand'); // types (b, ba), (b, bb), (b, aa)
    close(ld.both_decreased, 1 / 7, 1e-12, 'both decreased'); // (b, bb)
    close(ld.displaced_share, share((h) => h.pw < h.qw && h.pw - h.qw > h.pl - h.ql), 1e-12, 'displaced');

    // CHES summary.
    close(m.ches!.ln_ches.mean, mean(hand.map((h) => h.ln)), 1e-5, 'mean LN-CHES');

    // Reward models: accuracy, preference strength, noise.
    close(m.reward_model!.accuracy[0].accuracy, share((h) => h.m[0] > 0), 1e-12, 'RM1 accuracy');
    close(m.reward_model!.accuracy[1].accuracy, share((h) => h.m[1] > 0), 1e-12, 'RM2 accuracy');
    close(m.noise!.ensemble!.noise_mean_margin, share((h) => mean(h.m) < 0), 1e-12, 'ensemble noise');
    close(m.noise!.ensemble!.noise_majority, share((h) => h.m[0] < 0 && h.m[1] < 0), 1e-12, 'majority noise');
    close(m.noise!.lcpo_reward_model!.reliability, mleReliability(hand.map((h) => sigmoid(mean(h.m)))), 1e-6, 'LCPO η (RM)');
    close(m.noise!.lcpo_implicit_reward!.reliability, mleReliability(hand.map((h) => sigmoid(BETA * (h.pw - h.qw - h.pl + h.ql)))), 1e-5, 'LCPO η (implicit)');
    close(m.preference_strength!.negative_share, share((h) => mean(h.m) < 0), 1e-12, 'negative strength');

    // Samples: each sampled completion's log-probs and rewards equal the closed forms.
    assert.equal(r.samples.length, n);
    const lr: number[] = [];
    for (const smp of r.samples) {
      assert.match(smp.policy_completion, /^[ab]*$/);
      assert.equal(smp.finish, 'eos');
      assert.equal(smp.tokens, smp.policy_completion.length + 1);
      close(smp.policy_logp, chainLogp(POLICY, smp.policy_completion), 1e-4, `log πθ('${smp.policy_completion}')`);
      close(smp.ref_logp!, chainLogp(REF, smp.policy_completion), 1e-4, `log π_ref('${smp.policy_completion}')`);
      close(smp.policy_reward!, closedFormReward(RM1, PROMPT_TOKENS, smp.policy_completion), 1e-5, 'policy sample reward');
      close(smp.reference_reward!, closedFormReward(RM1, PROMPT_TOKENS, smp.reference_completion!), 1e-5, 'reference sample reward');
      lr.push(chainLogp(POLICY, smp.policy_completion) - chainLogp(REF, smp.policy_completion));
    }
    const kl = m.sampled_kl!;
    close(kl.k1, mean(lr), 1e-4, 'k1');
    close(kl.k3, mean(lr.map((l) => Math.expm1(-l) + l)), 1e-4, 'k3');
    // ... and the estimate is within 4 standard errors of the exact KL of the two chains (0.2229).
    const exact = exactChainKl(POLICY, REF);
    close(exact, 0.2228929581215105, 1e-12, 'exact KL');
    assert.ok(Math.abs(kl.k1 - exact) < 4 * kl.k1_stderr, `k1 ${kl.k1} vs exact ${exact} ± ${kl.k1_stderr}`);
    const pr = r.samples.map((x) => closedFormReward(RM1, PROMPT_TOKENS, x.policy_completion));
    close(m.reward_model!.policy_samples!.mean, mean(pr), 1e-5, 'mean reward of samples');
    const w = r.samples.map((x) => (x.policy_reward! > x.reference_reward! ? 1 : x.policy_reward === x.reference_reward ? 0.5 : 0));
    close(m.reward_model!.win_rate!.estimate, mean(w), 1e-12, 'win rate');
    const decided = r.samples.filter((x) => Math.abs(closedFormReward(RM1, PROMPT_TOKENS, x.policy_completion) - closedFormReward(RM1, PROMPT_TOKENS, x.reference_completion!)) > 1e-4);
    assert.equal(m.reward_model!.win_rate!.wins, decided.filter((x) => closedFormReward(RM1, PROMPT_TOKENS, x.policy_completion) > closedFormReward(RM1, PROMPT_TOKENS, x.reference_completion!)).length);
    assert.ok(m.reward_model!.win_rate!.low <= m.reward_model!.win_rate!.estimate && m.reward_model!.win_rate!.estimate <= m.reward_model!.win_rate!.high);
  } finally {
    rmSync(s.tmp, { recursive: true, force: true });
  }
});

test('calibration on rated completions equals the hand-computed Pearson correlation', async () => {
  const s = setup();
  try {
    const groups = [
      { prompt: 'r0', completions: ['a', 'b', 'ab', 'bb', 'ba'], scores: [5, 1, 4, 2, 3] },
      { prompt: 'r1', completions: ['aa', 'b', 'bb'], scores: [1, 3, 2] },
    ];
    const data = join(s.tmp, 'ranked.jsonl');
    writeFileSync(data, groups.map((g) => JSON.stringify(g)).join('\n') + '\n');
    const r = await runEvaluation({ model: s.policy, data, samples: 0 });
    const pearson = (x: number[], y: number[]): number => {
      const mx = mean(x), my = mean(y);
      const sxy = x.reduce((a, v, i) => a + (v - mx) * (y[i] - my), 0);
      return sxy / Math.sqrt(x.reduce((a, v) => a + (v - mx) ** 2, 0) * y.reduce((a, v) => a + (v - my) ** 2, 0));
    };
    const rho = groups.map((g) => pearson(g.completions.map((c) => chainLogp(POLICY, c)), g.scores));
    const rhoN = groups.map((g) => pearson(g.completions.map((c) => chainLogp(POLICY, c) / (c.length + 1)), g.scores));
    const c = r.metrics.calibration!;
    assert.equal(c.groups, 2);
    close(c.per_group[0], rho[0], 1e-5, 'group 0');
    close(c.per_group[1], rho[1], 1e-5, 'group 1');
    close(c.pearson, mean(rho), 1e-5, 'mean Pearson');
    close(c.pearson_normalized, mean(rhoN), 1e-5, 'mean Pearson (normalised)');
    // ranked data also gives best-vs-rest pairs: 4 + 2
    assert.equal(r.data.pairs_evaluated, 6);
    assert.ok(r.unavailable.implicit_reward && r.unavailable.reward_model);
  } finally {
    rmSync(s.tmp, { recursive: true, force: true });
  }
});

test('prefkit data filter-ches drops the highest LN-CHES pairs (share or threshold) and reports them', async () => {
  const s = setup();
  try {
    // LN-CHES by hand (hiddenSum): (a,b) −1/4, (aa,bb) −4/9, (ab,b) 0, (b,ba) −1/6, (ba,bb) 0, (b,bb) 0, (b,aa) −1/3
    const data = join(s.tmp, 'pairs.jsonl');
    const rows = TYPES.map(([c, r], i) => JSON.stringify({ prompt: `q${i}`, chosen: c, rejected: r }));
    writeFileSync(data, [...rows, '{"prompt": "q9", "chosen": "a"}'].join('\n') + '\n');
    const keptShare = join(s.tmp, 'kept.jsonl');
    assert.equal(await main(['data', 'filter-ches', '--model', s.policy, '--data', data, '--out', keptShare, '--drop-share', String(3 / 7), '--skip-bad-rows']), 0);
    const kept = readFileSync(keptShare, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(kept.map((k) => [k.chosen, k.rejected]), [['a', 'b'], ['aa', 'bb'], ['b', 'ba'], ['b', 'aa']]);
    const rep = JSON.parse(readFileSync(join(s.tmp, 'kept.ches.json'), 'utf8'));
    assert.equal(rep.dropped, 3);
    assert.equal(rep.bad_rows.length, 1);
    assert.match(rep.bad_rows[0], /pairs\.jsonl:8: .*rejected/);
    assert.deepEqual(rep.per_pair.map((p: { ln_ches: number }) => Math.round(p.ln_ches * 1e4) / 1e4), [-0.25, -0.4444, 0, -0.1667, 0, 0, -0.3333]);
    assert.ok(readFileSync(join(s.tmp, 'kept.ches.html'), 'utf8').includes('<svg'));
    const keptThr = join(s.tmp, 'kept-thr.json');
    assert.equal(await main(['data', 'filter-ches', '--model', s.policy, '--data', data, '--out', keptThr, '--threshold=-0.2', '--skip-bad-rows']), 0);
    assert.deepEqual(JSON.parse(readFileSync(keptThr, 'utf8')).map((k: { chosen: string }) => k.chosen), ['a', 'aa', 'b']);
    // exactly one of --drop-share / --threshold
    assert.equal(await main(['data', 'filter-ches', '--model', s.policy, '--data', data, '--out', keptThr]), 2);
  } finally {
    rmSync(s.tmp, { recursive: true, force: true });
  }
});
