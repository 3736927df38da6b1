// `prefkit eval`, `prefkit report`, `prefkit data filter-ches`: argument parsing and printing only;
// the work is in src/eval.
import type { Command } from '../command.js';
import { UsageError } from '../command.js';
import { parseOptions } from '../args.js';
import { isSourceName, SOURCES, type ReadOptions } from '../../data/index.js';

const READ_HELP = `  --from auto|${Object.keys(SOURCES).join('|')}
                         source layout (default auto)
  --skip-bad-rows        skip (and list in the report) rows that fail validation
  --allow-empty          keep pairs with an empty response`;

const READ_SPEC = { from: { type: 'string' }, 'skip-bad-rows': { type: 'boolean' }, 'allow-empty': { type: 'boolean' } } as const;

function readOptions(values: Record<string, unknown>): ReadOptions {
  const from = (values.from as string | undefined) ?? 'auto';
  if (from !== 'auto' && !isSourceName(from)) throw new UsageError(`--from: expected one of auto, ${Object.keys(SOURCES).join(', ')}, got '${from}'`);
  return { source: from as ReadOptions['source'], skipBadRows: values['skip-bad-rows'] === true, allowEmptyCompletions: values['allow-empty'] === true };
}

function num(option: string, value: unknown, fallback: number, check: (n: number) => boolean = () => true, what = 'a number'): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || value.trim() === '' || !Number.isFinite(n) || !check(n)) {
    throw new UsageError(`--${option} expects ${what}, got '${String(value)}'`);
  }
  return n;
}

const posInt = (n: number): boolean => Number.isInteger(n) && n >= 1;
const optionalInt = (option: string, value: unknown): number | undefined =>
  value === undefined ? undefined : num(option, value, 0, posInt, 'a positive integer');
const nonNegInt = (n: number): boolean => Number.isInteger(n) && n >= 0;
const progress = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

