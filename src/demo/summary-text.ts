// The demo's terminal output: the results table (also in the README) and a closing summary in plain
// words — what was done, whether each claim held, and where the files are.
import type { PolicyMetrics } from './policy-eval.js';
import type { DemoResults } from './results.js';

const pct = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? '-' : `${(x * 100).toFixed(1)}%`);
const num = (x: number, d: number, sign = false): string => (Number.isFinite(x) ? `${sign && x >= 0 ? '+' : ''}${x.toFixed(d)}` : '-');

interface Row {
  cells: string[];
}

function metricCells(m: PolicyMetrics, refReward: number, isRef: boolean): string[] {
  const w = m.winRate;
  return [
    `${num(m.reward.mean, 3)} ±${num(m.reward.stderr, 3)}`,
    isRef ? '-' : num(m.reward.mean - refReward, 3, true),
    num(m.kl.k1, 2),
    `${pct(w.estimate)} [${pct(w.low)}, ${pct(w.high)}]`,
    pct(m.ranking.summed),
    m.idealized ? pct(m.idealized.summed) : '-',
  ];
}

/** The results as an aligned plain-text table. */
export function resultsTable(res: DemoResults): string {
  const head = ['policy', 'labels', 'reward ±se', 'Δ ref', 'KL nats', 'win rate vs ref [95% CI]', 'rank acc', 'ideal acc'];
  const refReward = res.reference.metrics.reward.mean;
  const rows: Row[] = [{ cells: ['reference (SFT)', '-', ...metricCells(res.reference.metrics, refReward, true)] }];
  for (const r of res.runs) rows.push({ cells: [r.label, r.condition, ...metricCells(r.metrics, refReward, false)] });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r.cells[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map((r) => line(r.cells))].join('\n');
}

const VERDICT_MARK: Record<string, string> = { held: 'HELD', 'partly held': 'PARTLY HELD', inconclusive: 'INCONCLUSIVE', 'did not hold': 'DID NOT HOLD', 'not tested': 'NOT TESTED' };

/** A few paragraphs in plain words. */
export function summaryText(res: DemoResults): string {
  const c = res.config;
  const d = res.data;
  const clean = res.runs.filter((r) => r.condition === 'clean').length;
  const noisy = res.runs.length - clean;
  const lines = [
    'What happened:',
    `  - Trained a ${res.reference.parameters.toLocaleString('en-US')}-parameter byte-level Llama-style model from scratch on ` +
      `${res.corpus.train_sentences.toLocaleString('en-US')} sentences (${c.sft.steps} steps, final loss ${res.reference.final_loss.toFixed(3)} nats/byte). This is the reference policy.`,
    `  - Sampled ${c.sampling.samples_per_prompt} completions for each of ${d.pairs.openings} held-out sentence openings, scored each sentence with the ` +
      `AFINN-165 lexicon, and kept the best and the worst as a pair: ${d.pairs.pairs} pairs (${d.pairs.openingsWithoutPair} openings had all-equal scores).`,
    `  - Trained ${clean} policies on these pairs and ${noisy} more after flipping ${d.flipped} labels (${Math.round(c.pairs.flip_fraction * 100)} %), ` +
      `${res.runs[0]?.steps ?? 0} steps each, starting from the reference.`,
    `  - Evaluated every policy on ${res.corpus.eval_openings} other held-out openings (${c.sampling.eval_samples_per_prompt} samples each): mean lexicon ` +
      'reward, sampled KL to the reference, win rate against the reference\'s samples, and ranking accuracy on held-out pairs.',
    '',
    'Claims:',
    ...res.claims.flatMap((cl) => [`  [${VERDICT_MARK[cl.verdict]}] ${cl.statement}.`, `      ${cl.evidence}.`]),
  ];
  return lines.join('\n');
}
