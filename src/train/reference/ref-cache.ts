// Reference log-probs precomputed once per dataset and cached on disk (DESIGN: "computed once and
// cached with the dataset, keyed by model + data fingerprint; the reference model is then not kept in
// memory"). The key is sha256(version, reference model weights + config, the scored rows' token ids,
// tokenization settings). A later run with the same key reads the file instead of running the model
// and says so; any change of model, data, tokenizer or max_length gives a new key, and the message
// names which part changed (from the sidecar JSON of the previous entry for the same data file).
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readSafetensors, writeSafetensors } from '../../io/safetensors/index.js';
import { writeFileAtomic } from '../../io/safetensors/atomic-write.js';
import type { SequenceBatch } from '../../data/index.js';
import { sequentialBatches } from '../loader.js';
import type { ReferenceProvider } from '../types.js';
import { hashJson } from './fingerprint.js';
import { rowsFingerprint, type RowSource } from './row-source.js';

const VERSION = 'prefkit-ref-logps-v1';

export interface RefCacheOptions {
  cacheDir: string;
  /** Scores rows with the reference (no gradients). */
  compute(seq: SequenceBatch): Float32Array;
  modelFingerprint: string;
  /** Tokenization settings and the data file(s): recorded and part of the key. */
  settings: Record<string, unknown>;
  batchSize: number;
  log?(line: string): void;
}

export interface RefCacheReport {
  dataset: string;
  status: 'hit' | 'computed';
  file: string;
  key: string;
  rows: number;
  seconds: number;
  /** On a computed entry: why an earlier entry for the same data did not match. */
  reason?: string;
}

interface Parts {
  version: string;
  model: string;
  rows: string;
  settings: Record<string, unknown>;
  dataset: string;
}

function differences(old: Parts, parts: Parts): string[] {
  const changes: string[] = [];
  if (old.model !== parts.model) changes.push('the reference model weights changed');
  for (const k of Object.keys({ ...old.settings, ...parts.settings })) {
    const a = JSON.stringify(old.settings[k]);
    const b = JSON.stringify(parts.settings[k]);
    if (a !== b) changes.push(`${k} changed from ${a} to ${b}`);
  }
  if (!changes.length && old.rows !== parts.rows) changes.push('the tokenized data changed (the data file was edited)');
  return changes;
}

/** What differs from the closest earlier cache entry for the same data file (fewest differences). */
function whatChanged(dir: string, parts: Parts): string | undefined {
  let best: string[] | null = null;
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.json')) continue;
    try {
      const p = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Parts;
      if (p.dataset !== parts.dataset || JSON.stringify(p.settings.data_files) !== JSON.stringify(parts.settings.data_files)) continue;
      const d = differences(p, parts);
      if (d.length && (!best || d.length < best.length)) best = d;
    } catch {
      // not ours, or half-written by another process: ignore
    }
  }
  return best?.join('; ');
}

/** One table per dataset, looked up by row key. */
export function precomputedReference(tables: Map<string, Float32Array>): ReferenceProvider {
  return {
    mode: 'precomputed',
    sequenceLogps(_seq, keys) {
      const table = tables.get(keys.dataset);
      if (!table) throw new Error(`reference cache: no precomputed log-probs for dataset '${keys.dataset}'`);
      return Float32Array.from(keys.keys, (k) => {
        const v = table[k];
        if (v === undefined || Number.isNaN(v)) throw new Error(`reference cache: row ${k} of '${keys.dataset}' was not precomputed`);
        return v;
      });
    },
  };
}

/** Loads or computes the reference log-probs of every source; returns the provider and what happened. */
export function precomputeReference(sources: RowSource[], o: RefCacheOptions): { provider: ReferenceProvider; reports: RefCacheReport[] } {
  mkdirSync(o.cacheDir, { recursive: true });
  const tables = new Map<string, Float32Array>();
  const reports: RefCacheReport[] = [];
  for (const src of sources) {
    const t0 = performance.now();
    const parts: Parts = { version: VERSION, model: o.modelFingerprint, rows: rowsFingerprint(src), settings: o.settings, dataset: src.dataset };
    const key = hashJson(parts).slice(0, 40);
    const file = join(o.cacheDir, `ref-logps-${key}.safetensors`);
    const n = src.size * src.slots;
    if (existsSync(file)) {
      const t = readSafetensors(file).tensors.logps;
      if (t && t.data.length === n) {
        tables.set(src.dataset, Float32Array.from(t.data));
        const r: RefCacheReport = { dataset: src.dataset, status: 'hit', file, key, rows: n, seconds: (performance.now() - t0) / 1000 };
        o.log?.(`reference log-probs (${src.dataset}): reused cache ${file} — ${n} rows, no reference forward pass`);
        reports.push(r);
        continue;
      }
    }
    const reason = whatChanged(o.cacheDir, parts);
    o.log?.(`reference log-probs (${src.dataset}): computing ${n} rows once${reason ? ` (cache miss: ${reason})` : ''}`);
    const table = new Float32Array(n).fill(NaN);
    for (const idx of sequentialBatches(src.size, o.batchSize)) {
      for (const { seq, keys } of src.rows(idx)) {
        const v = o.compute(seq);
        keys.keys.forEach((k, r) => (table[k] = v[r]));
      }
    }
    writeSafetensors(file, { logps: { dtype: 'F32', shape: [n], data: table } }, { format: 'prefkit', key });
    writeFileAtomic(join(o.cacheDir, `ref-logps-${key}.json`), (w) => w(new TextEncoder().encode(JSON.stringify(parts, null, 2) + '\n')));
    tables.set(src.dataset, table);
    const r: RefCacheReport = { dataset: src.dataset, status: 'computed', file, key, rows: n, seconds: (performance.now() - t0) / 1000 };
    if (reason) r.reason = reason;
    reports.push(r);
    o.log?.(`reference log-probs (${src.dataset}): cached to ${file} in ${r.seconds.toFixed(1)} s`);
  }
  return { provider: precomputedReference(tables), reports };
}
