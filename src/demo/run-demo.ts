// `prefkit demo` as one library call: runDemo(config, { outDir, progress }). The DPO paper's
// controlled-sentiment experiment, self-contained (see docs/demo.md):
//   1. SFT a byte-level Llama-style reference from scratch on the bundled corpus   (reference-sft.ts)
//   2. sample k completions per held-out opening from it, seeded                    (sample-completions.ts)
//   3. score them with the AFINN lexicon, build pairs, flip 30 % of the labels       (preference-data.ts)
//   4. DPO at several β, IPO, cDPO, rDPO on clean and on noisy labels                (policy-training.ts)
//   5. reward-KL frontier, ranking vs idealized ranking accuracy, win rate           (policy-eval.ts)
// and writes results.json, report.html, the pair files and the reference model into outDir.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ByteTokenizer } from '../tokenizers/index.js';
import { saveTrained } from '../train/index.js';
import { judgeClaims } from './claims.js';
import { loadDemoCorpus, promptSets } from './corpus.js';
import { methodLabel, type DemoConfig } from './demo-config.js';
import { demoReportHtml } from './demo-report.js';
import { LEXICON_REWARD_DOC } from './lexicon-reward.js';
import { evalContext, evaluatePolicy, SEED_STREAMS } from './policy-eval.js';
import { preferenceSteps, referenceTable, trainPolicy } from './policy-training.js';
import { buildDemoPairs, flipLabels, pairRecord, rankedExamples, scoreCompletions, tokenizeDemoPair, writeRecords } from './preference-data.js';
import { silentProgress, type DemoProgress } from './progress.js';
import { trainReference } from './reference-sft.js';
import type { DemoResults, DemoRun } from './results.js';
import { mixSeed, sampleCompletions } from './sample-completions.js';

export interface RunDemoOptions {
  outDir: string;
  progress?: DemoProgress;
  /** Which preset the config came from (recorded in results.json). */
  preset?: string;
}

const round = (x: number, digits = 6): number => (Number.isFinite(x) ? Number(x.toPrecision(digits)) : x);

