// Every evaluation metric on small hand-made inputs whose answers are worked out by hand in the
// comments (the controlled case of issue 7 at the level of per-example log-probs and rewards).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  bootstrapCi, calibration, chesFromStates, chesFromSums, ensembleNoiseRate, idealBonus, idealizedOverBetaGrid,
  idealizedRankingAccuracy, implicitRewardMetrics, lcpoNoiseEm, likelihoodDisplacement, meanReward, preferenceStrength,
  rankingAccuracy, rankingFlips, rewardModelAccuracy, sampledKl, selectByChes, summarizeEvaluation, summarizeStrength, winRate,
  stats, type PairLogps,
} from '../src/eval/index.js';

const close = (got: number, want: number, tol = 1e-9, what = ''): void => assert.ok(Math.abs(got - want) <= tol, `${what}: got ${got}, want ${want}`);
const softplus = (x: number): number => Math.log1p(Math.exp(x));

// Four pairs. policy (πθ) and reference (π_ref) sequence log-probs, completion lengths, rater α.
//        log πθ(y_w) log πθ(y_l)  |y_w| |y_l|  log π_ref(y_w) log π_ref(y_l)  α
//   p1      −4          −6          2     4        −5            −4          (default)
//   p2      −3          −2          1     4        −3            −3.5        1
//   p3     −10          −9          5     3        −8            −9          (default)
//   p4      −2.5        −2          2     1        −2            −1          0.5
const PAIRS: PairLogps[] = [
  { policyChosen: -4, policyRejected: -6, chosenTokens: 2, rejectedTokens: 4, refChosen: -5, refRejected: -4 },
  { policyChosen: -3, policyRejected: -2, chosenTokens: 1, rejectedTokens: 4, refChosen: -3, refRejected: -3.5, alpha: 1 },
  { policyChosen: -10, policyRejected: -9, chosenTokens: 5, rejectedTokens: 3, refChosen: -8, refRejected: -9 },
  { policyChosen: -2.5, policyRejected: -2, chosenTokens: 2, rejectedTokens: 1, refChosen: -2, refRejected: -1, alpha: 0.5 },
];

test('ranking accuracy: summed and length-normalised, policy and reference (Chen et al. Eq. 1)', () => {
  // policy summed: −4>−6 ✓, −3>−2 ✗, −10>−9 ✗, −2.5>−2 ✗  -> 1/4
  // policy per token: −2>−1.5 ✗, −3>−0.5 ✗, −2>−3 ✓, −1.25>−2 ✓ -> 2/4
  assert.deepEqual(rankingAccuracy(PAIRS), { summed: 0.25, normalized: 0.5 });
  // reference summed: −5>−4 ✗, −3>−3.5 ✓, −8>−9 ✓, −2>−1 ✗ -> 2/4; per token: −2.5>−1 ✗, −3>−0.875 ✗, −1.6>−3 ✓, −1>−1 tie ✗ -> 1/4
  assert.deepEqual(rankingAccuracy(PAIRS, 'reference'), { summed: 0.5, normalized: 0.25 });
  // a tie counts as wrong
  assert.deepEqual(rankingAccuracy([{ policyChosen: -1, policyRejected: -1, chosenTokens: 1, rejectedTokens: 1 }]), { summed: 0, normalized: 0 });
});

test('idealized ranking accuracy (Corollary 3.3) at one β and over the β grid', () => {
  // bonus (1/β) ln(α/(1−α)); β = 0.5, default α = 0.75 -> 2 ln 3 = 2.197
  close(idealBonus(0.75, 0.5), 2 * Math.log(3), 1e-12, 'bonus');
  assert.equal(idealBonus(1, 0.5), Infinity);
  assert.equal(idealBonus(0.5, 3), 0);
  // p1: −5+4+2.197 > 0 ✓ (per token −2.5+1+2.197 ✓); p2 α=1 ✓✓; p3: 1+2.197 ✓ (1.4+2.197 ✓); p4 α=0.5: −1 ✗ (0 ✗) -> 3/4, 3/4
  assert.deepEqual(idealizedRankingAccuracy(PAIRS, 0.5), { summed: 0.75, normalized: 0.75 });
  // grid β = 0.01, 0.1, 1, 5, 10 -> bonus(0.75) = 109.9, 10.99, 1.0986, 0.2197, 0.1099
  // p1 summed gap −1: right for β ≤ 1; p1 per-token gap −1.5: right for β ≤ 0.1. p2, p3 always right, p4 never.
  const g = idealizedOverBetaGrid(PAIRS);
  assert.deepEqual(g.summed, [0.75, 0.75, 0.75, 0.5, 0.5]);
  assert.deepEqual(g.normalized, [0.75, 0.75, 0.5, 0.5, 0.5]);
  assert.deepEqual(g.min, { summed: 0.5, normalized: 0.5 });
  assert.deepEqual(g.median, { summed: 0.75, normalized: 0.5 });
  assert.deepEqual(g.max, { summed: 0.75, normalized: 0.75 });
  // the default α is a parameter: with α = 0.5 everywhere the idealized ranking is the reference's
  assert.deepEqual(idealizedRankingAccuracy(PAIRS.map((p) => ({ ...p, alpha: undefined })), 0.5, 0.5), rankingAccuracy(PAIRS, 'reference'));
  assert.throws(() => idealizedRankingAccuracy([{ policyChosen: 0, policyRejected: 0, chosenTokens: 1, rejectedTokens: 1 }], 1), /reference log-probs/);
});

