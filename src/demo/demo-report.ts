// report.html of the demo: one self-contained page (inline CSS and SVG, no scripts that run) built
// with the eval layer's page and charts — the claims and their evidence, the reward–KL frontier, the
// effect of flipped labels, KL against β, ranking vs idealized ranking accuracy, win rates, training
// curves, samples, and the resolved config. The numbers also travel in the page as JSON.
import { barChart, htmlPage, lineChart, scatterChart } from '../eval/index.js';
import type { DemoResults, DemoRun } from './results.js';
import { isPlainDpo } from './claims.js';
import { resultsTable } from './summary-text.js';

const COLORS = { clean: '#2563eb', noisy: '#dc2626', reference: '#111827' };

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function htmlTable(head: string[], rows: (string | number)[][]): string {
  const cell = (v: string | number) => `<td class="${typeof v === 'number' ? 'num' : 'text'}">${esc(typeof v === 'number' ? String(Number(v.toPrecision(4))) : v)}</td>`;
  return `<table><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>${rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('')}</table>`;
}

const short = (r: DemoRun): string => `${r.label}${r.condition === 'noisy' ? ' (noisy)' : ''}`;

/** A marker label short enough not to collide on the frontier: 'DPO .05', 'IPO', 'rDPO' (colour = labels). */
function tiny(r: DemoRun, all: DemoRun[]): string {
  const sameName = all.filter((x) => x.condition === r.condition && x.method.name === r.method.name).length > 1;
  return sameName ? `${r.method.name} ${String(r.method.beta).replace(/^0\./, '.')}` : r.method.name;
}

function frontier(res: DemoResults): string {
  const ref = res.reference.metrics;
  return scatterChart({
    title: 'Reward–KL frontier: mean lexicon reward of own samples vs sampled KL to the reference',
    xLabel: 'KL(π ‖ π_ref), nats per completion (k1)', yLabel: 'mean lexicon reward', width: 700, height: 440,
    series: (['clean', 'noisy'] as const).map((c) => ({
      name: `${c} labels`, color: COLORS[c],
      points: res.runs.filter((r) => r.condition === c).map((r) => [r.metrics.kl.k1, r.metrics.reward.mean] as [number, number]),
    })),
    markers: [
      { x: 0, y: ref.reward.mean, label: 'reference', color: COLORS.reference },
      ...res.runs.map((r) => ({ x: r.metrics.kl.k1, y: r.metrics.reward.mean, label: tiny(r, res.runs), color: COLORS[r.condition] })),
    ],
  });
}

function noiseBars(res: DemoResults): string {
  const refReward = res.reference.metrics.reward.mean;
  return barChart({
    title: `Reward gain over the reference, clean vs ${Math.round(res.config.pairs.flip_fraction * 100)} % flipped labels (±2 se)`,
    yLabel: 'reward − reference reward', width: 900, height: 360,
    groups: byMethod(res).map((m) => ({
      label: m.label,
      bars: (['clean', 'noisy'] as const).flatMap((c) => {
        const r = m[c];
        if (!r) return [];
        const gain = r.metrics.reward.mean - refReward;
        const se = Math.sqrt(r.metrics.reward.stderr ** 2 + res.reference.metrics.reward.stderr ** 2);
        return [{ name: `${c} labels`, value: gain, low: gain - 2 * se, high: gain + 2 * se }];
      }),
    })),
  });
}

function klVsBeta(res: DemoResults): string {
  return lineChart({
    title: 'DPO: sampled KL to the reference against β', xLabel: 'β', yLabel: 'KL, nats per completion', width: 460, height: 340,
    series: (['clean', 'noisy'] as const).map((c) => ({
      name: `${c} labels`, color: COLORS[c],
      points: res.runs.filter((r) => r.condition === c && isPlainDpo(r)).sort((a, b) => a.method.beta - b.method.beta)
        .map((r) => [r.method.beta, r.metrics.kl.k1] as [number, number]),
    })),
    yInclude: [0],
  });
}

/** Runs by method label, in config order, with their clean and noisy runs. */
function byMethod(res: DemoResults): { label: string; clean?: DemoRun; noisy?: DemoRun }[] {
  const labels = [...new Set(res.runs.map((r) => r.label))];
  return labels.map((label) => ({
    label,
    clean: res.runs.find((r) => r.label === label && r.condition === 'clean'),
    noisy: res.runs.find((r) => r.label === label && r.condition === 'noisy'),
  }));
}

function rankingBars(res: DemoResults): string {
  return barChart({
    title: 'Ranking accuracy on held-out pairs vs idealized ranking accuracy R* (Chen et al.)',
    yLabel: 'share of pairs ranked right', width: 1000, height: 360, yDomain: [0, 1],
    groups: [
      { label: 'reference', bars: [{ name: 'clean labels', value: res.reference.metrics.ranking.summed }] },
      ...byMethod(res).map((m) => ({
        label: m.label,
        bars: [
          { name: 'clean labels', value: m.clean?.metrics.ranking.summed ?? NaN },
          { name: 'noisy labels', value: m.noisy?.metrics.ranking.summed ?? NaN },
          { name: 'idealized R* at β', value: (m.clean ?? m.noisy)?.metrics.idealized?.summed ?? NaN },
        ],
      })),
    ],
  });
}

function winBars(res: DemoResults): string {
  const ref = res.reference.metrics.winRate;
  const bar = (name: string, r: DemoRun | undefined) => ({ name, value: r?.metrics.winRate.estimate ?? NaN, low: r?.metrics.winRate.low, high: r?.metrics.winRate.high });
  return barChart({
    title: 'Win rate against the reference\'s samples (lexicon judge, 95 % bootstrap CI)',
    yLabel: 'win rate', width: 1000, height: 340, yDomain: [0, 1],
    groups: [
      { label: 'reference', bars: [{ name: 'clean labels', value: ref.estimate, low: ref.low, high: ref.high }] },
      ...byMethod(res).map((m) => ({ label: m.label, bars: [bar('clean labels', m.clean), bar('noisy labels', m.noisy)] })),
    ],
  });
}

