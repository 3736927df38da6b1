// Four chart kinds as SVG strings, drawn on svg-frame.ts: lines (training curves, trajectories),
// overlaid histograms (margins, shifts, scores), scatter plots (per-pair and per-sample points,
// with optional reference lines) and grouped bars with optional interval whiskers (accuracies,
// win rate). Marks carry <title> elements, so hovering shows values without any script.

import { histogram } from './stats.js';
import { PALETTE, emptyChart, esc, extent, fmt, frame } from './svg-frame.js';

export interface Series {
  name: string;
  points: [number, number][];
  color?: string;
  dashed?: boolean;
}

interface Common {
  title: string;
  xLabel?: string;
  yLabel?: string;
  width?: number;
  height?: number;
}

const colorOf = (s: { color?: string }, i: number): string => s.color ?? PALETTE[i % PALETTE.length];
const finitePoints = (pts: [number, number][]): [number, number][] => pts.filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));

export interface LineChartOptions extends Common {
  series: Series[];
  /** Horizontal reference lines (e.g. y = 0). */
  hLines?: { y: number; label?: string; color?: string }[];
  yInclude?: number[];
}

export function lineChart(o: LineChartOptions): string {
  const series = o.series.map((s) => ({ ...s, points: finitePoints(s.points) })).filter((s) => s.points.length > 0);
  if (series.length === 0) return emptyChart(o.title, 'no data logged');
  const xs = series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = series.flatMap((s) => s.points.map((p) => p[1]));
  const f = frame({
    ...o,
    xDomain: extent(xs, 0.02),
    yDomain: extent(ys, 0.08, [...(o.yInclude ?? []), ...(o.hLines ?? []).map((h) => h.y)]),
    legend: series.map((s, i) => ({ name: s.name, color: colorOf(s, i), dashed: s.dashed })),
  });
  const parts = [f.open];
  for (const h of o.hLines ?? []) {
    const py = f.y(h.y).toFixed(1);
    parts.push(`<line x1="${f.left}" x2="${f.right}" y1="${py}" y2="${py}" stroke="${h.color ?? '#6b7280'}" stroke-dasharray="4 4"/>`);
    if (h.label) parts.push(`<text x="${f.right - 4}" y="${Number(py) - 5}" text-anchor="end" class="note">${esc(h.label)}</text>`);
  }
  series.forEach((s, i) => {
    const d = s.points.map(([a, b], k) => `${k ? 'L' : 'M'}${f.x(a).toFixed(1)},${f.y(b).toFixed(1)}`).join('');
    const dash = s.dashed ? ' stroke-dasharray="6 4"' : '';
    parts.push(`<path d="${d}" fill="none" stroke="${colorOf(s, i)}" stroke-width="2"${dash}><title>${esc(s.name)}</title></path>`);
    if (s.points.length <= 40) {
      for (const [a, b] of s.points) {
        parts.push(`<circle cx="${f.x(a).toFixed(1)}" cy="${f.y(b).toFixed(1)}" r="2.5" fill="${colorOf(s, i)}"><title>${esc(`${s.name}: ${fmt(a)}, ${fmt(b)}`)}</title></circle>`);
      }
    }
  });
  parts.push(f.close);
  return parts.join('\n');
}

export interface HistogramOptions extends Common {
  series: { name: string; values: number[]; color?: string }[];
  bins?: number;
  /** Vertical marker lines (e.g. x = 0, a cutoff). */
  vLines?: { x: number; label?: string; color?: string }[];
}

