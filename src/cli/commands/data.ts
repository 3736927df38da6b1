// `prefkit data inspect|validate|convert`: argument parsing and printing only; the work is in src/data.
import type { Command } from '../command.js';
import { UsageError } from '../command.js';
import { parseOptions, type OptionSpec } from '../args.js';
import {
  CONVERT_TARGETS,
  PAIRINGS,
  SOURCES,
  convertFile,
  inspectFile,
  isSourceName,
  validateFile,
  type ConvertTarget,
  type CurriculumOrder,
  type Pairing,
  type ReadOptions,
  formatConvertReport,
  formatInspectReport,
} from '../../data/index.js';
import { loadTokenizer } from '../../tokenizers/index.js';

const SOURCE_NAMES = ['auto', ...Object.keys(SOURCES)].join('|');

const READ_OPTIONS: OptionSpec = {
  from: { type: 'string' },
  'allow-empty': { type: 'boolean' },
  'keep-ties': { type: 'boolean' },
  prompt: { type: 'string' },
  'max-listed': { type: 'string' },
  json: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

const READ_HELP = `  --from ${SOURCE_NAMES}
                      source layout (default auto: HH-RLHF and FineGrained QA files are recognised)
  --allow-empty       an empty completion is a warning (row kept) instead of an error
  --keep-ties         FineGrained QA: keep 'no preference' judgements as pairs with tie: true
  --prompt question|question+passages
                      FineGrained QA prompt (default question+passages, the paper's policy input)
  --max-listed N      list at most N problems in text output (default: all)
  --json              print the report as JSON`;

type Values = Record<string, string | boolean | (string | boolean)[] | undefined>;

function str(values: Values, key: string): string | undefined {
  const v = values[key];
  return typeof v === 'string' ? v : undefined;
}

function oneOf<T extends string>(key: string, value: string | undefined, allowed: readonly T[]): T | undefined {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`--${key}: expected one of ${allowed.join(', ')}, got '${value}'`);
  return value as T;
}

function readOptions(values: Values): ReadOptions {
  const from = str(values, 'from') ?? 'auto';
  if (from !== 'auto' && !isSourceName(from)) throw new UsageError(`--from: expected one of ${SOURCE_NAMES.split('|').join(', ')}, got '${from}'`);
  return {
    source: from as ReadOptions['source'],
    allowEmptyCompletions: values['allow-empty'] === true,
    keepTies: values['keep-ties'] === true,
    skipBadRows: values['skip-bad-rows'] === true,
    promptStyle: oneOf('prompt', str(values, 'prompt'), ['question', 'question+passages'] as const),
  };
}

function maxListed(values: Values): number | undefined {
  const v = str(values, 'max-listed');
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`--max-listed expects a non-negative integer, got '${v}'`);
  return n;
}

function positionals(name: string, got: string[], want: string[]): string[] {
  if (got.length !== want.length) {
    throw new UsageError(`expected ${want.join(' ')}, got ${got.length ? got.map((g) => `'${g}'`).join(' ') : 'nothing'} (see \`prefkit ${name} --help\`)`);
  }
  return got;
}

const inspectUsage = `usage: prefkit data inspect FILE [options]

Reads every row of FILE (.jsonl, .json, .parquet, optionally .gz) and prints the format detected,
the kind of examples (paired / unpaired / ranked; standard or conversational; explicit or implicit
prompt), counts, optional fields present, length histograms and every problem found.

${READ_HELP}
  --tokenizer DIR     measure lengths in tokens of this tokenizer folder (chat template applied)`;

const inspectCommand: Command = {
  name: 'data inspect',
  summary: 'format, counts, length histograms and problems of a preference data file',
  usage: inspectUsage,
  async run(argv) {
    const { values, positionals: pos } = parseOptions('data inspect', argv, { ...READ_OPTIONS, tokenizer: { type: 'string' } }, true);
    if (values.help) return help(inspectUsage);
    const [file] = positionals('data inspect', pos, ['FILE']);
    const tokDir = str(values, 'tokenizer');
    const report = await inspectFile(file, { ...readOptions(values), tokenizer: tokDir ? loadTokenizer(tokDir) : undefined });
    if (values.json) console.log(JSON.stringify(report, null, 2));
    else console.log(formatInspectReport(report, { maxListed: maxListed(values) }).join('\n'));
    return 0;
  },
};