test('ranking flips (Theorem 4.1: c = log π_ref(y_l) − log π_ref(y_w))', () => {
  // c = 1 (ref wrong, policy right: fixed), −0.5 (ref right, policy wrong: broken), −1 (broken), 1 (ref wrong, not fixed)
  assert.deepEqual(rankingFlips(PAIRS), { referenceWrong: 2, fixed: 1, referenceRight: 2, broken: 2, fixedShare: 0.5 });
});

test('implicit-reward metrics under TRL names (DPO)', () => {
  // Δ_w = [1, 0, −2, −0.5], Δ_l = [−2, 1.5, 0, −1]; β = 0.5
  // rewards/chosen = mean [0.5, 0, −1, −0.25] = −0.1875; rewards/rejected = mean [−1, 0.75, 0, −0.5] = −0.1875
  // accuracies: 0.5>−1 ✓, 0>0.75 ✗, −1>0 ✗, −0.25>−0.5 ✓ -> 0.5; margins mean [1.5, −0.75, −1, 0.25] = 0
  const m = implicitRewardMetrics(PAIRS, 0.5);
  close(m['rewards/chosen'], -0.1875);
  close(m['rewards/rejected'], -0.1875);
  close(m['rewards/accuracies'], 0.5);
  close(m['rewards/margins'], 0);
  close(m['logps/chosen'], -19.5 / 4);
  close(m['logps/rejected'], -19 / 4);
  close(m.loss, (softplus(-1.5) + softplus(0.75) + softplus(1) + softplus(-0.25)) / 4, 1e-12, 'loss');
  assert.throws(() => implicitRewardMetrics(PAIRS, 0), /beta must be > 0/);
});

test('likelihood displacement (Razin et al.)', () => {
  const d = likelihoodDisplacement(PAIRS);
  close(d.chosen_shift, -1.5 / 4);
  close(d.rejected_shift, -1.5 / 4);
  close(d.chosen_shift_per_token, (0.5 + 0 - 0.4 - 0.25) / 4); // Δ_w / |y_w|
  close(d.rejected_shift_per_token, (-0.5 + 0.375 + 0 - 1) / 4);
  close(d.chosen_decreased, 0.5); // p3, p4
  close(d.rejected_decreased, 0.5); // p1, p4
  close(d.both_decreased, 0.25); // p4
  close(d.displaced_share, 0.25); // p4: Δ_w = −0.5 < 0 < h = 0.5
  close(d.chosen_shift_median, -0.25); // sorted [−2, −0.5, 0, 1]
  close(d.rejected_shift_median, -0.5); // sorted [−2, −1, 0, 1.5]
});

test('sampled KL estimators k1 and k3 (Schulman 2020)', () => {
  // log-ratios ℓ = [1, −0.5, 0]; k1 = 1/6; k3 = mean(e^−ℓ − 1 + ℓ) = (e^−1 + (e^0.5 − 1.5) + 0)/3
  const kl = sampledKl([{ policy: -3, ref: -4, tokens: 3 }, { policy: -5, ref: -4.5, tokens: 2 }, { policy: -2, ref: -2, tokens: 1 }]);
  close(kl.k1, 1 / 6);
  close(kl.k3, (Math.exp(-1) + Math.exp(0.5) - 1.5) / 3, 1e-12);
  close(kl.per_token, 0.5 / 6);
  close(kl.k1_stderr, Math.sqrt(21 / 36) / Math.sqrt(3), 1e-12); // sample variance 42/36/2
  assert.equal(kl.samples, 3);
});

