// `prefkit demo [--quick | --full] [--out DIR] [--seed N] [--config FILE]`: argv -> demo config ->
// runDemo (src/demo). No ML logic here: the demo layer runs the experiment and writes the files.
import { readFileSync } from 'node:fs';
import type { Command } from '../command.js';
import { UsageError } from '../command.js';
import { parseOptions } from '../args.js';
import type { DemoPreset } from '../../demo/index.js';

const USAGE = `usage: prefkit demo [--quick | --full] [--out DIR] [--seed N] [--config FILE]

The DPO paper's controlled-sentiment experiment, self-contained and on the CPU:
  1. trains a small byte-level Llama-style model from scratch on a bundled English corpus (the reference);
  2. samples completions of held-out sentence openings and scores them with the AFINN-165 sentiment lexicon;
  3. builds preference pairs (best vs worst) and writes them as TRL-format JSONL;
  4. runs DPO at several beta, IPO, cDPO and rDPO, on clean labels and with 30 % of the labels flipped;
  5. reports reward vs KL, win rate and ranking accuracy in a table, results.json and report.html.

options:
  --quick         a smaller run (under 2 minutes on 2 cores)
  --full          a larger run (bigger model, more data and steps)
  --out DIR       where the files go (default ./prefkit-demo)
  --seed N        seed of everything random (default 1); the same seed gives the same numbers
  --config FILE   YAML or JSON overrides of the demo config (see docs/demo.md); unknown keys are errors`;

export const demoCommand: Command = {
  name: 'demo',
  summary: 'run the controlled-sentiment experiment: SFT, sampled pairs, DPO/IPO/cDPO/rDPO, report',
  usage: USAGE,
  async run(argv: string[]): Promise<number> {
    const [{ parse: parseYaml }, { createProgress, DemoConfigError, resolveDemoConfig, resultsTable, runDemo, summaryText }] =
      await Promise.all([import('yaml'), import('../../demo/index.js')]);
    const { values } = parseOptions('demo', argv, {
      quick: { type: 'boolean' }, full: { type: 'boolean' }, out: { type: 'string' }, seed: { type: 'string' }, config: { type: 'string' },
    });
    if (values.quick && values.full) throw new UsageError('--quick and --full exclude each other');
    const preset: DemoPreset = values.quick ? 'quick' : values.full ? 'full' : 'default';
    let overrides: Record<string, unknown> = {};
    if (values.config) {
      let parsed: unknown;
      try {
        parsed = parseYaml(readFileSync(values.config as string, 'utf8'));
      } catch (e) {
        throw new UsageError(`--config ${values.config}: ${(e as Error).message.split('\n')[0]}`);
      }
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new UsageError(`--config ${values.config}: expected a mapping of demo config keys`);
      overrides = parsed as Record<string, unknown>;
    }
    if (values.seed !== undefined) {
      const seed = Number(values.seed);
      if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--seed expects a non-negative integer, got '${values.seed}'`);
      overrides = { ...overrides, seed };
    }
    let cfg;
    try {
      cfg = resolveDemoConfig(preset, overrides);
    } catch (e) {
      if (e instanceof DemoConfigError) throw new UsageError(e.message);
      throw e;
    }
    const out = (values.out as string | undefined) ?? 'prefkit-demo';
    const progress = createProgress({ tty: Boolean(process.stdout.isTTY), write: (t) => process.stdout.write(t), columns: process.stdout.columns });
    progress.note(`prefkit demo (${preset}, seed ${cfg.seed}) -> ${out}/`);
    const results = await runDemo(cfg, { outDir: out, progress, preset });
    console.log('');
    console.log(resultsTable(results));
    console.log('');
    console.log(summaryText(results));
    console.log('');
    console.log(`Files in ${out}/: report.html, results.json, pairs.jsonl, pairs-noisy.jsonl, pairs-eval.jsonl, samples.jsonl, reference/`);
    console.log(`Inspect the pairs: prefkit data inspect ${out}/pairs.jsonl   Total time: ${Math.round(results.timings.total)} s`);
    return 0;
  },
};