const evalCommand: Command = {
  name: 'eval',
  summary: 'evaluate a policy on preference pairs: ranking vs idealized accuracy, displacement, KL, rewards, CHES, noise (JSON + HTML)',
  usage: `usage: prefkit eval --model DIR --data FILE [options]

  --model DIR            policy checkpoint (Hugging Face folder)
  --ref DIR              reference model: implicit rewards, idealized ranking accuracy,
                         likelihood displacement, sampled KL, LCPO noise estimate
  --data FILE            paired (prompt/chosen/rejected) or ranked (completions + scores) data;
                         HH-RLHF and FineGrained QA files are recognised
  --reward-model DIR     a *ForSequenceClassification checkpoint; repeat for an ensemble
                         (accuracy, sample rewards, win rate, preference strength, noise rate)
  --beta B               DPO temperature of the implicit reward and idealized policy (default 0.1)
  --alpha A              rater proportion for pairs without preference_probability (default 0.75)
  --max-pairs N          evaluate the first N pairs
  --samples N            prompts to sample completions for (KL, win rate; default 32, 0 = none)
  --max-new-tokens N     sample length (default 48)
  --seed S               sampling and bootstrap seed (default 0)
  --bootstrap N          bootstrap resamples for the win-rate interval (default 1000)
  --batch-size N         sequences per forward pass (default 16)
  --max-length N         prompt + completion tokens at most (default 1024, or the model's positions)
  --max-prompt-length N  a longer prompt keeps its last N tokens and its BOS (default max-length / 2)
  --tokenizer DIR|byte   tokenizer of policy and reference (default: the model folder's)
  --out DIR              where eval.json and report.html go (default eval-out)
  --json                 print eval.json's metrics to stdout
${READ_HELP}`,
  async run(argv) {
    const { values } = parseOptions('eval', argv, {
      model: { type: 'string' }, ref: { type: 'string' }, data: { type: 'string' }, 'reward-model': { type: 'string', multiple: true },
      beta: { type: 'string' }, alpha: { type: 'string' }, 'max-pairs': { type: 'string' }, samples: { type: 'string' },
      'max-new-tokens': { type: 'string' }, seed: { type: 'string' }, bootstrap: { type: 'string' }, 'batch-size': { type: 'string' },
      'max-length': { type: 'string' }, 'max-prompt-length': { type: 'string' }, tokenizer: { type: 'string' }, out: { type: 'string' },
      json: { type: 'boolean' }, ...READ_SPEC,
    });
    if (!values.model || !values.data) throw new UsageError('eval needs --model DIR and --data FILE (see `prefkit eval --help`)');
    const maxPairs = values['max-pairs'] === undefined ? undefined : num('max-pairs', values['max-pairs'], 0, posInt, 'a positive integer');
    const { runEvaluation, writeEvalReport } = await import('../../eval/index.js');
    const result = await runEvaluation({
      model: values.model as string,
      ref: values.ref as string | undefined,
      data: values.data as string,
      rewardModels: values['reward-model'] as string[] | undefined,
      beta: num('beta', values.beta, 0.1, (n) => n > 0, 'a number > 0'),
      alpha: num('alpha', values.alpha, 0.75, (n) => n >= 0 && n <= 1, 'a number in [0, 1]'),
      maxPairs,
      samples: num('samples', values.samples, 32, nonNegInt, 'a non-negative integer'),
      maxNewTokens: num('max-new-tokens', values['max-new-tokens'], 48, posInt, 'a positive integer'),
      seed: num('seed', values.seed, 0, nonNegInt, 'a non-negative integer'),
      bootstrapResamples: num('bootstrap', values.bootstrap, 1000, posInt, 'a positive integer'),
      batchSize: num('batch-size', values['batch-size'], 16, posInt, 'a positive integer'),
      maxLength: values['max-length'] === undefined ? undefined : num('max-length', values['max-length'], 1024, (n) => Number.isInteger(n) && n >= 2, 'an integer >= 2'),
      maxPromptLength: optionalInt('max-prompt-length', values['max-prompt-length']),
      tokenizer: values.tokenizer as string | undefined,
      read: readOptions(values),
      log: progress,
    });
    const files = writeEvalReport(result, (values.out as string | undefined) ?? 'eval-out');
    if (values.json) {
      console.log(JSON.stringify(result.metrics, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)));
      return 0;
    }
    const ra = result.metrics.ranking_accuracy;
    const pct = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? 'n/a' : `${(v * 100).toFixed(1)}%`);
    console.log(`evaluated ${result.data.pairs_evaluated} pairs from ${result.data.file}`);
    console.log(`  ranking accuracy: ${pct(ra.policy.summed)} (length-normalised ${pct(ra.policy.normalized)})`);
    if (ra.reference) console.log(`  reference ranking accuracy: ${pct(ra.reference.summed)}`);
    if (ra.idealized) console.log(`  idealized ranking accuracy (beta ${ra.idealized.beta}, alpha ${ra.idealized.alpha}): ${pct(ra.idealized.summed)}`);
    const ir = result.metrics.implicit_reward;
    if (ir) console.log(`  rewards/accuracies ${pct(ir['rewards/accuracies'])}, rewards/margins ${ir['rewards/margins'].toPrecision(4)}`);
    const ld = result.metrics.likelihood_displacement;
    if (ld) console.log(`  chosen log-prob fell on ${pct(ld.chosen_decreased)} of pairs (mean shift ${ld.chosen_shift.toPrecision(4)} nats)`);
    const kl = result.metrics.sampled_kl;
    if (kl) console.log(`  sampled KL(policy || ref): ${kl.k1.toPrecision(4)} ± ${kl.k1_stderr.toPrecision(2)} (${kl.samples} samples)`);
    const rm = result.metrics.reward_model;
    if (rm) console.log(`  reward-model accuracy: ${rm.accuracy.map((a) => pct(a.accuracy)).join(', ')}`);
    if (rm?.win_rate) console.log(`  win rate vs reference: ${pct(rm.win_rate.estimate)} [${pct(rm.win_rate.low)}, ${pct(rm.win_rate.high)}]`);
    console.log(`wrote ${files.json} and ${files.html}`);
    return 0;
  },
};

