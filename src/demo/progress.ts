// Progress of the demo's stages. On a terminal: one line per stage, redrawn in place, with a bar,
// counts, an ETA from the stage's own pace and a short status (loss, ...). Elsewhere (CI, a pipe, a
// log file): a plain line when a stage starts, at most every 25 % of it, and when it ends.
// A silent reporter (tests, library use) drops everything.

export interface ProgressSink {
  tty: boolean;
  write(text: string): void;
  columns?: number;
}

export interface StageBar {
  /** Advance to `done` units (of the stage's total), with an optional short status. */
  update(done: number, status?: string): void;
  /** Close the stage with a closing remark (e.g. "loss 1.42"). */
  finish(remark?: string): void;
}

export interface DemoProgress {
  stage(title: string, total: number, unit: string): StageBar;
  /** A message line between stages. */
  note(text: string): void;
}

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const m = Math.floor(seconds / 60);
  const s = Math.floor(seconds % 60);
  return m ? `${m}m${String(s).padStart(2, '0')}s` : `${seconds < 10 ? seconds.toFixed(1) : s}s`;
}

export const silentProgress: DemoProgress = {
  stage: () => ({ update() {}, finish() {} }),
  note() {},
};

export function createProgress(sink: ProgressSink, now: () => number = () => performance.now()): DemoProgress {
  // Stay inside the terminal so that \r redraws one line (no columns known, e.g. under `script`: 100).
  const width = Math.max(40, Math.min(sink.columns || 100, 160) - 1);
  let open = false;
  return {
    note(text) {
      if (open) sink.write('\n');
      open = false;
      sink.write(`${text}\n`);
    },
    stage(title, total, unit) {
      const t0 = now();
      let lastQuarter = 0;
      let done = 0;
      let status = '';
      const line = (final: string | null): string => {
        const elapsed = (now() - t0) / 1000;
        const barWidth = 16;
        const filled = total > 0 ? Math.round((Math.min(done, total) / total) * barWidth) : barWidth;
        const eta = done > 0 && total > done ? (elapsed / done) * (total - done) : NaN;
        const tail = final !== null
          ? `done in ${formatDuration(elapsed)}${final ? ` · ${final}` : ''}`
          : `${done}/${total} ${unit} · ETA ${done > 0 ? formatDuration(eta) : '?'}${status ? ` · ${status}` : ''} · ${formatDuration(elapsed)} so far`;
        return `${title} [${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}] ${tail}`;
      };
      if (sink.tty) {
        sink.write(`\r${line(null).slice(0, width).padEnd(width)}`);
        open = true;
      } else {
        sink.write(`${title}: ${total} ${unit}\n`);
      }
      return {
        update(n, s) {
          done = n;
          if (s !== undefined) status = s;
          if (sink.tty) {
            sink.write(`\r${line(null).slice(0, width).padEnd(width)}`);
            open = true;
          } else if (total > 0) {
            const quarter = Math.floor((4 * done) / total);
            if (quarter > lastQuarter && done < total) {
              lastQuarter = quarter;
              sink.write(`${title}: ${done}/${total} ${unit}, ETA ${formatDuration((((now() - t0) / 1000) / done) * (total - done))}${status ? ` · ${status}` : ''}\n`);
            }
          }
        },
        finish(remark) {
          done = total;
          if (sink.tty) {
            sink.write(`\r${line(remark ?? '').slice(0, width).padEnd(width)}\n`);
            open = false;
          } else {
            sink.write(`${title}: done in ${formatDuration((now() - t0) / 1000)}${remark ? ` · ${remark}` : ''}\n`);
          }
        },
      };
    },
  };
}
