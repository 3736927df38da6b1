// The frame every hand-written SVG chart shares: linear scales, "nice" tick values, axes with grid
// lines and labels, a legend, text escaping and number formatting. Charts (svg-charts.ts) draw
// their marks inside the plot area this returns. No scripts, no external fonts: plain SVG 1.1.

export const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777'];

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Short human form of a number: 3 significant digits, exponent for very large/small values. */
export function fmt(v: number): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? 'n/a' : v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e5 || a < 1e-3) return Number(v.toPrecision(3)).toExponential().replace('e+', 'e');
  return Number(v.toPrecision(3)).toString();
}

/** About `count` round tick values covering [lo, hi] (steps of 1, 2 or 5 × 10^k). */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step) out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

/** Data extent of the finite values, padded; [0, 1] when there are none. */
export function extent(values: number[], pad = 0.05, include: number[] = []): [number, number] {
  const v = [...values, ...include].filter(Number.isFinite);
  if (v.length === 0) return [0, 1];
  let lo = Math.min(...v);
  let hi = Math.max(...v);
  if (hi === lo) {
    const d = Math.abs(lo) > 0 ? Math.abs(lo) * 0.1 : 0.5;
    return [lo - d, hi + d];
  }
  const d = (hi - lo) * pad;
  lo -= d;
  hi += d;
  return [lo, hi];
}

export interface FrameOptions {
  title: string;
  xLabel?: string;
  yLabel?: string;
  width?: number;
  height?: number;
  xDomain: [number, number];
  yDomain: [number, number];
  /** Custom x tick labels (categorical axes): value -> label. */
  xTickLabels?: { value: number; label: string }[];
  legend?: { name: string; color: string; dashed?: boolean }[];
}

export interface Frame {
  x(v: number): number;
  y(v: number): number;
  /** Plot-area box. */
  left: number;
  right: number;
  top: number;
  bottom: number;
  /** Opens the <svg> and draws title, grid, axes and legend. */
  open: string;
  /** Draws nothing but closes the <svg>. */
  close: string;
}

export function frame(o: FrameOptions): Frame {
  const width = o.width ?? 560;
  const height = o.height ?? 320;
  const left = 62;
  const right = width - 16;
  // Legend items flow left to right and wrap; the plot starts below the last legend row.
  const legend = (o.legend ?? []).map((l) => ({ ...l, w: 34 + Math.min(200, l.name.length * 6.5) }));
  const placed: { item: (typeof legend)[number]; x: number; row: number }[] = [];
  let lx = left;
  let row = 0;
  for (const item of legend) {
    if (lx > left && lx + item.w > right) {
      lx = left;
      row++;
    }
    placed.push({ item, x: lx, row });
    lx += item.w;
  }
  const top = legend.length > 0 ? 52 + 14 * row : 34;
  const bottom = height - 44;
  const [x0, x1] = o.xDomain;
  const [y0, y1] = o.yDomain;
  const x = (v: number): number => left + ((v - x0) / (x1 - x0 || 1)) * (right - left);
  const y = (v: number): number => bottom - ((v - y0) / (y1 - y0 || 1)) * (bottom - top);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(o.title)}" class="chart">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" class="chart-title">${esc(o.title)}</text>`,
  ];
  for (const t of niceTicks(y0, y1, 5)) {
    const py = y(t).toFixed(1);
    parts.push(`<line x1="${left}" x2="${right}" y1="${py}" y2="${py}" class="grid"/>`);
    parts.push(`<text x="${left - 6}" y="${py}" text-anchor="end" dominant-baseline="middle" class="tick">${esc(fmt(t))}</text>`);
  }
  const xt = o.xTickLabels ?? niceTicks(x0, x1, 6).map((v) => ({ value: v, label: fmt(v) }));
  for (const t of xt) {
    const px = x(t.value).toFixed(1);
    parts.push(`<line x1="${px}" x2="${px}" y1="${bottom}" y2="${bottom + 4}" class="axis"/>`);
    parts.push(`<text x="${px}" y="${bottom + 16}" text-anchor="middle" class="tick">${esc(t.label)}</text>`);
  }
  parts.push(`<line x1="${left}" x2="${right}" y1="${bottom}" y2="${bottom}" class="axis"/>`);
  parts.push(`<line x1="${left}" x2="${left}" y1="${top}" y2="${bottom}" class="axis"/>`);
  if (o.xLabel) parts.push(`<text x="${(left + right) / 2}" y="${height - 8}" text-anchor="middle" class="label">${esc(o.xLabel)}</text>`);
  if (o.yLabel) {
    parts.push(`<text x="14" y="${(top + bottom) / 2}" text-anchor="middle" transform="rotate(-90 14 ${(top + bottom) / 2})" class="label">${esc(o.yLabel)}</text>`);
  }
  for (const { item: l, x: px, row: r } of placed) {
    const dash = l.dashed ? ' stroke-dasharray="5 3"' : '';
    const py = 38 + 14 * r;
    parts.push(`<line x1="${px}" x2="${px + 18}" y1="${py}" y2="${py}" stroke="${l.color}" stroke-width="3"${dash}/>`);
    parts.push(`<text x="${px + 22}" y="${py}" dominant-baseline="middle" class="legend">${esc(l.name)}</text>`);
  }
  return { x, y, left, right, top, bottom, open: parts.join('\n'), close: '</svg>' };
}

/** A chart-sized box saying why there is nothing to plot. */
export function emptyChart(title: string, why: string, width = 560, height = 120): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${esc(title)}" class="chart">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" class="chart-title">${esc(title)}</text>`,
    `<text x="${width / 2}" y="${height / 2 + 10}" text-anchor="middle" class="empty">${esc(why)}</text>`,
    '</svg>',
  ].join('\n');
}
