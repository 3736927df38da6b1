// eval.json (evaluate.ts) -> report.html: headline cards, then one section per question the seed
// papers raise — are pairs ranked right (vs the idealized ranking), how big are the margins, did
// the chosen response lose likelihood, how far did the policy move (KL) for how much reward, which
// pairs are displacement-prone (CHES), how noisy are the labels, is likelihood calibrated.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EvalResult } from './evaluate.js';
import { charts, htmlPage, keyValueTable, pct, table, type Card, type Section } from './html-page.js';
import { barChart, histogramChart, lineChart, scatterChart } from './svg-charts.js';
import { fmt } from './svg-frame.js';

const num = (v: number | undefined): number => (v === undefined ? NaN : v);

function rankingSection(r: EvalResult): Section {
  const ra = r.metrics.ranking_accuracy;
  const bars = (key: 'summed' | 'normalized') => [
    { name: 'policy', value: ra.policy[key] },
    ...(ra.reference ? [{ name: 'reference', value: ra.reference[key] }] : []),
    ...(ra.idealized
      ? [{ name: `idealized (β=${fmt(ra.idealized.beta)})`, value: ra.idealized[key], low: ra.idealized_grid?.min[key], high: ra.idealized_grid?.max[key] }]
      : []),
  ];
  const svgs = [
    barChart({
      title: 'Ranking accuracy vs idealized ranking accuracy',
      yLabel: 'share of pairs ranked right',
      groups: [{ label: 'summed log-probs', bars: bars('summed') }, { label: 'length-normalised', bars: bars('normalized') }],
      yDomain: [0, 1.08],
    }),
  ];
  const grid = ra.idealized_grid;
  if (grid) {
    svgs.push(lineChart({
      title: 'Idealized ranking accuracy over Chen et al.\'s β grid',
      xLabel: 'log10 β',
      yLabel: 'accuracy',
      yInclude: [0, 1],
      series: [
        { name: 'idealized R*', points: grid.betas.map((b, i) => [Math.log10(b), grid.summed[i]]) },
        { name: 'idealized R̃*', points: grid.betas.map((b, i) => [Math.log10(b), grid.normalized[i]]), dashed: true },
      ],
      hLines: [{ y: ra.policy.summed, label: `policy R = ${pct(ra.policy.summed)}`, color: '#111827' }],
    }));
    const ref = r.per_pair.map((p) => [num(p.ref_chosen) - num(p.ref_rejected), p.policy_chosen - p.policy_rejected] as [number, number]);
    svgs.push(scatterChart({
      title: 'Per pair: reference vs policy log-prob gap (chosen − rejected)',
      xLabel: 'log π_ref(y_w) − log π_ref(y_l)',
      yLabel: 'log πθ(y_w) − log πθ(y_l)',
      zeroLines: true,
      diagonal: true,
      series: [{ name: 'pair', points: ref }],
    }));
  }
  const flips = ra.flips;
  return {
    id: 'ranking',
    title: 'Ranking accuracy',
    intro:
      'Share of pairs where the model gives the chosen response a higher likelihood (Chen et al. 2024), next to the accuracy an idealized DPO/RLHF optimum would reach from this reference (Corollary 3.3). ' +
      'Whiskers on the idealized bars span Chen et al.\'s β grid (0.01 to 10). Points in the upper-left quadrant of the scatter are pairs the reference ranked wrong and the policy fixed.',
    html:
      charts(...svgs) +
      (flips ? table(['reference wrong', 'fixed by policy', 'reference right', 'broken by policy'], [[flips.referenceWrong, flips.fixed, flips.referenceRight, flips.broken]]) : ''),
  };
}

function marginSection(r: EvalResult): Section {
  const ir = r.per_pair.map((p) => num(p.implicit_margin));
  const svgs: string[] = [];
  if (r.metrics.implicit_reward) {
    const beta = r.metrics.implicit_reward.beta;
    svgs.push(histogramChart({ title: `Implicit reward margin β·h (β=${fmt(beta)})`, xLabel: 'β [(log πθ − log π_ref)(y_w) − (…)(y_l)]', series: [{ name: 'pairs', values: ir }], vLines: [{ x: 0, label: '0' }] }));
    svgs.push(histogramChart({
      title: 'Implicit rewards of chosen and rejected',
      xLabel: 'β (log πθ − log π_ref)',
      series: [
        { name: 'chosen', values: r.per_pair.map((p) => beta * (p.policy_chosen - num(p.ref_chosen))), color: '#16a34a' },
        { name: 'rejected', values: r.per_pair.map((p) => beta * (p.policy_rejected - num(p.ref_rejected))), color: '#dc2626' },
      ],
    }));
  }
  const rm = r.per_pair.map((p) => (p.reward_margins ? p.reward_margins[0] : NaN));
  if (r.metrics.reward_model) svgs.push(histogramChart({ title: 'Reward-model margin r(y_w) − r(y_l)', xLabel: 'reward margin', series: [{ name: 'pairs', values: rm }], vLines: [{ x: 0, label: '0' }] }));
  return {
    id: 'margins',
    title: 'Reward margins',
    intro: 'Distribution of the implicit DPO reward margin and, with a reward model, of its margin. Mass left of 0 is pairs the model scores the wrong way.',
    html: svgs.length ? charts(...svgs) + (r.metrics.implicit_reward ? keyValueTable(r.metrics.implicit_reward as unknown as Record<string, unknown>) : '') : '<p>Needs a reference model (--ref) or a reward model (--reward-model).</p>',
  };
}

