// Length statistics for `data inspect`: count, min, max, mean, percentiles and a histogram with
// power-of-two buckets ([0,1), [1,2), [2,4), [4,8), ...). Lengths are kept in a growable Int32Array
// (4 bytes per example) so percentiles are exact even for millions of rows.

export interface LengthSummary {
  count: number;
  min: number;
  max: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  /** Non-empty buckets only: lengths in [from, to). */
  histogram: { from: number; to: number; count: number }[];
}

export class LengthStats {
  private values = new Int32Array(1024);
  private n = 0;
  private sum = 0;

  add(length: number): void {
    if (this.n === this.values.length) {
      const grown = new Int32Array(this.values.length * 2);
      grown.set(this.values);
      this.values = grown;
    }
    this.values[this.n++] = length;
    this.sum += length;
  }

  get count(): number {
    return this.n;
  }

  summary(): LengthSummary | undefined {
    if (this.n === 0) return undefined;
    const v = this.values.slice(0, this.n).sort();
    const pct = (p: number) => v[Math.min(this.n - 1, Math.floor(p * this.n))];
    const buckets = new Map<number, number>();
    for (const x of v) {
      const b = x === 0 ? 0 : 32 - Math.clz32(x);
      buckets.set(b, (buckets.get(b) ?? 0) + 1);
    }
    const histogram = [...buckets.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([b, count]) => ({ from: b === 0 ? 0 : 2 ** (b - 1), to: 2 ** b, count }));
    return { count: this.n, min: v[0], max: v[this.n - 1], mean: this.sum / this.n, p50: pct(0.5), p90: pct(0.9), p99: pct(0.99), histogram };
  }
}

/** A one-line text bar chart of a histogram, for the CLI. */
export function histogramLines(s: LengthSummary, width = 40): string[] {
  const top = Math.max(...s.histogram.map((h) => h.count));
  return s.histogram.map((h) => {
    const bar = '#'.repeat(Math.max(1, Math.round((h.count / top) * width)));
    return `  [${String(h.from).padStart(6)}, ${String(h.to).padStart(6)})  ${String(h.count).padStart(8)}  ${bar}`;
  });
}
