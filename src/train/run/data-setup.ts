// Training and evaluation examples from the config: read (bad rows stop the run or, with
// skip_bad_rows, are counted and listed), converted to what the method needs, split, tokenized
// (every truncated and dropped example reported). Nothing is dropped silently.
import {
  describeTokenizeReport, expectKind, extractPrompt, formatProblem, loadExamples, newTokenizeReport, splitTrainEval,
  tokenizePair, tokenizeUnpaired,
  type LocatedExample, type PairedExample, type PreferenceExample, type TokenizedPair, type TokenizedUnpaired,
  type TokenizeOptions, type UnpairedExample,
} from '../../data/index.js';
import type { Tokenizer } from '../../tokenizers/index.js';
import type { SftConfig } from '../../config/index.js';

type DataKeys = Pick<SftConfig, 'train_file' | 'eval_file' | 'eval_split' | 'data_source' | 'skip_bad_rows' | 'allow_empty' | 'max_examples' | 'seed' |
  'max_length' | 'max_prompt_length' | 'max_completion_length' | 'truncation_mode'>;

export interface DataSetup<I> {
  train: I[];
  eval: I[];
  /** Tokenization settings (part of the reference-cache key). */
  tokenizeOptions: TokenizeOptions;
}

export function tokenizeOptionsOf(cfg: DataKeys): TokenizeOptions {
  return {
    maxLength: cfg.max_length ?? undefined, maxPromptLength: cfg.max_prompt_length ?? undefined,
    maxCompletionLength: cfg.max_completion_length ?? undefined, truncationMode: cfg.truncation_mode,
  };
}

async function readFile(file: string, cfg: DataKeys, log: (s: string) => void): Promise<LocatedExample[]> {
  const { examples, report } = await loadExamples(file, { source: cfg.data_source, skipBadRows: cfg.skip_bad_rows, allowEmptyCompletions: cfg.allow_empty });
  log(`${file}: ${report.records} records -> ${report.examples} examples${report.source ? ` (${report.source})` : ''}` +
    `${report.badRows ? `, ${report.badRows} bad rows skipped` : ''}`);
  for (const p of report.errors.slice(0, 20)) log(`  skipped ${formatProblem(p)}`);
  if (report.errors.length > 20) log(`  ... and ${report.errors.length - 20} more problems`);
  for (const [k, n] of Object.entries(report.counts)) log(`  ${k}: ${n}`);
  return examples;
}

/** Train and eval examples (eval from eval_file, or a seeded split of train_file grouped by prompt). */
async function readSplit(cfg: DataKeys, log: (s: string) => void): Promise<{ train: LocatedExample[]; eval: LocatedExample[] }> {
  let train = await readFile(cfg.train_file, cfg, log);
  if (cfg.max_examples !== null && train.length > cfg.max_examples) {
    log(`using the first ${cfg.max_examples} of ${train.length} examples (max_examples)`);
    train = train.slice(0, cfg.max_examples);
  }
  if (cfg.eval_file) return { train, eval: await readFile(cfg.eval_file, cfg, log) };
  if (cfg.eval_split > 0) {
    const promptKey = (i: number): string => {
      const ex = train[i].example;
      const p = ex.kind === 'paired' ? extractPrompt(ex).prompt : ex.prompt;
      return p === undefined ? `#${i}` : JSON.stringify(p);
    };
    const split = splitTrainEval(train.length, { evalFraction: cfg.eval_split, seed: cfg.seed, groupKey: promptKey });
    log(`eval_split ${cfg.eval_split}: ${split.train.length} train / ${split.eval.length} eval examples (grouped by prompt)`);
    return { train: split.train.map((i) => train[i]), eval: split.eval.map((i) => train[i]) };
  }
  return { train, eval: [] };
}

function tokenizeAll<E extends PreferenceExample, I>(
  name: string, items: LocatedExample<E>[], fn: (ex: E, opts: TokenizeOptions, rep: ReturnType<typeof newTokenizeReport>, at: LocatedExample['at']) => I | undefined,
  opts: TokenizeOptions, log: (s: string) => void,
): I[] {
  const rep = newTokenizeReport();
  const out: I[] = [];
  for (const it of items) {
    const t = fn(it.example, opts, rep, it.at);
    if (t) out.push(t);
  }
  if (items.length) log(`${name}: ${describeTokenizeReport(rep).join('\n  ')}`);
  return out;
}

/** Paired examples (dpo, rm). */
export async function loadPairs(cfg: DataKeys, tok: Tokenizer, log: (s: string) => void): Promise<DataSetup<TokenizedPair>> {
  const { train, eval: ev } = await readSplit(cfg, log);
  const opts = tokenizeOptionsOf(cfg);
  const tokenize = (name: string, xs: LocatedExample[]) =>
    tokenizeAll(name, expectKind(xs, 'paired'), (ex, o, r, at) => tokenizePair(ex, tok, o, r, at), opts, log);
  return { train: tokenize('train', train), eval: tokenize('eval', ev), tokenizeOptions: opts };
}

