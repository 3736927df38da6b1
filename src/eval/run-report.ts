// `prefkit report RUN_DIR`: a training run folder (run-folder.ts) -> RUN_DIR/report.html and
// RUN_DIR/report.json with the same series. Curves use TRL's metric names: loss, rewards/chosen,
// rewards/rejected, rewards/margins, rewards/accuracies, logps/chosen, logps/rejected (the
// chosen/rejected log-prob trajectories show likelihood displacement during training), learning
// rate, grad norm, throughput, and reward vs KL when the run logs a KL. Every other numeric key
// gets its own small chart. Works on a running job: the status says so, the page shows what is there.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { charts, htmlPage, keyValueTable, pct, table, type Card, type Section } from './html-page.js';
import { keysOf, readRunFolder, seriesOf, type MetricRow, type RunFolder } from './run-folder.js';
import { lineChart, type Series } from './svg-charts.js';
import { PALETTE, emptyChart, fmt } from './svg-frame.js';

const KL_KEYS = ['objective/kl', 'kl', 'train/kl'];
const REWARD_KEYS = ['objective/scores', 'objective/rlhf_reward', 'reward', 'rewards/mean', 'rewards/margins'];

interface Panel {
  title: string;
  yLabel: string;
  keys: string[];
  yInclude?: number[];
}

const PANELS: Panel[] = [
  { title: 'Loss', yLabel: 'loss', keys: ['loss'] },
  { title: 'Implicit rewards', yLabel: 'β · log-ratio', keys: ['rewards/chosen', 'rewards/rejected', 'rewards/margins'], yInclude: [0] },
  { title: 'Reward accuracy', yLabel: 'share of pairs', keys: ['rewards/accuracies', 'accuracy'], yInclude: [0, 1] },
  { title: 'Chosen / rejected log-prob trajectories', yLabel: 'log π(y|x)', keys: ['logps/chosen', 'logps/rejected'] },
  { title: 'Learning rate', yLabel: 'lr', keys: ['learning_rate'], yInclude: [0] },
  { title: 'Gradient norm', yLabel: '‖g‖ (before clipping)', keys: ['grad_norm'], yInclude: [0] },
  { title: 'Throughput', yLabel: 'tokens / s', keys: ['tokens/s'], yInclude: [0] },
];

const COLORS: Record<string, string> = {
  'rewards/chosen': '#16a34a', 'logps/chosen': '#16a34a', 'rewards/rejected': '#dc2626', 'logps/rejected': '#dc2626', 'rewards/margins': '#2563eb',
};

function panelChart(p: Panel, run: RunFolder): string {
  const series: Series[] = [];
  p.keys.forEach((k, i) => {
    const color = COLORS[k] ?? PALETTE[i % PALETTE.length]; // an eval_ curve takes its training curve's colour
    series.push({ name: k, points: seriesOf(run.train, k), color });
    series.push({ name: `eval_${k}`, points: seriesOf(run.evals, `eval_${k}`), color, dashed: true });
  });
  return lineChart({ title: p.title, xLabel: 'step', yLabel: p.yLabel, series, yInclude: p.yInclude, width: 460, height: 280 });
}

function rewardVsKl(run: RunFolder): { svg: string; points: [number, number][]; keys?: [string, string] } {
  for (const rows of [run.train, run.evals]) {
    const pre = rows === run.evals ? 'eval_' : '';
    const kk = KL_KEYS.map((k) => pre + k).find((k) => rows.some((r) => r[k] !== undefined));
    const rk = REWARD_KEYS.map((k) => pre + k).find((k) => rows.some((r) => r[k] !== undefined));
    if (!kk || !rk) continue;
    const points = rows.filter((r) => Number.isFinite(r[kk]) && Number.isFinite(r[rk])).map((r) => [r[kk], r[rk]] as [number, number]);
    if (points.length === 0) continue;
    return {
      svg: lineChart({ title: 'Reward vs KL over training', xLabel: kk, yLabel: rk, series: [{ name: `${rk} vs ${kk}`, points }], width: 460, height: 280 }),
      points,
      keys: [kk, rk],
    };
  }
  return {
    svg: emptyChart('Reward vs KL over training', 'this run logs no KL; `prefkit eval --ref` estimates it from samples', 460, 120),
    points: [],
  };
}

function lastValue(rows: MetricRow[], key: string): number | undefined {
  for (let i = rows.length - 1; i >= 0; i--) if (rows[i][key] !== undefined) return rows[i][key];
  return undefined;
}

export interface RunReport {
  html: string;
  json: Record<string, unknown>;
}

