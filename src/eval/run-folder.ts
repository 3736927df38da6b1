// Reads a training run folder, finished or still running:
//   config.json     resolved config + "command" (sft | dpo | kto | rm | ...)
//   metrics.jsonl   one JSON object per logged step (step, epoch, loss, learning_rate, grad_norm,
//                   "tokens/s", TRL names such as "rewards/chosen"); evaluation lines carry
//                   "eval_"-prefixed keys
//   summary.json    written when the run ends (its absence means the run is still going)
// Tolerant by design: a missing key is just a gap in a curve; a last line without its newline that
// does not parse is the line the trainer is writing (counted, not an error); any other bad line is
// listed with its line number (never dropped silently).

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export type MetricRow = Record<string, number>;

export interface RunFolder {
  dir: string;
  config: Record<string, unknown> | null;
  command?: string;
  summary: Record<string, unknown> | null;
  /** 'running' without summary.json; else its "status" (completed | interrupted), or 'finished'. */
  status: string;
  /** Training lines (keys without the eval_ prefix), in file order. */
  train: MetricRow[];
  /** Evaluation lines: the eval_ keys of each line that has any. */
  evals: MetricRow[];
  /** A last line still being written (no newline yet, not valid JSON). */
  partialLastLine: boolean;
  /** Lines that are not JSON objects, with why. */
  badLines: { line: number; reason: string }[];
  /** Other problems (unreadable config.json, ...). */
  notes: string[];
  /** eval.json files from `prefkit eval --out` inside the run folder (one level deep). */
  evalFiles: string[];
}

function readJsonObject(file: string, notes: string[]): Record<string, unknown> | null {
  if (!existsSync(file)) return null;
  try {
    const v = JSON.parse(readFileSync(file, 'utf8'));
    if (v && typeof v === 'object' && !Array.isArray(v)) return v as Record<string, unknown>;
    notes.push(`${file}: expected a JSON object`);
  } catch (e) {
    notes.push(`${file}: not valid JSON (${(e as Error).message.split('\n')[0]})`);
  }
  return null;
}

/** Numeric fields only; numeric strings ("NaN", "Infinity" as Python writes them) become numbers. */
function numericFields(obj: Record<string, unknown>): MetricRow {
  const out: MetricRow = {};
  for (const [k, v] of Object.entries(obj)) {
    if (typeof v === 'number') out[k] = v;
    else if (typeof v === 'boolean') out[k] = v ? 1 : 0;
    else if (v === 'NaN') out[k] = NaN;
    else if (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))) out[k] = Number(v);
  }
  return out;
}

/** Python's json module writes NaN / Infinity bare; make those lines parse. */
function parseLine(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return JSON.parse(text.replace(/:\s*(-?Infinity|NaN)\b/g, ': "$1"'));
  }
}

export function readRunFolder(dir: string): RunFolder {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new Error(`${dir}: not a folder (hint: pass the run folder a training command wrote, with metrics.jsonl)`);
  const notes: string[] = [];
  const config = readJsonObject(join(dir, 'config.json'), notes);
  const summary = readJsonObject(join(dir, 'summary.json'), notes);
  const metricsFile = join(dir, 'metrics.jsonl');
  const train: MetricRow[] = [];
  const evals: MetricRow[] = [];
  const badLines: RunFolder['badLines'] = [];
  let partialLastLine = false;
  if (existsSync(metricsFile)) {
    const text = readFileSync(metricsFile, 'utf8');
    const lines = text.split('\n');
    const endsClean = text.endsWith('\n');
    lines.forEach((raw, i) => {
      if (raw.trim() === '') return;
      const last = i === lines.length - 1;
      let v: unknown;
      try {
        v = parseLine(raw);
      } catch (e) {
        if (last && !endsClean) partialLastLine = true;
        else badLines.push({ line: i + 1, reason: `not valid JSON (${(e as Error).message.split('\n')[0]})` });
        return;
      }
      if (!v || typeof v !== 'object' || Array.isArray(v)) {
        badLines.push({ line: i + 1, reason: 'expected a JSON object' });
        return;
      }
      const row = numericFields(v as Record<string, unknown>);
      const ev: MetricRow = {};
      const tr: MetricRow = {};
      for (const [k, x] of Object.entries(row)) {
        if (k.startsWith('eval_')) ev[k] = x;
        else tr[k] = x;
      }
      if (Object.keys(ev).length > 0) {
        for (const k of ['step', 'epoch']) if (tr[k] !== undefined) ev[k] = tr[k];
        evals.push(ev);
        const rest = Object.keys(tr).filter((k) => k !== 'step' && k !== 'epoch');
        if (rest.length > 0) train.push(tr);
      } else {
        train.push(tr);
      }
    });
  } else {
    notes.push(`${metricsFile}: not found (no step has been logged yet)`);
  }
  const evalFiles: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (name === 'eval.json') evalFiles.push(p);
    else if (statSync(p).isDirectory() && existsSync(join(p, 'eval.json'))) evalFiles.push(join(p, 'eval.json'));
  }
  const command = typeof config?.command === 'string' ? config.command : undefined;
  const status = summary ? (typeof summary.status === 'string' ? summary.status : 'finished') : 'running';
  return { dir, config, command, summary, status, train, evals, partialLastLine, badLines, notes, evalFiles };
}

/** [x, y] points of one key, x = step (or the row index when a row has no step). */
export function seriesOf(rows: MetricRow[], key: string): [number, number][] {
  const out: [number, number][] = [];
  rows.forEach((r, i) => {
    const y = r[key];
    if (y === undefined || !Number.isFinite(y)) return;
    out.push([r.step ?? i, y]);
  });
  return out;
}

/** Every numeric key that occurs in the rows (step and epoch excluded), in first-seen order. */
export function keysOf(rows: MetricRow[]): string[] {
  const keys = new Set<string>();
  for (const r of rows) for (const k of Object.keys(r)) if (k !== 'step' && k !== 'epoch') keys.add(k);
  return [...keys];
}