function curves(res: DemoResults, condition: 'clean' | 'noisy'): string {
  const runs = res.runs.filter((r) => r.condition === condition);
  return lineChart({
    title: `Training: implicit-reward accuracy (rewards/accuracies), ${condition} labels`, xLabel: 'step', yLabel: 'rewards/accuracies',
    width: 520, height: 320, series: runs.map((r) => ({ name: r.label, points: r.curves.accuracy })),
  });
}

function sftCurve(res: DemoResults): string {
  return lineChart({
    title: 'Reference SFT: training loss', xLabel: 'step', yLabel: 'nats per byte', width: 520, height: 320,
    series: [{ name: 'SFT loss', points: res.reference.loss_curve, color: COLORS.reference }],
  });
}

function samplesHtml(res: DemoResults): string {
  const best = res.runs.filter((r) => r.condition === 'clean').reduce<DemoRun | null>((a, b) => (!a || b.metrics.reward.mean > a.metrics.reward.mean ? b : a), null);
  const rows: (string | number)[][] = res.reference.metrics.examples.map((e, i) => {
    const p = best?.metrics.examples[i];
    return [e.opening, e.completion, e.reward, p ? p.completion : '', p ? p.reward : ''];
  });
  const pairs = res.data.examples.map((p) => [p.opening, p.chosen, p.chosen_reward, p.rejected, p.rejected_reward]);
  return `<p class="intro">First sample of the first evaluation openings: the reference and ${esc(best ? short(best) : 'no policy')} (highest clean-label reward). Same seed, so differences come from the policy.</p>` +
    htmlTable(['opening', 'reference', 'reward', best ? short(best) : 'policy', 'reward'], rows) +
    '<p class="intro">Training pairs (best vs worst of the reference\'s samples for one opening):</p>' +
    htmlTable(['opening', 'chosen', 'reward', 'rejected', 'reward'], pairs);
}

function claimsHtml(res: DemoResults): string {
  const color: Record<string, string> = { held: '#16a34a', 'partly held': '#ca8a04', inconclusive: '#ca8a04', 'did not hold': '#dc2626', 'not tested': '#6b7280' };
  return res.claims.map((c) => `<p><b style="color:${color[c.verdict]}">${esc(c.verdict.toUpperCase())}</b> — ${esc(c.statement)}.<br><span style="color:#4b5563">${esc(c.evidence)}.</span></p>`).join('');
}

export function demoReportHtml(res: DemoResults): string {
  const c = res.config;
  const ref = res.reference.metrics;
  const bestClean = Math.max(...res.runs.filter((r) => r.condition === 'clean').map((r) => r.metrics.reward.mean));
  return htmlPage({
    title: 'prefkit demo — controlled sentiment with DPO, IPO, cDPO and rDPO',
    subtitle: `preset ${res.preset}, seed ${c.seed}; reward: ${res.reward}`,
    cards: [
      { label: 'reference reward', value: ref.reward.mean.toFixed(3), hint: `${res.reference.parameters.toLocaleString('en-US')} parameters, SFT from scratch` },
      { label: 'best clean-label reward', value: Number.isFinite(bestClean) ? bestClean.toFixed(3) : 'n/a', hint: 'mean over held-out openings' },
      { label: 'training pairs', value: String(res.data.pairs.pairs), hint: `${res.data.flipped} flipped in the noisy condition` },
      ...res.claims.map((cl) => ({ label: cl.id, value: cl.verdict })),
    ],
    sections: [
      { id: 'claims', title: 'Claims', intro: 'Judged from the numbers below; the demo is not tuned until they hold.', html: claimsHtml(res) },
      { id: 'frontier', title: 'Reward and KL', intro: 'Each point is a policy: how positive its own samples are (AFINN-165) against how far it moved from the reference (sampled KL). Up and to the left is better.', html: `<div class="charts">${frontier(res)}${klVsBeta(res)}</div>` },
      { id: 'noise', title: 'Flipped labels', intro: `${res.data.flipped} of ${res.data.pairs.pairs} training labels flipped. cDPO and rDPO are told the flip rate (ε = label_smoothing).`, html: `<div class="charts">${noiseBars(res)}</div>` },
      { id: 'ranking', title: 'Ranking accuracy', intro: 'Does the policy give the better sentence of a held-out pair the higher likelihood? R* is the accuracy of the policy that optimises the objective perfectly (rater share α = σ(reward gap)).', html: `<div class="charts">${rankingBars(res)}</div>` },
      { id: 'win', title: 'Win rate', intro: 'Policy sample vs reference sample for the same opening; the lexicon judges, ties count half.', html: `<div class="charts">${winBars(res)}</div>` },
      { id: 'table', title: 'Table', html: `<pre>${esc(resultsTable(res))}</pre>` },
      { id: 'training', title: 'Training curves', html: `<div class="charts">${sftCurve(res)}${curves(res, 'clean')}${curves(res, 'noisy')}</div>` },
      { id: 'samples', title: 'Samples', html: samplesHtml(res) },
      { id: 'setup', title: 'Setup', intro: 'The resolved config (also in results.json); rerun with the same values for the same numbers.', html: `<pre>${esc(JSON.stringify(c, null, 2))}</pre>` },
    ],
    data: { ...res, runs: res.runs.map((r) => ({ ...r, curves: undefined })) },
  });
}
