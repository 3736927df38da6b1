// Progress on a terminal: one line redrawn in place with step, loss, reward accuracy, tokens/s and
// ETA. Not on a terminal (CI, a pipe, a log file): one plain line per logged step.
import type { MetricLine, TrainHooks } from '../types.js';

export interface ProgressOptions {
  tty: boolean;
  write(text: string): void;
  /** Terminal width for the bar (default 100). */
  columns?: number;
}

function duration(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '?';
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = Math.floor(s % 60);
  return h ? `${h}h${String(m).padStart(2, '0')}m` : m ? `${m}m${String(sec).padStart(2, '0')}s` : `${sec}s`;
}

const num = (v: number | undefined, d = 4): string => (v === undefined || !Number.isFinite(v) ? '-' : Number(v.toPrecision(d)).toString());

function accuracyOf(m: Record<string, number>): number | undefined {
  return m['rewards/accuracies'] ?? m.accuracy;
}

export type Progress = Pick<TrainHooks, 'onProgress' | 'onLog' | 'onEvalLog'> & {
  /** Prints a message line (below the bar on a terminal). */
  note(text: string): void;
  done(): void;
};

export function progressHooks(o: ProgressOptions): Progress {
  const t0 = performance.now();
  let first: number | null = null;
  let drawn = false;
  const eta = (step: number, max: number): number => {
    if (first === null) return NaN;
    const done = step - first;
    return done > 0 ? ((performance.now() - t0) / 1000 / done) * (max - step) : NaN;
  };
  return {
    onProgress(p) {
      first ??= p.step - 1;
      if (!o.tty) return;
      const width = 24;
      const filled = Math.round((p.step / p.maxSteps) * width);
      const acc = accuracyOf(p.metrics);
      const text = `step ${p.step}/${p.maxSteps} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] loss ${num(p.loss)}` +
        `${acc !== undefined ? ` acc ${num(acc, 3)}` : ''} ${Math.round(p.tokensPerSecond)} tok/s ETA ${duration(eta(p.step, p.maxSteps))}`;
      o.write(`\r${text.slice(0, (o.columns ?? 100) - 1).padEnd(Math.min(o.columns ?? 100, 100) - 1)}`);
      drawn = true;
    },
    onLog(line: MetricLine) {
      if (o.tty) return;
      const acc = accuracyOf(line);
      o.write(`step ${line.step} | epoch ${num(line.epoch, 3)} | loss ${num(line.loss)}${acc !== undefined ? ` | reward acc ${num(acc, 3)}` : ''}` +
        ` | lr ${num(line.learning_rate, 3)} | grad_norm ${num(line.grad_norm, 3)} | ${Math.round(line['tokens/s'] ?? 0)} tok/s\n`);
    },
    onEvalLog(line: MetricLine) {
      const parts = Object.entries(line).filter(([k]) => k !== 'step').slice(0, 6).map(([k, v]) => `${k} ${num(v)}`);
      o.write(`${o.tty && drawn ? '\n' : ''}eval at step ${line.step}: ${parts.join(' | ')}\n`);
      drawn = false;
    },
    note(text: string) {
      o.write(`${o.tty && drawn ? '\n' : ''}${text}\n`);
      drawn = false;
    },
    done() {
      if (o.tty && drawn) o.write('\n');
      drawn = false;
    },
  };
}
