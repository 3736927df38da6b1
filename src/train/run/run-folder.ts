// The run folder a user can trust: config.json (the resolved config + command), metrics.jsonl (one
// JSON object per logged step, TRL names; evaluation lines separate, eval_ prefix), checkpoints/,
// final/ and summary.json. On resume, metric lines after the checkpoint's step (written before a
// crash) are dropped, so the file reads as one uninterrupted run.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../io/safetensors/atomic-write.js';
import type { MetricLine } from '../types.js';
import { writeJsonAtomic } from '../checkpoint/write-checkpoint.js';

export const RUN_FILES = {
  config: 'config.json',
  metrics: 'metrics.jsonl',
  summary: 'summary.json',
  checkpoints: 'checkpoints',
  final: 'final',
} as const;

export interface MetricsSink {
  write(line: MetricLine): void;
  /** Flushes to disk (at checkpoints). */
  sync(): void;
  close(): void;
}

/** Drops non-finite values (JSON has no NaN); keeps key order. */
function clean(line: MetricLine): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(line)) if (Number.isFinite(v)) out[k] = v;
  return out;
}

export function openMetricsSink(file: string): MetricsSink {
  const fd = openSync(file, 'a');
  let open = true;
  return {
    write(line) {
      writeSync(fd, JSON.stringify(clean(line)) + '\n');
    },
    sync() {
      if (open) fsyncSync(fd);
    },
    close() {
      if (!open) return;
      open = false;
      fsyncSync(fd);
      closeSync(fd);
    },
  };
}

/** Reads metrics.jsonl (lines that do not parse — a line cut by a crash — are skipped). */
export function readMetricLines(file: string): MetricLine[] {
  if (!existsSync(file)) return [];
  const out: MetricLine[] = [];
  for (const text of readFileSync(file, 'utf8').split('\n')) {
    if (!text.trim()) continue;
    try {
      out.push(JSON.parse(text) as MetricLine);
    } catch {
      // cut short by a crash
    }
  }
  return out;
}

/** Keeps only the lines of steps <= step (atomically); returns how many were dropped. */
export function truncateMetrics(file: string, step: number): number {
  const lines = readMetricLines(file);
  const kept = lines.filter((l) => l.step <= step);
  const text = kept.map((l) => JSON.stringify(l) + '\n').join('');
  writeFileAtomic(file, (w) => w(new TextEncoder().encode(text)));
  return lines.length - kept.length;
}

/** Creates the run folder and writes config.json; refuses to mix a new run into an old run's folder. */
export function prepareRunFolder(dir: string, config: Record<string, unknown>, resuming: boolean): void {
  mkdirSync(dir, { recursive: true });
  const metrics = join(dir, RUN_FILES.metrics);
  if (!resuming && readMetricLines(metrics).length > 0) {
    throw new Error(`output_dir ${dir} already holds a run (metrics.jsonl has lines); continue it with ` +
      '--resume_from_checkpoint true, or choose another output_dir');
  }
  if (!resuming && existsSync(metrics)) writeFileAtomic(metrics, () => {});
  writeJsonAtomic(join(dir, RUN_FILES.config), config);
}