export function histogramChart(o: HistogramOptions): string {
  const series = o.series.map((s) => ({ ...s, values: s.values.filter(Number.isFinite) })).filter((s) => s.values.length > 0);
  if (series.length === 0) return emptyChart(o.title, 'no values');
  const all = series.flatMap((s) => s.values);
  const [lo, hi] = extent(all, 0.02, (o.vLines ?? []).map((v) => v.x));
  const bins = o.bins ?? 24;
  const hs = series.map((s) => histogram(s.values, bins, lo, hi));
  const maxCount = Math.max(1, ...hs.flatMap((h) => h.counts));
  const f = frame({
    ...o,
    yLabel: o.yLabel ?? 'count',
    xDomain: [lo, hi],
    yDomain: [0, maxCount * 1.08],
    legend: series.length > 1 ? series.map((s, i) => ({ name: s.name, color: colorOf(s, i) })) : undefined,
  });
  const parts = [f.open];
  hs.forEach((h, i) => {
    const color = colorOf(series[i], i);
    h.counts.forEach((c, b) => {
      if (c === 0) return;
      const x0 = f.x(h.edges[b]);
      const x1 = f.x(h.edges[b + 1]);
      const y = f.y(c);
      const tip = `${series[i].name}: ${c} in [${fmt(h.edges[b])}, ${fmt(h.edges[b + 1])})`;
      parts.push(
        `<rect x="${x0.toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(0.5, x1 - x0 - 1).toFixed(1)}" height="${(f.bottom - y).toFixed(1)}" fill="${color}" fill-opacity="${series.length > 1 ? 0.45 : 0.75}"><title>${esc(tip)}</title></rect>`,
      );
    });
  });
  for (const v of o.vLines ?? []) {
    const px = f.x(v.x).toFixed(1);
    parts.push(`<line x1="${px}" x2="${px}" y1="${f.top}" y2="${f.bottom}" stroke="${v.color ?? '#111827'}" stroke-dasharray="4 3" stroke-width="1.5"/>`);
    if (v.label) parts.push(`<text x="${Number(px) + 4}" y="${f.top + 12}" class="note">${esc(v.label)}</text>`);
  }
  parts.push(f.close);
  return parts.join('\n');
}

export interface ScatterOptions extends Common {
  series: Series[];
  /** Draw y = x. */
  diagonal?: boolean;
  /** Axis lines through x = 0 and y = 0. */
  zeroLines?: boolean;
  /** Larger labelled markers (e.g. means). */
  markers?: { x: number; y: number; label: string; color?: string }[];
}

export function scatterChart(o: ScatterOptions): string {
  const series = o.series.map((s) => ({ ...s, points: finitePoints(s.points) })).filter((s) => s.points.length > 0);
  const markers = (o.markers ?? []).filter((m) => Number.isFinite(m.x) && Number.isFinite(m.y));
  if (series.length === 0 && markers.length === 0) return emptyChart(o.title, 'no points');
  const xs = [...series.flatMap((s) => s.points.map((p) => p[0])), ...markers.map((m) => m.x)];
  const ys = [...series.flatMap((s) => s.points.map((p) => p[1])), ...markers.map((m) => m.y)];
  let xd = extent(xs, 0.06, o.zeroLines ? [0] : []);
  let yd = extent(ys, 0.06, o.zeroLines ? [0] : []);
  if (o.diagonal) {
    const lo = Math.min(xd[0], yd[0]);
    const hi = Math.max(xd[1], yd[1]);
    xd = [lo, hi];
    yd = [lo, hi];
  }
  const f = frame({ ...o, xDomain: xd, yDomain: yd, legend: series.map((s, i) => ({ name: s.name, color: colorOf(s, i) })) });
  const parts = [f.open];
  if (o.zeroLines) {
    parts.push(`<line x1="${f.x(0).toFixed(1)}" x2="${f.x(0).toFixed(1)}" y1="${f.top}" y2="${f.bottom}" class="zero"/>`);
    parts.push(`<line x1="${f.left}" x2="${f.right}" y1="${f.y(0).toFixed(1)}" y2="${f.y(0).toFixed(1)}" class="zero"/>`);
  }
  if (o.diagonal) parts.push(`<line x1="${f.x(xd[0]).toFixed(1)}" y1="${f.y(xd[0]).toFixed(1)}" x2="${f.x(xd[1]).toFixed(1)}" y2="${f.y(xd[1]).toFixed(1)}" class="zero"/>`);
  series.forEach((s, i) => {
    for (const [a, b] of s.points) {
      parts.push(`<circle cx="${f.x(a).toFixed(1)}" cy="${f.y(b).toFixed(1)}" r="3" fill="${colorOf(s, i)}" fill-opacity="0.6"><title>${esc(`${s.name}: (${fmt(a)}, ${fmt(b)})`)}</title></circle>`);
    }
  });
  markers.forEach((m, i) => {
    const cx = f.x(m.x).toFixed(1);
    const cy = f.y(m.y).toFixed(1);
    const color = m.color ?? PALETTE[(i + 3) % PALETTE.length];
    parts.push(`<rect x="${Number(cx) - 6}" y="${Number(cy) - 6}" width="12" height="12" fill="${color}" stroke="#111827"><title>${esc(`${m.label}: (${fmt(m.x)}, ${fmt(m.y)})`)}</title></rect>`);
    parts.push(`<text x="${Number(cx) + 9}" y="${Number(cy) - 8}" class="note">${esc(m.label)}</text>`);
  });
  parts.push(f.close);
  return parts.join('\n');
}

