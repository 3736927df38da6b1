// `prefkit data filter-ches`: score every pair of a dataset with CHES under the model about to be
// trained (Razin et al., arXiv 2410.08847: filter with the model you will train, drop the pairs with
// the highest length-normalised CHES) and write the kept pairs plus a report.
//   OUT                      kept pairs in TRL's paired format (JSONL, or a JSON array for .json)
//   OUT-base.ches.json       per-pair scores, the cutoff, what was dropped (file:line)
//   OUT-base.ches.html       histogram of the scores with the cutoff, the dropped pairs
// Pairs the model could not score (a chat template that rewrites the prompt) are kept and listed: a
// filter removes only what it judged. Long prompts keep their last tokens (eval-data.ts).

import { writeFileSync } from 'node:fs';
import { createRecordWriter, formatPosition } from '../io/records/index.js';
import { loadModel } from '../models/load-save.js';
import { exampleToRecord, formatProblem, type ReadOptions } from '../data/index.js';
import { chesFromSums, selectByChes, type ChesScore, type ChesSelection } from './ches.js';
import { loadEvalData, tokenizeRows } from './eval-data.js';
import { charts, htmlPage, keyValueTable, table } from './html-page.js';
import { modelPass } from './model-pass.js';
import { resolveTokenizer } from './resolve-tokenizer.js';
import { summarize } from './stats.js';
import { histogramChart } from './svg-charts.js';
import { toJson } from './eval-report.js';

export interface FilterChesOptions {
  model: string;
  data: string;
  out: string;
  selection: ChesSelection;
  /** 'ln_ches' (default, the paper's filter) or 'ches'. */
  score?: 'ln_ches' | 'ches';
  tokenizer?: string;
  maxLength?: number;
  maxPromptLength?: number;
  batchSize?: number;
  read?: ReadOptions;
  log?: (line: string) => void;
}

export interface FilterChesReport {
  kind: 'prefkit-ches-filter';
  model: string;
  data: string;
  out: string;
  score: 'ln_ches' | 'ches';
  selection: ChesSelection;
  pairs: number;
  kept: number;
  dropped: number;
  unscored: { at: string; reason: string }[];
  /** Rows that failed validation, skipped with --skip-bad-rows (not in the kept set). */
  bad_rows: string[];
  cutoff: number;
  summary: ReturnType<typeof summarize>;
  dropped_pairs: { at: string; ches: number; ln_ches: number }[];
  per_pair: { at: string; ches: number | null; ln_ches: number | null; kept: boolean }[];
  files: { kept: string; report_json: string; report_html: string };
}

export function reportBase(out: string): string {
  return out.replace(/(\.jsonl|\.json)(\.gz)?$/i, '');
}

