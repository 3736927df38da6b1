// Enforces the layer table of DESIGN.md: each folder of src/ imports only from the layers below it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const src = join(root, 'src');

/** Which src/ folders each layer may import (besides itself). */
const ALLOWED: Record<string, string[]> = {
  tensor: [],
  nn: ['tensor'],
  logprobs: ['tensor'],
  optim: ['tensor'],
  models: ['tensor', 'nn', 'io'],
  tokenizers: [],
  io: [],
  data: ['tokenizers', 'io', 'tensor'],
  losses: ['tensor'],
  // eval also reads data files (io) and tokenizes text for `prefkit score` / `generate` (tokenizers);
  // nn for parameter counts.
  eval: ['tensor', 'logprobs', 'losses', 'data', 'models', 'io', 'tokenizers', 'nn'],
  train: ['tensor', 'nn', 'logprobs', 'optim', 'models', 'io', 'tokenizers', 'data', 'losses', 'eval', 'config'],
  config: ['losses'],
  // bench is not in DESIGN.md's table: it measures the layers below cli and is called only by cli.
  bench: ['tensor', 'nn', 'logprobs', 'optim', 'models', 'losses', 'io', 'tokenizers', 'data', 'train', 'eval'],
  // demo (the `prefkit demo` experiment, issue 8) composes every layer below cli.
  demo: ['tensor', 'nn', 'logprobs', 'optim', 'models', 'io', 'tokenizers', 'data', 'losses', 'eval', 'config', 'train'],
  // cli also reads the loss registry directly for `prefkit loss list|check` (names, docs, golden checks)
  // and loads tokenizers for `prefkit data` commands.
  cli: ['config', 'train', 'eval', 'data', 'bench', 'losses', 'tokenizers', 'demo'],
};

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

test('every src/ import respects the layer table', () => {
  const violations: string[] = [];
  for (const file of tsFiles(src)) {
    const layer = relative(src, file).split('/')[0];
    if (layer.endsWith('.ts')) continue; // src/index.ts re-exports everything
    const allowed = ALLOWED[layer];
    assert.ok(allowed, `folder src/${layer} is not in the layer table of test/layers.test.ts`);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"](\.[^'"]+)['"]/g)) {
      const target = relative(src, resolve(dirname(file), m[1])).split('/')[0];
      if (target.startsWith('..') || target === layer || target.endsWith('.js')) continue;
      if (!allowed.includes(target)) violations.push(`${relative(root, file)} imports ${m[1]} (layer '${target}')`);
    }
  }
  assert.deepEqual(violations, [], `layer violations:\n${violations.join('\n')}`);
});