export async function runDemo(cfg: DemoConfig, opts: RunDemoOptions): Promise<DemoResults> {
  const progress = opts.progress ?? silentProgress;
  const outDir = resolve(opts.outDir);
  mkdirSync(outDir, { recursive: true });
  const timings: Record<string, number> = {};
  const tStart = performance.now();
  const tok = new ByteTokenizer();

  // 1. Corpus and reference policy.
  const corpus = loadDemoCorpus({ file: cfg.corpus.file, heldoutFraction: cfg.corpus.heldout_fraction, openingWords: cfg.corpus.opening_words });
  const { evalSet, pairSet } = promptSets(corpus, cfg.sampling.eval_prompts, cfg.sampling.pair_prompts);
  progress.note(`corpus: ${corpus.train.length} training sentences, ${corpus.heldout.length} held out; ` +
    `${pairSet.length} openings for pairs, ${evalSet.length} for evaluation`);
  const reference = await trainReference(cfg, corpus.train, progress);
  timings.sft = reference.seconds;
  const refDir = join(outDir, 'reference');
  saveTrained({ model: reference.model, tokenizer: tok, sourceDir: null, lora: false }, refDir);
  const ref = reference.model;

  // 2-3. Samples of the reference, lexicon scores, pairs, noisy labels, files.
  let t = performance.now();
  const K = cfg.sampling.samples_per_prompt;
  const totalRows = (pairSet.length + evalSet.length) * K;
  const bar = progress.stage('2/4 sample the reference', totalRows, 'completions');
  const sampleOpts = { k: K, maxNewTokens: cfg.sampling.max_new_tokens, temperature: cfg.sampling.temperature, batchRows: cfg.sampling.batch_rows };
  const pairOpenings = pairSet.map((o) => o.text);
  const evalOpenings = evalSet.map((o) => o.text);
  const pairSamples = sampleCompletions(ref, tok, pairOpenings, {
    ...sampleOpts, seed: mixSeed(cfg.seed, SEED_STREAMS.pairSamples), onBatch: (d) => bar.update(d),
  });
  const evalSamples = sampleCompletions(ref, tok, evalOpenings, {
    ...sampleOpts, seed: mixSeed(cfg.seed, SEED_STREAMS.evalReferenceSamples), onBatch: (d) => bar.update(pairSet.length * K + d),
  });
  const pairScores = scoreCompletions(pairOpenings, pairSamples);
  const ranked = rankedExamples(pairOpenings, pairSamples, pairScores);
  const clean = buildDemoPairs(ranked, cfg.pairs.pairing);
  const noisy = flipLabels(clean.pairs, cfg.pairs.flip_fraction, mixSeed(cfg.seed, SEED_STREAMS.flips));
  const evalRanked = rankedExamples(evalOpenings, evalSamples, scoreCompletions(evalOpenings, evalSamples));
  const evalPairs = buildDemoPairs(evalRanked, 'best-vs-worst');
  if (clean.pairs.length === 0 || evalPairs.pairs.length === 0) {
    throw new Error(`demo: ${clean.pairs.length} training pairs and ${evalPairs.pairs.length} evaluation pairs: every opening's samples scored the same ` +
      '(hint: train the reference longer, or raise sampling.samples_per_prompt / pair_prompts / eval_prompts)');
  }
  bar.finish(`${clean.pairs.length} training pairs, ${evalPairs.pairs.length} evaluation pairs`);
  const files = {
    samples: join(outDir, 'samples.jsonl'),
    pairs: join(outDir, 'pairs.jsonl'),
    noisyPairs: join(outDir, 'pairs-noisy.jsonl'),
    evalPairs: join(outDir, 'pairs-eval.jsonl'),
  };
  await writeRecords(files.samples, ranked.map((r) => ({ id: r.id, prompt: r.prompt, completions: r.completions, scores: r.scores })));
  await writeRecords(files.pairs, clean.pairs.map(pairRecord));
  await writeRecords(files.noisyPairs, noisy.map(pairRecord));
  await writeRecords(files.evalPairs, evalPairs.pairs.map(pairRecord));
  timings.sampling = (performance.now() - t) / 1000;

  // Reference log-probs of every pair row, once (both conditions share the rows, swapped).
  t = performance.now();
  const cleanTok = clean.pairs.map((p) => tokenizeDemoPair(p, tok));
  const noisyTok = noisy.map((p) => tokenizeDemoPair(p, tok));
  const evalTok = evalPairs.pairs.map((p) => tokenizeDemoPair(p, tok));
  const refBar = progress.stage('3/4 reference log-probs + baseline', clean.pairs.length + 1, 'pairs');
  const cleanRef = referenceTable(ref, cleanTok, 32, (d) => refBar.update(d));
  const noisyRef = Float32Array.from(cleanRef, (_, k) => (noisy[k >> 1].flipped ? cleanRef[k ^ 1] : cleanRef[k]));
  const ctx = evalContext({ openings: evalOpenings, refSamples: evalSamples, pairs: evalPairs.pairs, tokenizedPairs: evalTok, ref, cfg });
  const refMetrics = evaluatePolicy({ policy: ref, ref, tok, ctx, cfg, beta: null });
  refBar.finish(`reference reward ${refMetrics.reward.mean.toFixed(3)}`);
  timings.reference_logps = (performance.now() - t) / 1000;

  // 4-5. Preference optimisation and evaluation, clean then noisy labels.
  const runs: DemoRun[] = [];
  const conditions = [
    { condition: 'clean' as const, pairs: cleanTok, refLogps: cleanRef },
    { condition: 'noisy' as const, pairs: noisyTok, refLogps: noisyRef },
  ];
  const total = conditions.length * cfg.preference.methods.length;
  const steps = preferenceSteps(cfg, clean.pairs.length);
  const evalBatches = Math.ceil((evalOpenings.length * cfg.sampling.eval_samples_per_prompt) / cfg.sampling.batch_rows);
  t = performance.now();
  for (const c of conditions) {
    for (const method of cfg.preference.methods) {
      const label = methodLabel(method);
      const runBar = progress.stage(`4/4 [${runs.length + 1}/${total}] ${label} · ${c.condition}`, steps + evalBatches, 'steps');
      const trained = await trainPolicy({ ref, pairs: c.pairs, refLogps: c.refLogps, method, cfg, seed: mixSeed(cfg.seed, SEED_STREAMS.order), bar: runBar });
      const metrics = evaluatePolicy({
        policy: trained.policy, ref, tok, ctx, cfg, beta: method.beta,
        onBatch: (done) => runBar.update(steps + Math.ceil(done / cfg.sampling.batch_rows)),
      });
      runBar.finish(`reward ${metrics.reward.mean.toFixed(3)}, KL ${metrics.kl.k1.toFixed(2)}`);
      runs.push({
        label, condition: c.condition, method, steps: trained.steps, metrics,
        curves: { loss: trained.lossCurve, accuracy: trained.accuracyCurve, margin: trained.marginCurve },
      });
    }
  }
  timings.preference = (performance.now() - t) / 1000;

  const results: DemoResults = {
    format: 'prefkit-demo-results-v1',
    preset: opts.preset ?? 'custom',
    config: cfg,
    corpus: {
      file: corpus.file, train_sentences: corpus.train.length, heldout_sentences: corpus.heldout.length,
      distinct_openings: corpus.openings.length, pair_openings: pairSet.length, eval_openings: evalSet.length,
    },
    reward: LEXICON_REWARD_DOC,
    reference: {
      parameters: reference.parameters, final_loss: round(reference.finalLoss), tokens_seen: reference.tokensSeen,
      loss_curve: reference.lossCurve, metrics: refMetrics, dir: refDir,
    },
    data: {
      files, pairs: clean.stats, eval_pairs: evalPairs.stats,
      flipped: noisy.filter((p) => p.flipped).length,
      examples: clean.pairs.slice(0, 5).map((p) => ({ opening: p.opening, chosen: p.chosen, rejected: p.rejected, chosen_reward: p.chosenReward, rejected_reward: p.rejectedReward })),
    },
    runs,
    claims: [],
    timings,
  };
  results.claims = judgeClaims(results);
  timings.total = (performance.now() - tStart) / 1000;
  writeFileSync(join(outDir, 'results.json'), JSON.stringify(results, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n');
  writeFileSync(join(outDir, 'report.html'), demoReportHtml(results));
  return results;
}