test('reward-model accuracy, mean reward, win rate with a seeded bootstrap interval', () => {
  // chosen [1, 2, 3, 0] vs rejected [0, 2, 4, −1]: ✓, tie (left out), ✗, ✓ -> 2/3
  assert.deepEqual(rewardModelAccuracy([1, 2, 3, 0], [0, 2, 4, -1]), { accuracy: 2 / 3, pairs: 4, ties: 1, mean_margin: 0.25 });
  const mr = meanReward([1, 2, 3, 4, 5]);
  close(mr.mean, 3);
  close(mr.std, Math.SQRT2, 1e-12);
  // wins: 1>0, 2=2 (½), 3<5, 4>1, 5<6 -> (1 + 0.5 + 0 + 1 + 0)/5 = 0.5
  const w = winRate([1, 2, 3, 4, 5], [0, 2, 5, 1, 6], { resamples: 200, seed: 3 });
  assert.equal(w.estimate, 0.5);
  assert.deepEqual([w.wins, w.ties, w.losses], [2, 1, 2]);
  assert.ok(w.low <= 0.5 && w.high >= 0.5 && w.low >= 0 && w.high <= 1);
  assert.deepEqual(winRate([1, 2, 3, 4, 5], [0, 2, 5, 1, 6], { resamples: 200, seed: 3 }), w, 'same seed, same interval');
  // all wins: every resample is 1
  const all = winRate([2, 3], [1, 1]);
  assert.deepEqual([all.estimate, all.low, all.high], [1, 1, 1]);
  // 120 wins and 80 losses: the percentile interval matches the normal one, 0.6 ± 1.96·sqrt(0.24/200) = [0.532, 0.668]
  const big = winRate([...Array(120).fill(1), ...Array(80).fill(0)], Array(200).fill(0.5), { resamples: 4000, seed: 1 });
  close(big.low, 0.6 - 1.96 * Math.sqrt(0.24 / 200), 0.012, 'low');
  close(big.high, 0.6 + 1.96 * Math.sqrt(0.24 / 200), 0.012, 'high');
  // a custom statistic: the bootstrap of a constant is the constant
  assert.deepEqual(bootstrapCi([4, 4, 4], { resamples: 10 }, stats.median).low, 4);
});

test('CHES and LN-CHES (Razin et al.) and the filter selection', () => {
  // S+ = [1,0]+[0,1] = [1,1] (|y+| = 2), S− = [1,1]+[1,0]+[0,0] = [2,1] (|y−| = 3)
  // CHES = ⟨S+,S−⟩ − ‖S+‖² = 3 − 2 = 1; LN = 3/6 − 2/4 = 0
  assert.deepEqual(chesFromStates([[1, 0], [0, 1]], [[1, 1], [1, 0], [0, 0]]), { ches: 1, ln_ches: 0 });
  // S+ = [2,0] (1 token), S− = [2,0] (2 tokens): CHES = 4 − 4 = 0; LN = 4/2 − 4/1 = −2
  assert.deepEqual(chesFromSums([2, 0], [2, 0], 1, 2), { ches: 0, ln_ches: -2 });
  const scores = [0.3, -1, 2, 0.5, 2];
  assert.deepEqual(selectByChes(scores, { dropShare: 0.4 }), { kept: [0, 1, 3], dropped: [4, 2], cutoff: 2 });
  assert.deepEqual(selectByChes(scores, { threshold: 0.4 }).kept, [0, 1]);
  assert.deepEqual(selectByChes(scores, { dropShare: 0.2 }).kept, [0, 1, 2, 3], 'ties: the later pair goes first');
  assert.deepEqual(selectByChes(scores, { dropShare: 0 }).dropped, []);
  assert.throws(() => selectByChes(scores, { dropShare: 1.5 }), /drop share must be in \[0, 1\]/);
});

test('preference strength and ensemble noise rate (Secrets of RLHF II)', () => {
  // margins of 2 models: μ̂ = [2, −0.5, 2], σ̂ (population) = [1, 0.5, 0]
  const s = preferenceStrength([[1, 3], [-1, 0], [2, 2]]);
  assert.deepEqual(s, [{ mean: 2, std: 1 }, { mean: -0.5, std: 0.5 }, { mean: 2, std: 0 }]);
  const sum = summarizeStrength(s, 2);
  close(sum.negative_share, 1 / 3);
  close(sum.mean_strength, 3.5 / 3);
  close(sum.mean_spread, 0.5);
  close(sum.p20, 0.5); // sorted [−0.5, 2, 2], position 0.4 -> −0.5 + 0.4·2.5
  close(sum.p40, 1.5);
  // μ̂ = [2, −0.5, 2, −1.5, −1] -> 3/5 negative; a strict majority (both models) against only in pair 4
  assert.deepEqual(ensembleNoiseRate([[1, 3], [-1, 0], [2, 2], [-1, -2], [-3, 1]]), { noise_mean_margin: 0.6, noise_majority: 0.2, pairs: 5, models: 2 });
});