export async function filterByChes(opts: FilterChesOptions): Promise<FilterChesReport> {
  const log = opts.log ?? (() => {});
  const scoreKey = opts.score ?? 'ln_ches';
  const data = await loadEvalData(opts.data, { ...opts.read, keepTiedPairs: true });
  if (data.pairs.length === 0) throw new Error(`${opts.data}: no preference pairs to filter`);
  const model = loadModel(opts.model);
  const tok = resolveTokenizer(opts.model, model, opts.tokenizer);
  if (tok.note) log(tok.note);
  const { ids, report } = tokenizeRows(data.rows, tok.tokenizer, { maxLength: opts.maxLength ?? Math.min(1024, model.config.maxPositions), maxPromptLength: opts.maxPromptLength });
  const scored = data.pairs.map((p, i) => i).filter((i) => ids[data.pairs[i].chosen] && ids[data.pairs[i].rejected]);
  const rowsUsed = [...new Set(scored.flatMap((i) => [data.pairs[i].chosen, data.pairs[i].rejected]))];
  const slot = new Map(rowsUsed.map((r, k) => [r, k]));
  log(`CHES pass over ${rowsUsed.length} sequences (${scored.length} pairs) with ${opts.model}`);
  const pass = modelPass(model, rowsUsed.map((r) => ids[r]!), { batchSize: opts.batchSize, hiddenSums: true });
  const H = pass.hidden!;
  const scores = new Map<number, ChesScore>();
  for (const i of scored) {
    const c = slot.get(data.pairs[i].chosen)!;
    const r = slot.get(data.pairs[i].rejected)!;
    scores.set(i, chesFromSums(pass.hiddenSums!.subarray(c * H, (c + 1) * H), pass.hiddenSums!.subarray(r * H, (r + 1) * H), pass.tokens[c], pass.tokens[r]));
  }
  const values = scored.map((i) => scores.get(i)![scoreKey]);
  const sel = selectByChes(values, opts.selection);
  const droppedSet = new Set(sel.dropped.map((k) => scored[k]));

  const writer = createRecordWriter(opts.out);
  try {
    for (let i = 0; i < data.pairs.length; i++) if (!droppedSet.has(i)) await writer.write(exampleToRecord(data.pairs[i].example));
    await writer.close();
  } catch (e) {
    await writer.abort();
    throw e;
  }
  const at = (i: number): string => formatPosition(data.pairs[i].at);
  const base = reportBase(opts.out);
  const files = { kept: opts.out, report_json: `${base}.ches.json`, report_html: `${base}.ches.html` };
  const result: FilterChesReport = {
    kind: 'prefkit-ches-filter',
    model: opts.model,
    data: opts.data,
    out: opts.out,
    score: scoreKey,
    selection: opts.selection,
    pairs: data.pairs.length,
    kept: data.pairs.length - droppedSet.size,
    dropped: droppedSet.size,
    unscored: data.pairs
      .map((_, i) => i)
      .filter((i) => !scores.has(i))
      .map((i) => ({ at: at(i), reason: report.dropped.find((d) => d.at && formatPosition(d.at) === at(i))?.reason ?? 'dropped at tokenization' })),
    bad_rows: data.read.errors.map(formatProblem),
    cutoff: sel.cutoff,
    summary: summarize(values),
    dropped_pairs: sel.dropped.map((k) => ({ at: at(scored[k]), ...scores.get(scored[k])! })),
    per_pair: data.pairs.map((_, i) => ({ at: at(i), ches: scores.get(i)?.ches ?? null, ln_ches: scores.get(i)?.ln_ches ?? null, kept: !droppedSet.has(i) })),
    files,
  };
  writeFileSync(files.report_json, toJson(result));
  writeFileSync(files.report_html, filterReportHtml(result, values));
  return result;
}

function filterReportHtml(r: FilterChesReport, values: number[]): string {
  const label = r.score === 'ln_ches' ? 'LN-CHES' : 'CHES';
  return htmlPage({
    title: 'prefkit CHES filter',
    subtitle: `${r.data} scored with ${r.model}`,
    cards: [
      { label: 'pairs', value: String(r.pairs) },
      { label: 'kept', value: String(r.kept), hint: r.files.kept },
      { label: 'dropped', value: String(r.dropped), hint: `${label} above ${Number.isFinite(r.cutoff) ? r.cutoff.toPrecision(4) : 'n/a'}` },
    ],
    sections: [
      {
        id: 'scores',
        title: `${label} per pair`,
        intro: 'Pairs right of the cutoff were dropped: their chosen and rejected responses have similar hidden embeddings, so DPO on them tends to lower the chosen response\'s likelihood (Razin et al. 2024).',
        html: charts(histogramChart({ title: `${label} of every scored pair`, xLabel: label, series: [{ name: 'pairs', values }], vLines: Number.isFinite(r.cutoff) ? [{ x: r.cutoff, label: 'cutoff', color: '#dc2626' }] : [] })) + keyValueTable({ summary: r.summary }),
      },
      {
        id: 'dropped',
        title: 'Dropped pairs',
        html: table(['position', 'CHES', 'LN-CHES'], r.dropped_pairs.slice(0, 200).map((d) => [d.at, d.ches, d.ln_ches])) + (r.dropped_pairs.length > 200 ? `<p>… and ${r.dropped_pairs.length - 200} more (all in ${r.files.report_json}).</p>` : ''),
      },
      {
        id: 'unscored',
        title: 'Kept without a score',
        html: r.unscored.length ? table(['position', 'why'], r.unscored.map((u) => [u.at, u.reason])) : '<p>Every pair was scored.</p>',
      },
      {
        id: 'bad-rows',
        title: 'Rows skipped as invalid',
        html: r.bad_rows.length ? table(['problem'], r.bad_rows.map((b) => [b])) : '<p>None.</p>',
      },
    ],
    data: { ...r, per_pair: undefined },
  });
}