export function buildRunReport(dir: string): RunReport {
  const run = readRunFolder(dir);
  const lastStep = lastValue(run.train, 'step');
  const cards: Card[] = [
    { label: 'status', value: run.status, hint: run.partialLastLine ? 'a line is being written' : undefined },
    { label: 'method', value: run.command ?? 'unknown' },
    { label: 'last step', value: lastStep === undefined ? 'n/a' : String(lastStep), hint: `${run.train.length} training lines, ${run.evals.length} eval lines` },
  ];
  const loss = lastValue(run.train, 'loss');
  if (loss !== undefined) cards.push({ label: 'last loss', value: fmt(loss) });
  const acc = lastValue(run.evals, 'eval_rewards/accuracies') ?? lastValue(run.train, 'rewards/accuracies');
  if (acc !== undefined) cards.push({ label: 'reward accuracy (last)', value: pct(acc) });

  const used = new Set<string>(PANELS.flatMap((p) => p.keys));
  const kl = rewardVsKl(run);
  if (kl.keys) kl.keys.forEach((k) => used.add(k.replace(/^eval_/, '')));
  const others = keysOf(run.train).filter((k) => !used.has(k)).slice(0, 16);
  const otherEval = keysOf(run.evals).filter((k) => !used.has(k.replace(/^eval_/, '')) && !others.includes(k.replace(/^eval_/, ''))).slice(0, 8);
  const sections: Section[] = [
    {
      id: 'curves',
      title: 'Training curves',
      intro: 'Solid lines: training steps; dashed: evaluation lines (eval_ keys). A falling logps/chosen while the margin grows is likelihood displacement.',
      html: charts(...PANELS.map((p) => panelChart(p, run))),
    },
    { id: 'reward-kl', title: 'Reward vs KL', html: charts(kl.svg) },
  ];
  if (others.length + otherEval.length > 0) {
    sections.push({
      id: 'other',
      title: 'Other logged metrics',
      html: charts(
        ...others.map((k) => lineChart({ title: k, xLabel: 'step', series: [{ name: k, points: seriesOf(run.train, k), color: PALETTE[0] }, { name: `eval_${k}`, points: seriesOf(run.evals, `eval_${k}`), color: PALETTE[0], dashed: true }], width: 360, height: 240 })),
        ...otherEval.map((k) => lineChart({ title: k, xLabel: 'step', series: [{ name: k, points: seriesOf(run.evals, k), dashed: true }], width: 360, height: 240 })),
      ),
    });
  }
  const evalRows = run.evalFiles.map((f) => {
    try {
      const e = JSON.parse(readFileSync(f, 'utf8'));
      const m = e.metrics ?? {};
      return [f, m.ranking_accuracy?.policy?.summed ?? NaN, m.ranking_accuracy?.idealized?.summed ?? NaN, m.implicit_reward?.['rewards/accuracies'] ?? NaN, m.sampled_kl?.k1 ?? NaN];
    } catch (err) {
      return [f, `unreadable: ${(err as Error).message}`, NaN, NaN, NaN];
    }
  });
  if (evalRows.length) sections.push({ id: 'evals', title: 'Evaluations in this folder', intro: 'eval.json files written by `prefkit eval --out` inside the run folder.', html: table(['file', 'ranking acc.', 'idealized', 'rewards/accuracies', 'KL'], evalRows) });
  const problems = [...run.notes, ...run.badLines.map((b) => `metrics.jsonl:${b.line}: ${b.reason}`)];
  sections.push({
    id: 'run',
    title: 'Run',
    html:
      (run.summary ? '<h3>Summary</h3>' + keyValueTable(run.summary) : '<p>No summary.json yet: the run is still going (or stopped before writing it).</p>') +
      (run.config ? '<h3>Config</h3>' + keyValueTable(run.config) : '<p>No config.json.</p>') +
      (problems.length ? '<h3>Problems reading the folder</h3>' + table(['problem'], problems.map((p) => [p])) : ''),
  });
  const series: Record<string, [number, number][]> = {};
  for (const k of keysOf(run.train)) series[k] = seriesOf(run.train, k);
  for (const k of keysOf(run.evals)) series[k] = seriesOf(run.evals, k);
  const json = {
    kind: 'prefkit-run-report',
    version: 1,
    run_dir: dir,
    status: run.status,
    command: run.command ?? null,
    last_step: lastStep ?? null,
    partial_last_line: run.partialLastLine,
    bad_lines: run.badLines,
    notes: run.notes,
    config: run.config,
    summary: run.summary,
    series,
    reward_vs_kl: kl.keys ? { kl_key: kl.keys[0], reward_key: kl.keys[1], points: kl.points } : null,
    eval_files: run.evalFiles,
  };
  const html = htmlPage({
    title: `prefkit run report${run.command ? ` — ${run.command}` : ''}`,
    subtitle: `${dir} — ${run.status}${lastStep !== undefined ? ` at step ${lastStep}` : ''} — generated ${new Date().toISOString()}`,
    cards,
    sections,
    data: json,
  });
  return { html, json };
}

/** Writes RUN_DIR/report.html and RUN_DIR/report.json; returns their paths. */
export function writeRunReport(dir: string): { html: string; json: string; report: RunReport } {
  const report = buildRunReport(dir);
  const html = join(dir, 'report.html');
  const json = join(dir, 'report.json');
  writeFileSync(json, JSON.stringify(report.json, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 1) + '\n');
  writeFileSync(html, report.html);
  return { html, json, report };
}
