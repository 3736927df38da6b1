// One training run from a resolved config (what `prefkit train <command>` does): run folder, model,
// data, reference, optimizer, loader and hooks are composed and handed to train(). Resume restores
// the checkpoint and continues exactly; SIGINT/SIGTERM write a checkpoint and stop cleanly.
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ResolvedTrainConfig } from '../../config/index.js';
import { getLoss } from '../../losses/index.js';
import { namedParams } from '../../nn/params.js';
import { createAdamW } from '../../optim/optimizer.js';
import { learningRateAt, warmupStepsOf } from '../../optim/schedule.js';
import { faultStepDelay } from '../checkpoint/fault-injection.js';
import { listCheckpoints, removeStaleTemps } from '../checkpoint/read-checkpoint.js';
import { writeCheckpoint, writeFolderAtomic, writeJsonAtomic } from '../checkpoint/write-checkpoint.js';
import { createLoader } from '../loader.js';
import { train } from '../loop.js';
import { mixIntoReference } from '../reference/ref-sync.js';
import type { LoopState, MetricLine, StepFn, TrainHooks } from '../types.js';
import { checkpointFiles, checkResumeConfig, restoreFromCheckpoint } from './checkpoint-io.js';
import { checkStepInputs } from '../steps/step-inputs.js';
import { loadLists, loadPairs, loadSft, loadUnpaired } from './data-setup.js';
import { evaluateMethod } from './evaluate.js';
import { dpoMethod, ktoMethod, listMethod, rmMethod, sftMethod, type Method } from './method-setup.js';
import { baseModel, prepareTrainable, saveTrained, type ModelSetup } from './model-setup.js';
import { progressHooks, type ProgressOptions } from './progress.js';
import { setupReference, type ReferenceMode } from './reference-setup.js';
import { openMetricsSink, prepareRunFolder, RUN_FILES, truncateMetrics } from './run-folder.js';

export interface RunOptions {
  /** Message lines (data reports, cache reuse, checkpoints). Default: none. */
  log?(line: string): void;
  /** A progress bar (tty) or plain per-step lines. Default: none. */
  progress?: ProgressOptions | null;
  /** Install SIGINT/SIGTERM handlers: first signal = checkpoint and stop, second = exit now. */
  handleSignals?: boolean;
  /** Polled between steps (library use): true stops with a checkpoint. */
  shouldStop?(): boolean;
}

export interface RunSummary {
  command: string;
  status: 'completed' | 'interrupted';
  global_step: number;
  max_steps: number;
  epoch: number;
  train_runtime: number;
  total_wall_seconds: number;
  tokens_per_second: number;
  peak_rss_mb: number;
  train_examples: number;
  eval_examples: number;
  final_metrics: MetricLine | null;
  final_eval: MetricLine | null;
  reference: { mode: string; cache: unknown[] };
  resumed_from: string | null;
  final_dir: string | null;
  checkpoints: string[];
}

function findResume(spec: boolean | string, root: string): string | null {
  if (spec === false) return null;
  if (typeof spec === 'string') {
    if (!existsSync(join(spec, 'trainer_state.json'))) throw new Error(`resume_from_checkpoint: ${spec} is not a complete checkpoint folder (no trainer_state.json)`);
    return spec;
  }
  const all = listCheckpoints(root);
  if (!all.length) throw new Error(`resume_from_checkpoint: no checkpoint in ${root}; start without --resume_from_checkpoint`);
  return all[all.length - 1].dir;
}

async function buildMethod(r: ResolvedTrainConfig, setup: ModelSetup, padId: number, log: (s: string) => void): Promise<Method<unknown>> {
  const tok = setup.tokenizer;
  switch (r.command) {
    case 'sft':
      return sftMethod(await loadSft(r.config, tok, log), padId, r.config.completion_only_loss) as Method<unknown>;
    case 'rm':
      checkStepInputs(r.loss, 'reward', 'rm');
      return rmMethod(await loadPairs(r.config, tok, log), padId, r.loss) as Method<unknown>;
    case 'dpo':
      if (r.loss.names.some((n) => getLoss(n).inputs === 'listwise')) {
        checkStepInputs(r.loss, 'listwise', 'dpo');
        return listMethod(await loadLists(r.config, tok, log), padId, r.loss, r.config.reference !== 'none') as Method<unknown>;
      }
      checkStepInputs(r.loss, 'preference', 'dpo');
      return dpoMethod(await loadPairs(r.config, tok, log), padId, r.loss, r.config.reference !== 'none') as Method<unknown>;
    case 'kto':
      checkStepInputs(r.loss, 'unpaired', 'kto');
      return ktoMethod(await loadUnpaired(r.config, tok, log), padId, r.loss, r.config.max_length) as Method<unknown>;
  }
}