function displacementSection(r: EvalResult): Section {
  const ld = r.metrics.likelihood_displacement;
  if (!ld) return { id: 'displacement', title: 'Likelihood displacement', html: `<p>${r.unavailable.likelihood_displacement ?? 'not available'}</p>` };
  const dw = r.per_pair.map((p) => p.policy_chosen - num(p.ref_chosen));
  const dl = r.per_pair.map((p) => p.policy_rejected - num(p.ref_rejected));
  return {
    id: 'displacement',
    title: 'Likelihood displacement',
    intro:
      'Change of log-likelihood from the reference to the policy for the chosen (Δ_w) and rejected (Δ_l) responses (Razin et al. 2024). Δ_w < 0 means the preferred answer became less likely; the lower-left quadrant holds pairs where both fell.',
    html:
      charts(
        histogramChart({ title: 'Log-prob shift from reference to policy', xLabel: 'Δ = log πθ(y) − log π_ref(y) (nats)', series: [{ name: 'chosen Δ_w', values: dw, color: '#16a34a' }, { name: 'rejected Δ_l', values: dl, color: '#dc2626' }], vLines: [{ x: 0 }] }),
        scatterChart({ title: 'Per pair: chosen vs rejected shift', xLabel: 'Δ_w (chosen)', yLabel: 'Δ_l (rejected)', zeroLines: true, diagonal: true, series: [{ name: 'pair', points: dw.map((x, i) => [x, dl[i]]) }] }),
      ) +
      table(
        ['mean Δ_w', 'mean Δ_l', 'chosen decreased', 'rejected decreased', 'both decreased', 'margin up, chosen down'],
        [[ld.chosen_shift, ld.rejected_shift, pct(ld.chosen_decreased), pct(ld.rejected_decreased), pct(ld.both_decreased), pct(ld.displaced_share)]],
      ),
  };
}

function klSection(r: EvalResult): Section {
  const kl = r.metrics.sampled_kl;
  const rm = r.metrics.reward_model;
  const svgs: string[] = [];
  const pts = r.samples.map((s) => [s.ref_logp === undefined ? NaN : s.policy_logp - s.ref_logp, num(s.policy_reward)] as [number, number]);
  if (kl && rm?.policy_samples) {
    svgs.push(scatterChart({
      title: 'Reward vs KL to the reference (policy samples)',
      xLabel: 'log πθ(y|x) − log π_ref(y|x) per sample (mean = KL estimate)',
      yLabel: 'reward-model score',
      series: [{ name: 'policy sample', points: pts }],
      markers: [
        { x: kl.k1, y: rm.policy_samples.mean, label: 'policy mean', color: '#2563eb' },
        ...(rm.reference_samples ? [{ x: 0, y: rm.reference_samples.mean, label: 'reference mean', color: '#dc2626' }] : []),
      ],
    }));
  } else if (kl) {
    svgs.push(histogramChart({ title: 'Per-sample log-ratio (its mean estimates KL)', xLabel: 'log πθ(y|x) − log π_ref(y|x)', series: [{ name: 'samples', values: pts.map((p) => p[0]) }], vLines: [{ x: kl.k1, label: 'k1' }] }));
  }
  if (rm?.win_rate) {
    svgs.push(barChart({
      title: 'Win rate of policy samples over reference samples',
      yDomain: [0, 1.08],
      groups: [{ label: `judged by ${String((r.settings.reward_models as string[])[0] ?? 'RM')}`.slice(0, 60), bars: [{ name: 'win rate (95 % CI)', value: rm.win_rate.estimate, low: rm.win_rate.low, high: rm.win_rate.high }] }],
    }));
  }
  const rows: unknown[][] = [];
  if (kl) rows.push(['KL k1 (mean log-ratio)', kl.k1], ['KL k1 std. error', kl.k1_stderr], ['KL k3', kl.k3], ['KL per token', kl.per_token], ['samples', kl.samples]);
  if (rm?.policy_samples) rows.push(['mean reward, policy samples', rm.policy_samples.mean]);
  if (rm?.reference_samples) rows.push(['mean reward, reference samples', rm.reference_samples.mean]);
  if (rm?.win_rate) rows.push(['win rate', `${pct(rm.win_rate.estimate)} [${pct(rm.win_rate.low)}, ${pct(rm.win_rate.high)}] (${rm.win_rate.wins} wins, ${rm.win_rate.ties} ties, ${rm.win_rate.losses} losses)`]);
  return {
    id: 'kl',
    title: 'Reward vs KL',
    intro: 'Completions sampled from the policy at temperature 1: their mean log-ratio to the reference estimates KL(πθ‖π_ref); a reward model scores them against the reference model\'s own samples.',
    html: svgs.length || rows.length ? charts(...svgs) + table(['quantity', 'value'], rows) : `<p>${r.unavailable.sampled_kl ?? ''} ${r.unavailable.reward_model ?? ''}</p>`,
  };
}

