// The three claims the demo checks, judged from the numbers alone (never tuned until they hold):
//   1. DPO raises the mean lexicon reward over the reference (at a KL we report).
//      Held when every clean-label DPO policy's reward exceeds the reference's by more than two
//      standard errors of the difference; 'partly held' when only some do; 'inconclusive' when all are
//      higher but none by two standard errors.
//   2. A larger β keeps the policy closer to the reference: sampled KL falls as β grows (clean DPO).
//   3. With flipped labels, rDPO and/or cDPO keep more of the clean-label DPO gain than DPO does:
//      kept(m) = (reward of m on noisy labels − reference reward) / (clean DPO reward − reference reward),
//      DPO at the same β as the robust methods. Held when the best robust method's noisy-label reward
//      beats DPO's by more than two standard errors of the difference; 'inconclusive' when it is higher
//      but within that noise; 'did not hold' when it is not higher.
import type { Claim, DemoResults, DemoRun } from './results.js';

const f2 = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');
const f3 = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');
const pct = (x: number): string => (Number.isFinite(x) ? `${Math.round(x * 100)} %` : 'n/a');

export const isPlainDpo = (r: DemoRun): boolean => r.method.loss_type === 'sigmoid' && r.method.label_smoothing === 0;
export const isRobust = (r: DemoRun): boolean => r.method.label_smoothing > 0 && (r.method.loss_type === 'sigmoid' || r.method.loss_type === 'robust');

function diffSe(a: DemoRun['metrics'], b: DemoRun['metrics']): number {
  return Math.sqrt(a.reward.stderr ** 2 + b.reward.stderr ** 2);
}

function dpoRaisesReward(res: DemoResults): Claim {
  const statement = 'DPO policies reach a higher mean lexicon reward than the reference, at a reported KL';
  const ref = res.reference.metrics;
  const dpo = res.runs.filter((r) => r.condition === 'clean' && isPlainDpo(r));
  if (!dpo.length) return { id: 'dpo-raises-reward', statement, verdict: 'not tested', evidence: 'no clean-label DPO run in the config' };
  const parts = dpo.map((r) => {
    const gain = r.metrics.reward.mean - ref.reward.mean;
    return { r, gain, clear: gain > 2 * diffSe(r.metrics, ref) };
  });
  const clear = parts.filter((p) => p.clear).length;
  const verdict = clear === parts.length ? 'held' : clear > 0 ? 'partly held' : parts.every((p) => p.gain > 0) ? 'inconclusive' : 'did not hold';
  const evidence = `reference reward ${f3(ref.reward.mean)}; ` + parts.map((p) =>
    `β=${p.r.method.beta}: ${f3(p.r.metrics.reward.mean)} (${p.gain >= 0 ? '+' : ''}${f3(p.gain)}${p.clear ? '' : ', within noise'}) ` +
    `at KL ${f2(p.r.metrics.kl.k1)} nats, win rate ${pct(p.r.metrics.winRate.estimate)}`).join('; ');
  return { id: 'dpo-raises-reward', statement, verdict, evidence };
}

function betaLimitsKl(res: DemoResults): Claim {
  const statement = 'a larger β keeps the policy closer to the reference (smaller sampled KL)';
  const series = (cond: 'clean' | 'noisy') => res.runs.filter((r) => r.condition === cond && isPlainDpo(r)).sort((a, b) => a.method.beta - b.method.beta);
  const clean = series('clean');
  if (clean.length < 2) return { id: 'beta-limits-kl', statement, verdict: 'not tested', evidence: 'fewer than two DPO β values in the config' };
  const falls = (rs: DemoRun[]) => rs.every((r, i) => i === 0 || r.metrics.kl.k1 < rs[i - 1].metrics.kl.k1);
  const describe = (rs: DemoRun[]) => rs.map((r) => `β=${r.method.beta}: ${f2(r.metrics.kl.k1)}`).join(', ');
  const noisy = series('noisy');
  const evidence = `clean-label DPO KL ${describe(clean)}${falls(clean) ? ' (falls as β grows)' : ' (does not fall monotonically)'}` +
    (noisy.length >= 2 ? `; noisy labels: ${describe(noisy)}${falls(noisy) ? ' (falls too)' : ' (not monotone)'}` : '');
  return { id: 'beta-limits-kl', statement, verdict: falls(clean) ? 'held' : 'did not hold', evidence };
}

function robustUnderNoise(res: DemoResults): Claim {
  const flip = res.config.pairs.flip_fraction;
  const statement = `with ${Math.round(flip * 100)} % flipped labels, rDPO and/or cDPO keep more of the clean-label reward gain than plain DPO`;
  const ref = res.reference.metrics;
  const robust = res.runs.filter((r) => r.condition === 'noisy' && isRobust(r));
  if (!robust.length || flip === 0) return { id: 'robust-under-noise', statement, verdict: 'not tested', evidence: 'no cDPO/rDPO run or no flipped labels' };
  const beta = robust[0].method.beta;
  const find = (cond: 'clean' | 'noisy') => res.runs.find((r) => r.condition === cond && isPlainDpo(r) && r.method.beta === beta);
  const cleanDpo = find('clean');
  const noisyDpo = find('noisy');
  if (!cleanDpo || !noisyDpo) return { id: 'robust-under-noise', statement, verdict: 'not tested', evidence: `no DPO run at β=${beta} to compare with` };
  const cleanGain = cleanDpo.metrics.reward.mean - ref.reward.mean;
  if (!(cleanGain > 0)) {
    return { id: 'robust-under-noise', statement, verdict: 'not tested', evidence: `clean-label DPO at β=${beta} gained nothing over the reference (${f3(cleanGain)}), so there is no gain to keep` };
  }
  const kept = (r: DemoRun) => (r.metrics.reward.mean - ref.reward.mean) / cleanGain;
  const dpoKept = kept(noisyDpo);
  const best = robust.reduce((a, b) => (kept(b) > kept(a) ? b : a));
  const diff = best.metrics.reward.mean - noisyDpo.metrics.reward.mean;
  const clear = Math.abs(diff) > 2 * diffSe(best.metrics, noisyDpo.metrics);
  const evidence = `share of the clean DPO gain (${f3(cleanGain)}) kept with noisy labels: DPO ${pct(dpoKept)} (KL ${f2(noisyDpo.metrics.kl.k1)}), ` +
    robust.map((r) => `${r.label} ${pct(kept(r))} (KL ${f2(r.metrics.kl.k1)})`).join(', ') +
    `; best robust minus DPO reward ${diff >= 0 ? '+' : ''}${f3(diff)}${clear ? ' (more than two standard errors)' : ' (within sampling noise)'}` +
    // A method that moved further from the reference can gain more reward for that reason alone.
    (best.metrics.kl.k1 > 1.2 * noisyDpo.metrics.kl.k1
      ? `; note: ${best.label} moved further from the reference (KL ${f2(best.metrics.kl.k1)} vs ${f2(noisyDpo.metrics.kl.k1)}), compare them on the reward-KL plot too`
      : '');
  const verdict = !(kept(best) > dpoKept) ? 'did not hold' : clear ? 'held' : 'inconclusive';
  return { id: 'robust-under-noise', statement, verdict, evidence };
}

export function judgeClaims(res: DemoResults): Claim[] {
  return [dpoRaisesReward(res), betaLimitsKl(res), robustUnderNoise(res)];
}