const reportCommand: Command = {
  name: 'report',
  summary: 'write RUN_DIR/report.html (+ report.json) for a finished or running training run',
  usage: `usage: prefkit report RUN_DIR

Reads RUN_DIR/config.json, metrics.jsonl (a partly written last line is fine) and summary.json, and
writes RUN_DIR/report.html (self-contained: training curves, reward margins, chosen/rejected log-prob
trajectories, reward vs KL when logged) and RUN_DIR/report.json (the same series).`,
  async run(argv) {
    const { positionals } = parseOptions('report', argv, {}, true);
    if (positionals.length !== 1) throw new UsageError('report expects one run folder: prefkit report RUN_DIR');
    const { writeRunReport } = await import('../../eval/index.js');
    const out = writeRunReport(positionals[0]);
    const r = out.report.json;
    console.log(`${r.status} run${r.last_step !== null ? ` at step ${String(r.last_step)}` : ''}: wrote ${out.html} and ${out.json}`);
    for (const b of r.bad_lines as { line: number; reason: string }[]) console.error(`warning: metrics.jsonl:${b.line}: ${b.reason} (line skipped)`);
    return 0;
  },
};

const filterChesCommand: Command = {
  name: 'data filter-ches',
  summary: 'drop the most displacement-prone pairs by CHES score (Razin et al. 2024); writes kept set + report',
  usage: `usage: prefkit data filter-ches --model DIR --data FILE --out FILE (--drop-share S | --threshold X)

  --model DIR          the model you are about to train (CHES uses its hidden states)
  --data FILE          paired or ranked preference data
  --out FILE           kept pairs (.jsonl, .json, .jsonl.gz); the report goes next to it as
                       <name>.ches.json and <name>.ches.html
  --drop-share S       drop the share S in [0, 1] of pairs with the highest score
  --threshold X        drop every pair whose score is above X (negative: --threshold=-0.2)
  --score ln_ches|ches length-normalised CHES (default, the paper's filter) or raw CHES
  --tokenizer DIR|byte, --max-length N, --max-prompt-length N, --batch-size N   as for prefkit eval
${READ_HELP}`,
  async run(argv) {
    const { values } = parseOptions('data filter-ches', argv, {
      model: { type: 'string' }, data: { type: 'string' }, out: { type: 'string' }, 'drop-share': { type: 'string' },
      threshold: { type: 'string' }, score: { type: 'string' }, tokenizer: { type: 'string' }, 'max-length': { type: 'string' },
      'max-prompt-length': { type: 'string' },
      'batch-size': { type: 'string' }, ...READ_SPEC,
    });
    if (!values.model || !values.data || !values.out) throw new UsageError('data filter-ches needs --model DIR --data FILE --out FILE');
    if ((values['drop-share'] === undefined) === (values.threshold === undefined)) throw new UsageError('data filter-ches needs exactly one of --drop-share S or --threshold X');
    const score = values.score ?? 'ln_ches';
    if (score !== 'ln_ches' && score !== 'ches') throw new UsageError(`--score: expected one of ln_ches, ches, got '${String(score)}'`);
    const selection = values['drop-share'] !== undefined
      ? { dropShare: num('drop-share', values['drop-share'], 0, (n) => n >= 0 && n <= 1, 'a share in [0, 1]') }
      : { threshold: num('threshold', values.threshold, 0) };
    const { filterByChes } = await import('../../eval/index.js');
    const r = await filterByChes({
      model: values.model as string,
      data: values.data as string,
      out: values.out as string,
      selection,
      score,
      tokenizer: values.tokenizer as string | undefined,
      maxLength: values['max-length'] === undefined ? undefined : num('max-length', values['max-length'], 1024, (n) => Number.isInteger(n) && n >= 2, 'an integer >= 2'),
      maxPromptLength: optionalInt('max-prompt-length', values['max-prompt-length']),
      batchSize: num('batch-size', values['batch-size'], 16, posInt, 'a positive integer'),
      read: readOptions(values),
      log: progress,
    });
    if (r.bad_rows.length) console.error(`skipped ${r.bad_rows.length} bad rows (listed in ${r.files.report_json})`);
    console.log(`kept ${r.kept} of ${r.pairs} pairs (dropped ${r.dropped} with ${r.score} above ${r.cutoff.toPrecision(4)}; ${r.unscored.length} unscored kept)`);
    console.log(`wrote ${r.files.kept}, ${r.files.report_json} and ${r.files.report_html}`);
    return 0;
  },
};

export const evalCommands: Command[] = [evalCommand, reportCommand, filterChesCommand];
