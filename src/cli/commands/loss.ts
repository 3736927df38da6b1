// `prefkit loss list` and `prefkit loss check FILE`: the loss registry's catalogue and its golden-value
// checks. All logic lives in src/losses (describeLosses, checkGolden); this file only parses and prints.
import { readFileSync } from 'node:fs';
import type { Command } from '../command.js';
import { UsageError } from '../command.js';
import { parseOptions } from '../args.js';
import type { OptionRow } from '../../losses/index.js';

const listUsage = `usage: prefkit loss list [--json]

Lists every registered loss: name, one-line description, paper, inputs it needs, and its options with
defaults (option names as TRL spells them, so configs carry over). Several losses combine by weights:
loss_type: [sigmoid, sft], loss_weights: [1, 1]. With --json, one JSON document with every field.`;

const checkUsage = `usage: prefkit loss check FILE [--json] [--dtype float32|float64]

Computes every case of a golden loss file (format: cases with name, options, inputs, outputs) through the
loss registry and autograd, and compares loss, per-example losses, rewards and gradients. Prints the worst
absolute and relative error per case; exits 1 if any element is outside 1e-4 relative + 1e-5 absolute.
--dtype float64 runs on the reference backend in double precision (default float32, the training dtype).`;

const fmtValue = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));
const fmtOption = (o: OptionRow): string => `    ${o.name} = ${fmtValue(o.default)}  — ${o.doc}`;

const listCommand: Command = {
  name: 'loss list',
  summary: 'list every preference / reward loss with its paper and options (--json)',
  usage: listUsage,
  async run(argv) {
    const { values } = parseOptions('loss list', argv, { json: { type: 'boolean' } });
    const { COMBINATION_OPTIONS, describeLosses } = await import('../../losses/index.js');
    const rows = describeLosses();
    if (values.json) {
      console.log(JSON.stringify({ losses: rows, combinationOptions: COMBINATION_OPTIONS }, null, 2));
      return 0;
    }
    const width = Math.max(...rows.map((r) => r.name.length));
    for (const r of rows) {
      const ref = r.needsReference === true ? 'needs reference log-probs' : r.needsReference === false ? 'reference-free' : r.needsReference;
      console.log(`${r.name.padEnd(width)}  ${r.description}`);
      console.log(`    paper: ${r.paper}`);
      console.log(`    data: ${r.inputs}, ${ref}; requires: ${r.requires.join(', ') || '(see base_loss)'}`);
      if (r.optional.length) console.log(`    optional: ${r.optional.join(', ')}`);
      for (const o of r.options) console.log(fmtOption(o));
    }
    console.log(`\nOptions of any combination (${rows.length} losses registered):`);
    for (const o of COMBINATION_OPTIONS) console.log(fmtOption(o));
    return 0;
  },
};

const checkCommand: Command = {
  name: 'loss check',
  summary: 'check the losses against a golden file of values and gradients (exit 1 on mismatch)',
  usage: checkUsage,
  async run(argv) {
    const { values, positionals } = parseOptions('loss check', argv, {
      json: { type: 'boolean' },
      dtype: { type: 'string' },
    }, true);
    if (positionals.length !== 1) throw new UsageError(`loss check expects one golden FILE, got ${positionals.length}\n${checkUsage}`);
    const dtype = values.dtype ?? 'float32';
    if (dtype !== 'float32' && dtype !== 'float64') throw new UsageError(`--dtype must be float32 or float64, got '${dtype}'`);
    const file = positionals[0];
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`cannot read golden file '${file}': ${(e as Error).message}`);
    }
    const rtol = 1e-4;
    const atol = 1e-5;
    const { checkGolden, parseGoldenFile } = await import('../../losses/index.js');
    const { results, pass } = checkGolden(parseGoldenFile(text, file), { dtype, rtol, atol });
    if (values.json) {
      console.log(JSON.stringify({ file, dtype, rtol, atol, pass, cases: results }, null, 2));
      return pass ? 0 : 1;
    }
    for (const r of results) {
      const label = `#${r.index} ${r.name} ${JSON.stringify(r.options)}`;
      if (r.error) {
        console.log(`FAIL ${label}: ${r.error}`);
        continue;
      }
      console.log(`${r.pass ? ' ok ' : 'FAIL'} ${label}  worst abs ${r.worstAbs.toExponential(2)}  worst rel ` +
        `${r.worstRel.toExponential(2)}  (${r.worstTolRatio.toFixed(3)} of tolerance, at ${r.worstAt})`);
    }
    const passed = results.filter((r) => r.pass).length;
    console.log(`${passed}/${results.length} cases within ${rtol.toExponential(0)} relative + ${atol.toExponential(0)} absolute (${dtype})`);
    return pass ? 0 : 1;
  },
};

export const lossCommands: Command[] = [listCommand, checkCommand];