function chesSection(r: EvalResult): Section {
  const ln = r.per_pair.map((p) => num(p.ln_ches));
  const svgs = [histogramChart({ title: 'Length-normalised CHES per pair', xLabel: 'LN-CHES (higher = more displacement-prone)', series: [{ name: 'pairs', values: ln }] })];
  if (r.metrics.likelihood_displacement) {
    svgs.push(scatterChart({
      title: 'LN-CHES vs chosen log-prob shift',
      xLabel: 'LN-CHES',
      yLabel: 'Δ_w = log πθ(y_w) − log π_ref(y_w)',
      zeroLines: true,
      series: [{ name: 'pair', points: ln.map((x, i) => [x, r.per_pair[i].policy_chosen - num(r.per_pair[i].ref_chosen)]) }],
    }));
  }
  return {
    id: 'ches',
    title: 'CHES (displacement-prone pairs)',
    intro: 'Centered hidden embedding similarity of each pair under the evaluated model (Razin et al. 2024): pairs with high CHES are those whose DPO updates tend to lower the chosen response\'s likelihood. `prefkit data filter-ches` drops them.',
    html: charts(...svgs) + (r.metrics.ches ? keyValueTable(r.metrics.ches as unknown as Record<string, unknown>) : ''),
  };
}

function noiseSection(r: EvalResult): Section {
  const ps = r.metrics.preference_strength;
  const svgs: string[] = [];
  if (ps) {
    svgs.push(histogramChart({
      title: `Preference strength μ̂ per pair (${ps.source === 'reward_models' ? `${ps.models} reward model(s)` : 'implicit reward'})`,
      xLabel: 'mean margin μ̂',
      series: [{ name: 'pairs', values: r.per_pair.map((p) => num(p.strength_mean)) }],
      vLines: [{ x: 0, label: '0' }, { x: ps.p20, label: '20 %', color: '#dc2626' }, { x: ps.p40, label: '40 %', color: '#ea580c' }],
    }));
  }
  const post = r.per_pair.map((p) => num(p.label_posterior));
  if (post.some(Number.isFinite)) svgs.push(histogramChart({ title: 'LCPO posterior that the label is right', xLabel: 'q_i', series: [{ name: 'pairs', values: post }] }));
  const n = r.metrics.noise;
  const rows: unknown[][] = [];
  if (n?.ensemble) rows.push(['ensemble: share with μ̂ < 0', pct(n.ensemble.noise_mean_margin)], ['ensemble: majority prefers rejected', pct(n.ensemble.noise_majority)]);
  if (n?.lcpo_reward_model) rows.push(['LCPO EM on reward-model margins: noise 1 − η', pct(n.lcpo_reward_model.noise_rate)]);
  if (n?.lcpo_implicit_reward) rows.push(['LCPO EM on implicit-reward margins: noise 1 − η', pct(n.lcpo_implicit_reward.noise_rate)]);
  if (ps) rows.push(['mean spread σ̂ across models', ps.mean_spread]);
  return {
    id: 'noise',
    title: 'Label noise and preference strength',
    intro: 'Estimated share of mislabeled pairs: from an ensemble of reward models (Secrets of RLHF II: pairs with negative mean margin) and from LCPO\'s EM on the models\' preference probabilities. Strength = mean margin; spread = its standard deviation across models.',
    html: (svgs.length ? charts(...svgs) : '') + (rows.length ? table(['estimate', 'value'], rows) : `<p>${r.unavailable['noise.ensemble'] ?? ''}</p>`),
  };
}