export async function runTraining(r: ResolvedTrainConfig, opts: RunOptions = {}): Promise<RunSummary> {
  const tStart = performance.now();
  const cfg = r.config;
  const progress = opts.progress ? progressHooks(opts.progress) : null;
  const log = (s: string) => (progress ? progress.note(s) : opts.log?.(s));
  const out = resolve(cfg.output_dir);
  const ckRoot = join(out, RUN_FILES.checkpoints);
  const resumeDir = findResume(cfg.resume_from_checkpoint, ckRoot);
  if (resumeDir) checkResumeConfig(resumeDir, r.json);
  prepareRunFolder(out, r.json, resumeDir !== null);
  for (const t of removeStaleTemps(ckRoot)) log(`removed ${t}: a checkpoint save that never finished (the process was killed while saving)`);

  const base = baseModel(cfg);
  prepareTrainable(base.model, cfg, { scoreHead: r.command === 'rm' });
  const setup: ModelSetup = { ...base, lora: cfg.use_peft };
  if (setup.lora && setup.sourceDir === null) {
    // An adapter needs its base: a new model's base weights are saved once, and adapters point to them.
    setup.sourceDir = join(out, 'base_model');
    writeFolderAtomic(setup.sourceDir, (dir) => saveTrained({ ...setup, lora: false, sourceDir: null }, dir));
  }
  const model = setup.model;
  const tok = setup.tokenizer;
  const padId = tok.padId ?? tok.eosId ?? 0;
  const method = await buildMethod(r, setup, padId, log);

  const refMode: ReferenceMode = r.command === 'dpo' || r.command === 'kto' ? (r.config.reference as ReferenceMode) : 'none';
  const ref = setupReference({
    mode: refMode, policy: model, refModelDir: r.command === 'dpo' || r.command === 'kto' ? r.config.ref_model : null,
    sources: method.rowSources, cacheDir: r.command === 'dpo' || r.command === 'kto' ? r.config.ref_cache_dir : null,
    settings: {
      data_files: [cfg.train_file, cfg.eval_file], eval_split: cfg.eval_split, max_examples: cfg.max_examples,
      ...(cfg.eval_split > 0 ? { seed: cfg.seed } : {}), // the seed only matters through the split
      tokenizer: cfg.tokenizer ?? cfg.model_name_or_path, max_length: cfg.max_length, max_prompt_length: cfg.max_prompt_length,
      max_completion_length: cfg.max_completion_length, truncation_mode: cfg.truncation_mode,
    },
    batchSize: cfg.per_device_eval_batch_size, log,
  });
  const sync = (r.command === 'dpo' || r.command === 'kto') && r.config.sync_ref_model
    ? { steps: r.config.ref_model_sync_steps, alpha: r.config.ref_model_mixup_alpha } : null;

  const named = namedParams(model.params).filter(([, p]) => p.requiresGrad);
  const optimizer = createAdamW(named, { beta1: cfg.adam_beta1, beta2: cfg.adam_beta2, eps: cfg.adam_epsilon, weightDecay: cfg.weight_decay });
  let tokens = 0;
  const step: StepFn<unknown> = (b, ctx) => {
    const res = method.step(b, ctx);
    if (ctx.training) {
      tokens += res.tokens;
      faultStepDelay();
    }
    return res;
  };
  const loader = createLoader({ size: method.sizes.train, batchSize: cfg.per_device_train_batch_size, seed: cfg.seed, make: (idx) => method.batch('train', idx) });
  const accum = cfg.gradient_accumulation_steps;
  const maxSteps = cfg.max_steps > 0 ? cfg.max_steps : Math.max(1, Math.ceil((cfg.num_train_epochs * loader.batchesPerEpoch) / accum));
  const warmup = warmupStepsOf(cfg.warmup_steps, cfg.warmup_ratio, maxSteps);
  const schedule = { name: cfg.lr_scheduler_type, lr: cfg.learning_rate, warmupSteps: warmup, totalSteps: maxSteps, minLrRatio: cfg.min_lr_ratio };

  let resume: LoopState | null = null;
  let priorWall = 0;
  if (resumeDir) {
    const st = restoreFromCheckpoint(resumeDir, { setup, optimizer, frozenRef: ref.frozenModel });
    resume = st.loop;
    priorWall = st.wall_seconds;
    const dropped = truncateMetrics(join(out, RUN_FILES.metrics), st.global_step);
    log(`resuming from ${resumeDir} at step ${st.global_step}${dropped ? ` (dropped ${dropped} metric lines written after it)` : ''}`);
  }
  log(`training ${r.command}: ${method.sizes.train} train / ${method.sizes.eval} eval examples, ${maxSteps} steps, ` +
    `${named.reduce((n, [, p]) => n + p.size, 0).toLocaleString('en-US')} trainable parameters, reference: ${refMode}`);

  let stopRequested = false;
  const onSignal = (sig: string) => {
    if (stopRequested) {
      log(`${sig} again: exiting without a checkpoint`);
      process.exit(130);
    }
    stopRequested = true;
    log(`${sig}: finishing this step, then writing a checkpoint (press Ctrl-C again to quit at once)`);
  };
  const onInt = () => onSignal('SIGINT');
  const onTerm = () => onSignal('SIGTERM');
  if (opts.handleSignals) {
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  }
  const sink = openMetricsSink(join(out, RUN_FILES.metrics));
  const tTrain = performance.now();
  const epochOf = () => {
    const p = loader.position();
    return Math.round((p.epoch + p.batch / loader.batchesPerEpoch) * 1e4) / 1e4;
  };
  const hooks: TrainHooks = {
    onLog(line) {
      sink.write(line);
      progress?.onLog?.(line);
    },
    onEvalLog(line) {
      sink.write(line);
      if (progress) progress.onEvalLog?.(line);
      else log(`eval at step ${line.step}: ${JSON.stringify(line)}`);
    },
    evaluate: method.sizes.eval > 0 ? (s) => evaluateMethod(method, model, ref.provider, s, cfg.per_device_eval_batch_size) : undefined,
    saveCheckpoint(state, reason) {
      if (reason === 'final') return;
      sink.sync();
      log(`saving checkpoint step-${state.step}${reason === 'interrupt' ? ' (interrupted)' : ''}`);
      const files = checkpointFiles({
        setup, optimizer, frozenRef: ref.frozenModel, syncRef: sync !== null, state, epoch: epochOf(), maxSteps, config: r.json,
        wallSeconds: priorWall + (performance.now() - tStart) / 1000, reason,
      });
      writeCheckpoint(ckRoot, state.step, files, cfg.save_total_limit);
    },
    afterUpdate: sync
      ? (s) => {
        if (s % sync.steps === 0) mixIntoReference(model, ref.frozenModel!, sync.alpha);
      }
      : undefined,
    shouldStop: () => stopRequested || (opts.shouldStop?.() ?? false),
    onProgress: progress?.onProgress,
  };
  let result;
  try {
    result = await train({
      model, ref: ref.provider, step, optimizer, loader, hooks, maxSteps, learningRate: (s) => learningRateAt(s, schedule),
      gradientAccumulationSteps: accum, maxGradNorm: cfg.max_grad_norm, loggingSteps: cfg.logging_steps,
      evalSteps: cfg.eval_steps, saveSteps: cfg.save_steps, resume,
    });
  } finally {
    sink.close();
    progress?.done();
    if (opts.handleSignals) {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    }
  }
  let finalDir: string | null = null;
  if (result.stopped === 'completed') {
    finalDir = join(out, RUN_FILES.final);
    writeFolderAtomic(finalDir, (dir) => saveTrained(setup, dir));
    log(`final ${setup.lora ? 'adapter' : 'model'}: ${finalDir}`);
  }
  const trainSeconds = (performance.now() - tTrain) / 1000;
  const summary: RunSummary = {
    command: r.command, status: result.stopped, global_step: result.state.step, max_steps: maxSteps, epoch: epochOf(),
    train_runtime: trainSeconds, total_wall_seconds: priorWall + (performance.now() - tStart) / 1000,
    tokens_per_second: tokens / Math.max(trainSeconds, 1e-9), peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 102.4) / 10,
    train_examples: method.sizes.train, eval_examples: method.sizes.eval, final_metrics: result.lastLine, final_eval: result.lastEval,
    reference: { mode: refMode, cache: ref.cache }, resumed_from: resumeDir, final_dir: finalDir,
    checkpoints: listCheckpoints(ckRoot).map((c) => c.dir),
  };
  writeJsonAtomic(join(out, RUN_FILES.summary), summary);
  return summary;
}