/** Pairs become two unpaired examples (chosen desirable, rejected undesirable), as TRL's unpair_preference_dataset. */
function toUnpaired(xs: LocatedExample[]): LocatedExample<UnpairedExample>[] {
  const out: LocatedExample<UnpairedExample>[] = [];
  for (const it of xs) {
    const ex = it.example;
    if (ex.kind === 'unpaired') out.push(it as LocatedExample<UnpairedExample>);
    else if (ex.kind === 'paired') {
      const p: PairedExample = extractPrompt(ex);
      out.push({ at: it.at, example: { kind: 'unpaired', prompt: p.prompt, completion: p.chosen, label: true } });
      out.push({ at: it.at, example: { kind: 'unpaired', prompt: p.prompt, completion: p.rejected, label: false } });
    } else {
      expectKind([it], 'unpaired');
    }
  }
  return out;
}

/** Unpaired examples (kto); pairs are unpaired. */
export async function loadUnpaired(cfg: DataKeys, tok: Tokenizer, log: (s: string) => void): Promise<DataSetup<TokenizedUnpaired>> {
  const { train, eval: ev } = await readSplit(cfg, log);
  const opts = tokenizeOptionsOf(cfg);
  const tokenize = (name: string, xs: LocatedExample[]) => {
    const un = toUnpaired(xs);
    if (un.length > xs.length && name === 'train') log(`${xs.length} examples unpaired into ${un.length} (chosen desirable, rejected undesirable)`);
    return tokenizeAll(name, un, (ex, o, r, at) => tokenizeUnpaired(ex, tok, o, r, at), opts, log);
  };
  return { train: tokenize('train', train), eval: tokenize('eval', ev), tokenizeOptions: opts };
}

/** SFT examples: the chosen side of pairs, desirable unpaired examples (undesirable ones are counted and left out). */
export async function loadSft(cfg: DataKeys, tok: Tokenizer, log: (s: string) => void): Promise<DataSetup<TokenizedUnpaired>> {
  const { train, eval: ev } = await readSplit(cfg, log);
  const opts = tokenizeOptionsOf(cfg);
  const tokenize = (name: string, xs: LocatedExample[]) => {
    const un = toUnpaired(xs);
    const good = un.filter((e) => e.example.label);
    if (good.length < un.length) log(`${name}: ${un.length - good.length} undesirable completions (rejected sides, label false) are not SFT targets; left out`);
    return tokenizeAll(name, good, (ex, o, r, at) => tokenizeUnpaired(ex, tok, o, r, at), opts, log);
  };
  return { train: tokenize('train', train), eval: tokenize('eval', ev), tokenizeOptions: opts };
}

/** A ranked list, tokenized response by response, with scores (higher is better; ranks become -rank). */
export interface TokenizedList {
  rows: TokenizedUnpaired[];
  scores: number[];
}

/** Ranked examples (listwise losses); every list must have the same number of responses. */
export async function loadLists(cfg: DataKeys, tok: Tokenizer, log: (s: string) => void): Promise<DataSetup<TokenizedList>> {
  const { train, eval: ev } = await readSplit(cfg, log);
  const opts = tokenizeOptionsOf(cfg);
  let N = -1;
  const tokenize = (name: string, xs: LocatedExample[]): TokenizedList[] => {
    const rep = newTokenizeReport();
    const out: TokenizedList[] = [];
    let droppedLists = 0;
    for (const it of expectKind(xs, 'ranked')) {
      const ex = it.example;
      if (N < 0) N = ex.completions.length;
      if (ex.completions.length !== N) {
        throw new Error(`${it.at.file}: example at ${JSON.stringify(it.at)} has ${ex.completions.length} responses but earlier ones have ${N}; ` +
          'listwise training needs lists of one length (hint: build pairs with `prefkit data convert --to pairs` and use a pairwise loss)');
      }
      const rows = ex.completions.map((c) => tokenizeUnpaired({ kind: 'unpaired', prompt: ex.prompt, completion: c, label: true }, tok, opts, rep, it.at));
      if (rows.some((r) => !r)) {
        droppedLists++;
        continue;
      }
      out.push({ rows: rows as TokenizedUnpaired[], scores: ex.scores ?? ex.ranks!.map((r) => -r) });
    }
    if (xs.length) log(`${name}: ${describeTokenizeReport(rep).join('\n  ')}${droppedLists ? `\n  ${droppedLists} lists dropped (a response did not fit)` : ''}`);
    return out;
  };
  return { train: tokenize('train', train), eval: tokenize('eval', ev), tokenizeOptions: opts };
}
