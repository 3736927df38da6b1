// Human-readable text for inspect / validate / convert reports (the CLI prints these lines; --json
// prints the report objects instead).

import { formatPosition } from '../io/records/index.js';
import type { ConvertReport } from './convert-file.js';
import type { InspectReport } from './inspect-file.js';
import { histogramLines } from './length-stats.js';
import { formatProblem, type ReadReport } from './read-examples.js';
import { SOURCES } from './sources/index.js';
import type { RowProblem } from './example-types.js';

const FORMAT_NAMES = { jsonl: 'JSON Lines', json: 'JSON array', parquet: 'Parquet' } as const;

export function formatInspectReport(r: InspectReport, opts: { maxListed?: number; lengths?: boolean } = {}): string[] {
  const lines: string[] = [];
  const fk = r.fileKind ? `${FORMAT_NAMES[r.fileKind.format]}${r.fileKind.gzip ? ', gzip' : ''}` : 'unknown';
  lines.push(`file      ${r.file} (${fk})`);
  if (r.source) lines.push(`source    ${r.source}: ${SOURCES[r.source].summary}`);
  lines.push(
    `examples  ${r.examples} ${r.kind ?? ''} from ${r.records} records; ${r.badRows} bad row${r.badRows === 1 ? '' : 's'}`,
  );
  if (r.examples > 0) {
    lines.push(`style     standard ${r.styles.standard}, conversational ${r.styles.conversational}; prompt explicit ${r.prompts.explicit}, implicit ${r.prompts.implicit}`);
  }
  const fields = Object.entries(r.fields);
  if (fields.length) lines.push(`fields    ${fields.map(([k, n]) => `${k} ${n}`).join(', ')}`);
  for (const [k, n] of Object.entries(r.counts)) lines.push(`counted   ${k}: ${n}`);
  if (opts.lengths !== false) {
    for (const [name, s] of Object.entries(r.lengths)) {
      if (!s) continue;
      lines.push(
        `length of ${name} (${name === 'completions per prompt' ? 'count' : r.lengthUnit}): min ${s.min}, p50 ${s.p50}, p90 ${s.p90}, p99 ${s.p99}, max ${s.max}, mean ${s.mean.toFixed(1)}`,
      );
      lines.push(...histogramLines(s));
    }
  }
  lines.push(...formatProblems(r.errors, r.warnings, opts.maxListed));
  for (const h of r.hints) lines.push(`hint: ${h}`);
  return lines;
}

export function formatProblems(errors: RowProblem[], warnings: RowProblem[], maxListed = Infinity): string[] {
  const lines: string[] = [];
  if (errors.length) {
    const rows = new Set(errors.map((e) => formatPosition(e.at))).size;
    lines.push(`errors (${errors.length} in ${rows} row${rows === 1 ? '' : 's'}):`);
    for (const e of errors.slice(0, maxListed)) lines.push(`  ${formatProblem(e)}`);
    if (errors.length > maxListed) lines.push(`  ... and ${errors.length - maxListed} more (--max-listed to see them)`);
  }
  if (warnings.length) {
    lines.push(`warnings (${warnings.length}, rows kept):`);
    for (const w of warnings.slice(0, maxListed)) lines.push(`  ${formatProblem(w)}`);
    if (warnings.length > maxListed) lines.push(`  ... and ${warnings.length - maxListed} more`);
  }
  return lines;
}

export function formatConvertReport(r: ConvertReport, maxListed = Infinity): string[] {
  const read: ReadReport = r.input;
  const lines = [
    `read      ${read.file}: ${read.records} records${read.source ? ` (${read.source})` : ''}, ${read.examples} examples, ${read.badRows} bad row${read.badRows === 1 ? '' : 's'}${read.badRows ? ' skipped' : ''}`,
    `wrote     ${r.output}: ${r.written} records (--to ${r.target})`,
  ];
  for (const [k, n] of Object.entries(read.counts)) lines.push(`counted   ${k}: ${n}`);
  if (r.pairing) {
    const p = r.pairing;
    lines.push(`pairs     ${p.pairs} from ${p.prompts} prompts; ${p.tiesLeftOut} tied combinations left out; ${p.promptsWithoutPairs} prompts gave no pair`);
  }
  if (r.tiesLeftOut) lines.push(`counted   tie pairs not written as unpaired rows: ${r.tiesLeftOut}`);
  lines.push(...formatProblems(read.errors, read.warnings, maxListed));
  return lines;
}