function calibrationSection(r: EvalResult): Section {
  const c = r.metrics.calibration;
  if (!c) return { id: 'calibration', title: 'Calibration', html: `<p>${r.unavailable.calibration ?? 'not available'}</p>` };
  return {
    id: 'calibration',
    title: 'Calibration',
    intro: 'Within each prompt\'s rated completions, the Pearson correlation between the model\'s sequence log-probability and the quality score (arXiv 2504.19044). 1 = likelihood orders completions exactly by quality.',
    html:
      charts(histogramChart({ title: 'Per-prompt Pearson(log π, score)', xLabel: 'correlation', series: [{ name: 'prompts', values: c.per_group }], vLines: [{ x: 0 }] })) +
      table(['groups', 'skipped', 'mean Pearson', 'mean Pearson (length-normalised)', 'calibration loss'], [[c.groups, c.skipped, c.pearson, c.pearson_normalized, c.calibration_loss]]),
  };
}

function samplesSection(r: EvalResult): Section {
  const rows = r.samples.slice(0, 12).map((s) => [s.prompt.slice(-300), s.policy_completion.slice(0, 300), s.policy_reward ?? NaN, (s.reference_completion ?? '').slice(0, 300), s.reference_reward ?? NaN]);
  return { id: 'samples', title: 'Samples', intro: 'The first sampled completions (prompt shortened to its end).', html: rows.length ? table(['prompt (end)', 'policy', 'reward', 'reference', 'reward'], rows) : '<p>No samples drawn.</p>' };
}

export function evalReportHtml(r: EvalResult): string {
  const m = r.metrics;
  const cards: Card[] = [
    { label: 'pairs evaluated', value: String(r.data.pairs_evaluated), hint: `${r.data.dropped.length} dropped, ${r.data.ties_left_out} ties left out` },
    { label: 'ranking accuracy (policy)', value: pct(m.ranking_accuracy.policy.summed), hint: `length-normalised ${pct(m.ranking_accuracy.policy.normalized)}` },
  ];
  if (m.ranking_accuracy.idealized) cards.push({ label: 'idealized ranking accuracy', value: pct(m.ranking_accuracy.idealized.summed), hint: `β=${fmt(m.ranking_accuracy.idealized.beta)}, α=${fmt(m.ranking_accuracy.idealized.alpha)}` });
  if (m.implicit_reward) cards.push({ label: 'rewards/accuracies', value: pct(m.implicit_reward['rewards/accuracies']), hint: `margin ${fmt(m.implicit_reward['rewards/margins'])}` });
  if (m.likelihood_displacement) cards.push({ label: 'chosen likelihood fell', value: pct(m.likelihood_displacement.chosen_decreased), hint: `mean Δ_w ${fmt(m.likelihood_displacement.chosen_shift)} nats` });
  if (m.sampled_kl) cards.push({ label: 'KL(πθ‖π_ref), sampled', value: fmt(m.sampled_kl.k1), hint: `± ${fmt(m.sampled_kl.k1_stderr)} (${m.sampled_kl.samples} samples)` });
  if (m.reward_model) cards.push({ label: 'reward-model accuracy', value: pct(m.reward_model.accuracy[0].accuracy) });
  if (m.reward_model?.win_rate) cards.push({ label: 'win rate vs reference', value: pct(m.reward_model.win_rate.estimate), hint: `95 % CI ${pct(m.reward_model.win_rate.low)}–${pct(m.reward_model.win_rate.high)}` });
  const settings: Section = {
    id: 'numbers',
    title: 'All numbers',
    intro: 'Every metric as computed (also in eval.json next to this file), the settings, and metrics that could not be computed with why.',
    html:
      keyValueTable(r.metrics as unknown as Record<string, unknown>) +
      '<h3>Settings</h3>' + keyValueTable(r.settings) +
      '<h3>Data</h3>' + keyValueTable({ ...r.data, dropped: r.data.dropped.map((d) => `${d.at}: ${d.reason}`) }) +
      (Object.keys(r.unavailable).length ? '<h3>Not computed</h3>' + keyValueTable(r.unavailable) : '') +
      '<h3>Timings (s)</h3>' + keyValueTable(r.timings_s),
  };
  return htmlPage({
    title: 'prefkit evaluation',
    subtitle: `${String(r.settings.model)}${r.settings.ref ? ` vs reference ${String(r.settings.ref)}` : ''} on ${r.data.file} — ${r.created}`,
    cards,
    sections: [rankingSection(r), marginSection(r), displacementSection(r), klSection(r), chesSection(r), noiseSection(r), calibrationSection(r), samplesSection(r), settings],
    data: { metrics: r.metrics, settings: r.settings, data: r.data, unavailable: r.unavailable },
  });
}

/** JSON with NaN and ±Infinity written as null (JSON has no such numbers). */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 1) + '\n';
}

/** Writes OUT/eval.json and OUT/report.html; returns their paths. */
export function writeEvalReport(r: EvalResult, outDir: string): { json: string; html: string } {
  mkdirSync(outDir, { recursive: true });
  const json = join(outDir, 'eval.json');
  const html = join(outDir, 'report.html');
  writeFileSync(json, toJson(r));
  writeFileSync(html, evalReportHtml(r));
  return { json, html };
}