const validateUsage = `usage: prefkit data validate FILE [options]

Checks every row of FILE and lists every problem with file:line (or Parquet row), the field, what was
expected and what was found. Exit code 0 when every row is valid, 1 otherwise; with --skip-bad-rows
the bad rows are still listed (as rows a training run would skip) and the exit code is 0 as long as
at least one row is valid.

${READ_HELP}
  --skip-bad-rows     bad rows are listed and counted, not fatal`;

const validateCommand: Command = {
  name: 'data validate',
  summary: 'check every row of a preference data file; list each problem with file:line and field',
  usage: validateUsage,
  async run(argv) {
    const { values, positionals: pos } = parseOptions('data validate', argv, { ...READ_OPTIONS, 'skip-bad-rows': { type: 'boolean' } }, true);
    if (values.help) return help(validateUsage);
    const [file] = positionals('data validate', pos, ['FILE']);
    const report = await validateFile(file, readOptions(values));
    if (values.json) console.log(JSON.stringify(report, null, 2));
    else {
      console.log(formatInspectReport(report, { maxListed: maxListed(values), lengths: false }).join('\n'));
      console.log(report.badRows === 0 ? 'valid' : values['skip-bad-rows'] ? `${report.badRows} bad rows would be skipped` : 'invalid');
    }
    if (report.badRows === 0) return 0;
    return values['skip-bad-rows'] && report.examples > 0 ? 0 : 1;
  },
};

const convertUsage = `usage: prefkit data convert IN OUT [options]

Reads IN (any supported source), reshapes it and writes OUT as JSON Lines (.jsonl), or one JSON
array (.json); a .gz suffix gzips it. Output appears only when the run succeeds.

  --to ${CONVERT_TARGETS.join('|')}
                      explicit: implicit prompts made explicit (HH-RLHF: by dialogue turns)
                      pairs: ranked/rated responses -> pairs (see --pairing)
                      unpaired: each pair -> two KTO rows (chosen: label true, rejected: false)
                      same: rewrite as read, e.g. Parquet -> JSONL
                      auto (default): paired -> explicit, ranked -> pairs, unpaired -> same
  --pairing ${PAIRINGS.join('|')}
                      how ranked responses become pairs (default best-vs-rest)
  --curriculum score-gap|rank
                      curry: order easy -> hard by score gap (default) or by the rejected rank
  --include-ties      all-pairs: also write tied pairs, with tie: true
  --skip-bad-rows     list and count bad rows and convert the rest (default: stop at the first)
${READ_HELP}`;

const convertCommand: Command = {
  name: 'data convert',
  summary: 'convert preference data between formats (HH-RLHF, FineGrained QA, ranked -> pairs, ...)',
  usage: convertUsage,
  async run(argv) {
    const spec: OptionSpec = {
      ...READ_OPTIONS,
      to: { type: 'string' },
      pairing: { type: 'string' },
      curriculum: { type: 'string' },
      'include-ties': { type: 'boolean' },
      'skip-bad-rows': { type: 'boolean' },
    };
    const { values, positionals: pos } = parseOptions('data convert', argv, spec, true);
    if (values.help) return help(convertUsage);
    const [input, output] = positionals('data convert', pos, ['IN', 'OUT']);
    if (input === output) throw new UsageError('IN and OUT are the same file');
    const report = await convertFile(input, output, {
      ...readOptions(values),
      to: oneOf<ConvertTarget>('to', str(values, 'to'), CONVERT_TARGETS),
      pairing: oneOf<Pairing>('pairing', str(values, 'pairing'), PAIRINGS),
      curriculum: oneOf<CurriculumOrder>('curriculum', str(values, 'curriculum'), ['score-gap', 'rank'] as const),
      includeTies: values['include-ties'] === true,
    });
    if (values.json) console.log(JSON.stringify(report, null, 2));
    else console.log(formatConvertReport(report, maxListed(values)).join('\n'));
    return 0;
  },
};

function help(usage: string): number {
  console.log(usage);
  return 0;
}

export const dataCommands: Command[] = [inspectCommand, validateCommand, convertCommand];
