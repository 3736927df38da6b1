// The self-contained HTML page both reports use: inline CSS, inline SVG charts, no scripts that run,
// no fonts or images from anywhere. The numbers travel with the page as a JSON block
// (<script type="application/json">, which browsers do not execute) and in a sibling .json file.

import { esc, fmt } from './svg-frame.js';

export interface Section {
  id: string;
  title: string;
  /** One or two sentences on what the section shows (plain text). */
  intro?: string;
  /** Trusted HTML built by the report code (charts, tables). */
  html: string;
}

export interface PageOptions {
  title: string;
  subtitle?: string;
  cards?: Card[];
  sections: Section[];
  /** Embedded as JSON for scripts and people who view the source. */
  data?: unknown;
}

export interface Card {
  label: string;
  value: string;
  hint?: string;
}

const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; color: #111827; background: #f3f4f6; }
header { background: #111827; color: #f9fafb; padding: 18px 28px; }
header h1 { margin: 0 0 4px; font-size: 22px; }
header p { margin: 0; color: #d1d5db; word-break: break-all; }
nav { padding: 8px 28px; background: #e5e7eb; position: sticky; top: 0; z-index: 1; }
nav a { margin-right: 14px; color: #1f2937; text-decoration: none; font-weight: 600; font-size: 13px; }
main { padding: 18px 28px 40px; max-width: 1400px; }
section { background: #ffffff; border-radius: 8px; padding: 14px 18px; margin: 0 0 18px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
section h2 { margin: 0 0 6px; font-size: 17px; }
section p.intro { margin: 0 0 10px; color: #4b5563; max-width: 980px; }
.charts { display: flex; flex-wrap: wrap; gap: 12px; }
.chart { max-width: 100%; height: auto; border: 1px solid #e5e7eb; border-radius: 6px; }
.chart-title { font-size: 13px; font-weight: 600; fill: #111827; }
.tick { font-size: 10px; fill: #4b5563; }
.label { font-size: 11px; fill: #374151; }
.legend { font-size: 11px; fill: #1f2937; }
.note { font-size: 10px; fill: #374151; }
.empty { font-size: 12px; fill: #6b7280; }
.grid { stroke: #e5e7eb; stroke-width: 1; }
.axis { stroke: #6b7280; stroke-width: 1; }
.zero { stroke: #9ca3af; stroke-width: 1; stroke-dasharray: 3 3; }
.cards { display: flex; flex-wrap: wrap; gap: 10px; margin: 0 0 18px; }
.card { background: #ffffff; border-radius: 8px; padding: 10px 14px; min-width: 170px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
.card .v { font-size: 22px; font-weight: 700; }
.card .l { color: #4b5563; font-size: 12px; }
.card .h { color: #6b7280; font-size: 11px; }
table { border-collapse: collapse; margin: 6px 0; font-size: 13px; }
th, td { border-bottom: 1px solid #e5e7eb; padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: #f9fafb; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.text { max-width: 460px; white-space: pre-wrap; word-break: break-word; }
code { background: #f3f4f6; padding: 0 3px; border-radius: 3px; }
`;

export function htmlPage(o: PageOptions): string {
  const nav = o.sections.map((s) => `<a href="#${esc(s.id)}">${esc(s.title)}</a>`).join('');
  const cards = o.cards && o.cards.length
    ? `<div class="cards">${o.cards.map((c) => `<div class="card"><div class="l">${esc(c.label)}</div><div class="v">${esc(c.value)}</div>${c.hint ? `<div class="h">${esc(c.hint)}</div>` : ''}</div>`).join('')}</div>`
    : '';
  const sections = o.sections
    .map((s) => `<section id="${esc(s.id)}"><h2>${esc(s.title)}</h2>${s.intro ? `<p class="intro">${esc(s.intro)}</p>` : ''}${s.html}</section>`)
    .join('\n');
  const data = o.data === undefined ? '' : `<script type="application/json" id="report-data">${jsonForHtml(o.data)}</script>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(o.title)}</title>
<link rel="icon" href="data:,">
<style>${CSS}</style>
</head>
<body>
<header><h1>${esc(o.title)}</h1>${o.subtitle ? `<p>${esc(o.subtitle)}</p>` : ''}</header>
<nav>${nav}</nav>
<main>
${cards}
${sections}
</main>
${data}
</body>
</html>
`;
}

/** JSON that cannot close the surrounding <script> element (every '<' escaped), NaN/∞ as null. */
export function jsonForHtml(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)).replace(/</g, '\\u003c');
}

export function charts(...svgs: string[]): string {
  return `<div class="charts">${svgs.join('\n')}</div>`;
}

/** A two-column table of name -> value (numbers formatted, nested objects flattened with '.'). */
export function keyValueTable(obj: Record<string, unknown>, prefix = ''): string {
  const rows: string[] = [];
  const walk = (o: Record<string, unknown>, p: string): void => {
    for (const [k, v] of Object.entries(o)) {
      const name = p ? `${p}.${k}` : k;
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) walk(v as Record<string, unknown>, name);
      else rows.push(`<tr><th>${esc(name)}</th><td class="${typeof v === 'number' ? 'num' : 'text'}">${esc(cell(v))}</td></tr>`);
    }
  };
  walk(obj, prefix);
  return `<table>${rows.join('')}</table>`;
}

export function cell(v: unknown): string {
  if (typeof v === 'number') return fmt(v);
  if (v === null || v === undefined) return 'n/a';
  if (Array.isArray(v)) return v.length > 12 ? `[${v.slice(0, 12).map(cell).join(', ')}, … ${v.length} items]` : `[${v.map(cell).join(', ')}]`;
  if (typeof v === 'object') {
    const entries = Object.entries(v as Record<string, unknown>).map(([k, x]) => `${k}: ${cell(x)}`);
    return `{${entries.join(', ')}}`;
  }
  return String(v);
}

/** A table with a header row; cells are escaped text (numbers formatted). */
export function table(head: string[], rows: unknown[][]): string {
  const th = head.map((h) => `<th>${esc(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((v) => `<td class="${typeof v === 'number' ? 'num' : 'text'}">${esc(cell(v))}</td>`).join('')}</tr>`).join('');
  return `<table><tr>${th}</tr>${body}</table>`;
}

/** "61.3 %" from a share in [0, 1]. */
export function pct(v: number | undefined): string {
  return v === undefined || !Number.isFinite(v) ? 'n/a' : `${(v * 100).toFixed(1)} %`;
}