export interface BarGroup {
  label: string;
  bars: { name: string; value: number; low?: number; high?: number }[];
}

export interface BarChartOptions extends Common {
  groups: BarGroup[];
  yDomain?: [number, number];
}

export function barChart(o: BarChartOptions): string {
  const groups = o.groups.filter((g) => g.bars.some((b) => Number.isFinite(b.value)));
  if (groups.length === 0) return emptyChart(o.title, 'no values');
  const names = [...new Set(groups.flatMap((g) => g.bars.map((b) => b.name)))];
  const values = groups.flatMap((g) => g.bars.flatMap((b) => [b.value, b.low ?? b.value, b.high ?? b.value]));
  const f = frame({
    ...o,
    xDomain: [0, groups.length],
    yDomain: o.yDomain ?? extent(values, 0.1, [0]),
    xTickLabels: groups.map((g, i) => ({ value: i + 0.5, label: g.label })),
    legend: names.map((n, i) => ({ name: n, color: PALETTE[i % PALETTE.length] })),
  });
  const parts = [f.open];
  const slot = (f.x(1) - f.x(0)) * 0.8;
  const w = slot / Math.max(1, names.length);
  groups.forEach((g, gi) => {
    g.bars.forEach((b) => {
      if (!Number.isFinite(b.value)) return;
      const k = names.indexOf(b.name);
      const x0 = f.x(gi) + (f.x(1) - f.x(0)) * 0.1 + k * w;
      const y0 = f.y(Math.max(0, b.value));
      const y1 = f.y(Math.min(0, b.value));
      const tip = `${g.label} — ${b.name}: ${fmt(b.value)}${b.low !== undefined ? ` [${fmt(b.low)}, ${fmt(b.high ?? b.value)}]` : ''}`;
      parts.push(`<rect x="${x0.toFixed(1)}" y="${y0.toFixed(1)}" width="${(w - 2).toFixed(1)}" height="${Math.max(0.5, y1 - y0).toFixed(1)}" fill="${PALETTE[k % PALETTE.length]}"><title>${esc(tip)}</title></rect>`);
      parts.push(`<text x="${(x0 + w / 2 - 1).toFixed(1)}" y="${(y0 - 4).toFixed(1)}" text-anchor="middle" class="note">${esc(fmt(b.value))}</text>`);
      if (b.low !== undefined && b.high !== undefined && Number.isFinite(b.low) && Number.isFinite(b.high)) {
        const cx = (x0 + w / 2 - 1).toFixed(1);
        parts.push(`<line x1="${cx}" x2="${cx}" y1="${f.y(b.low).toFixed(1)}" y2="${f.y(b.high).toFixed(1)}" stroke="#111827" stroke-width="1.5"/>`);
        for (const v of [b.low, b.high]) parts.push(`<line x1="${Number(cx) - 5}" x2="${Number(cx) + 5}" y1="${f.y(v).toFixed(1)}" y2="${f.y(v).toFixed(1)}" stroke="#111827" stroke-width="1.5"/>`);
      }
    });
  });
  parts.push(f.close);
  return parts.join('\n');
}