test("LCPO's EM noise-rate estimate reaches the likelihood maximum", () => {
  // p = [0.9, 0.9, 0.9, 0.2]: d/dη Σ log(ηp + (1−η)(1−p)) = 3·0.8/(0.1+0.8η) − 0.6/(0.8−0.6η) = 0 -> η = 1.86/1.92 = 0.96875
  const em = lcpoNoiseEm([0.9, 0.9, 0.9, 0.2]);
  assert.ok(em.converged);
  close(em.reliability, 0.96875, 1e-9, 'η');
  close(em.noise_rate, 0.03125, 1e-9, 'noise');
  close(em.posterior[0], 0.871875 / 0.875, 1e-9, 'q(0.9)'); // η·0.9 / (η·0.9 + (1−η)·0.1)
  close(em.posterior[3], 0.19375 / 0.21875, 1e-9, 'q(0.2)');
  // uninformative p = ½ leaves η where it started
  close(lcpoNoiseEm([0.5, 0.5], { init: 0.7 }).reliability, 0.7, 1e-12, 'p = ½');
  assert.throws(() => lcpoNoiseEm([1.2]), /not a probability/);
});

test('calibration: within-group Pearson of log-probs and scores, and L_cal (arXiv 2504.19044)', () => {
  const c = calibration([
    { logps: [-1, -2, -3, -4], tokens: [1, 1, 1, 1], scores: [4, 3, 2, 1] }, // ρ = 1, L_cal = −(3/4)ρ
    { logps: [-1, -1, -1], tokens: [1, 1, 1], scores: [1, 2, 3] }, // constant log-probs: skipped
    { logps: [0, -2, -1], tokens: [1, 2, 1], scores: [1, 2, 3] }, // ρ = −1/2; per token [0, −1, −1]: ρ = −√3/2; L_cal = 1/3
    { logps: [-1, -2], tokens: [1, 1], scores: [2, 1] }, // 2 completions: skipped
  ]);
  assert.equal(c.groups, 4);
  assert.equal(c.skipped, 2);
  close(c.pearson, (1 - 0.5) / 2, 1e-12, 'pearson');
  close(c.pearson_normalized, (1 - Math.sqrt(3) / 2) / 2, 1e-12, 'pearson normalised');
  close(c.calibration_loss, (-0.75 + 1 / 3) / 2, 1e-5, 'L_cal');
  assert.ok(Number.isNaN(c.per_group[1]) && Number.isNaN(c.per_group[3]));
});

test('statistics helpers', () => {
  close(stats.pearson([1, 2, 3], [2, 4, 7]), 0.9933992677987828, 1e-12, 'pearson'); // cov 2.5, var 1 and 6.333…
  assert.ok(Number.isNaN(stats.pearson([1, 1], [1, 2])));
  close(stats.quantile([4, 1, 3, 2], 0.25), 1.75);
  close(stats.sigmoid(0), 0.5);
  close(stats.logSigmoid(-800), -800);
  assert.deepEqual(stats.histogram([0, 0.5, 1, 1, 2], 2, 0, 2), { edges: [0, 1, 2], counts: [2, 3] });
});

test('summarizeEvaluation assembles the metrics and says what is missing', () => {
  const noRef = PAIRS.map(({ refChosen: _a, refRejected: _b, ...p }) => p);
  const s = summarizeEvaluation({ pairs: noRef, beta: 0.5, alpha: 0.75 });
  assert.deepEqual(s.metrics.ranking_accuracy, { policy: { summed: 0.25, normalized: 0.5 } });
  for (const k of ['implicit_reward', 'likelihood_displacement', 'reward_model', 'sampled_kl', 'calibration', 'ches']) assert.ok(s.unavailable[k], k);
  const full = summarizeEvaluation({ pairs: PAIRS, beta: 0.5, alpha: 0.75, rewards: [{ chosen: [1, 2, 3, 0], rejected: [0, 2, 4, -1] }], sampleRewards: { policy: [1, 2], reference: [0, 3] } });
  assert.equal(full.metrics.reward_model!.win_rate!.estimate, 0.5);
  assert.equal(full.metrics.preference_strength!.source, 'reward_models');
  assert.deepEqual(full.per_pair.map((p) => p.reward_margins), [[1], [0], [-1], [1]]);
  close(full.per_pair[0].implicit_margin!, 1.5);
  assert.ok(full.metrics.noise!.lcpo_implicit_reward && full.metrics.noise!.lcpo_reward_model && full.metrics.noise!.ensemble);
});
