// Step 5 of the demo: evaluation of a policy against the reference, with the eval layer's metrics.
//   reward      mean lexicon reward of the policy's own samples on the held-out evaluation openings
//   KL          sampled KL(π ‖ π_ref) from the same samples (k1 = mean log-ratio, nats per completion)
//   win rate    policy sample j vs reference sample j of each opening, judged by the lexicon (ties ½),
//               with a seeded bootstrap CI; the reference's comparison samples use their own seed
//               stream, so the reference evaluated as a policy scores ≈ 50 %
//   ranking     ranking accuracy 1[log π(y_w) > log π(y_l)] on held-out pairs (best vs worst of the
//               reference's samples of the evaluation openings, clean labels) next to the idealized
//               ranking accuracy R* of Chen et al. at the method's β, with the rater share
//               α = σ(r_w − r_l) of a Bradley–Terry judge on the lexicon reward
import { idealizedRankingAccuracy, meanReward, rankingAccuracy, sampledKl, winRate, type PairLogps, type RankingAccuracy, type SampledKl, type WinRate } from '../eval/index.js';
import type { TokenizedPair } from '../data/index.js';
import type { DecoderModel } from '../models/decoder-params.js';
import type { ByteTokenizer } from '../tokenizers/index.js';
import type { DemoConfig } from './demo-config.js';
import { lexiconReward } from './lexicon-reward.js';
import { referenceTable, rowLogps } from './policy-training.js';
import type { DemoPair } from './preference-data.js';
import { mixSeed, sampleCompletions, type Completion } from './sample-completions.js';

/** Seed streams: distinct streams for distinct sample sets of one run. */
export const SEED_STREAMS = { pairSamples: 1, evalReferenceSamples: 2, policySamples: 3, flips: 4, bootstrap: 5, order: 6 } as const;

export interface EvalContext {
  openings: string[];
  /** The reference's comparison sample j of opening i, reward, at index i * S + j (S = eval samples per opening). */
  baselineRewards: number[];
  pairs: DemoPair[];
  tokenizedPairs: TokenizedPair[];
  /** Reference log-probs of the eval pairs (2i chosen, 2i + 1 rejected). */
  pairRefLogps: Float32Array;
}

export interface PolicyMetrics {
  reward: { mean: number; std: number; stderr: number; samples: number };
  kl: SampledKl;
  winRate: WinRate;
  ranking: RankingAccuracy;
  /** R* at this β (null for the reference). */
  idealized: RankingAccuracy | null;
  /** Mean completion length in bytes, and the share of completions that ended with <eos>. */
  meanBytes: number;
  endedShare: number;
  /** A few samples for the report: opening, completion, reward. */
  examples: { opening: string; completion: string; reward: number }[];
}

export function evalContext(args: {
  openings: string[]; refSamples: Completion[][]; pairs: DemoPair[]; tokenizedPairs: TokenizedPair[]; ref: DecoderModel; cfg: DemoConfig;
}): EvalContext {
  const S = args.cfg.sampling.eval_samples_per_prompt;
  const baselineRewards: number[] = [];
  args.refSamples.forEach((row, i) => {
    for (let j = 0; j < S; j++) baselineRewards.push(lexiconReward(args.openings[i] + row[j].text));
  });
  return {
    openings: args.openings, baselineRewards, pairs: args.pairs, tokenizedPairs: args.tokenizedPairs,
    pairRefLogps: referenceTable(args.ref, args.tokenizedPairs),
  };
}

/** Summed log-probs (policy) of the eval pairs in the eval layer's PairLogps form. */
function pairLogps(policy: DecoderModel, ctx: EvalContext): PairLogps[] {
  const pol = referenceTable(policy, ctx.tokenizedPairs);
  return ctx.pairs.map((p, i) => ({
    policyChosen: pol[2 * i], policyRejected: pol[2 * i + 1],
    refChosen: ctx.pairRefLogps[2 * i], refRejected: ctx.pairRefLogps[2 * i + 1],
    chosenTokens: ctx.tokenizedPairs[i].chosenIds.length, rejectedTokens: ctx.tokenizedPairs[i].rejectedIds.length,
    alpha: 1 / (1 + Math.exp(-(p.chosenReward - p.rejectedReward))),
  }));
}

export function evaluatePolicy(args: {
  policy: DecoderModel; ref: DecoderModel; tok: ByteTokenizer; ctx: EvalContext; cfg: DemoConfig; beta: number | null;
  onBatch?(done: number, total: number): void;
}): PolicyMetrics {
  const { policy, ref, tok, ctx, cfg } = args;
  const S = cfg.sampling.eval_samples_per_prompt;
  const samples = sampleCompletions(policy, tok, ctx.openings, {
    k: S, maxNewTokens: cfg.sampling.max_new_tokens, temperature: cfg.sampling.temperature,
    seed: mixSeed(cfg.seed, SEED_STREAMS.policySamples), batchRows: cfg.sampling.batch_rows, onBatch: args.onBatch,
  });
  const rewards: number[] = [];
  const rows: { promptIds: number[]; completionIds: number[] }[] = [];
  let bytes = 0;
  let ended = 0;
  samples.forEach((row, i) => {
    const promptIds = tok.encode(ctx.openings[i], { addSpecialTokens: true });
    for (const c of row) {
      rewards.push(lexiconReward(ctx.openings[i] + c.text));
      // The sampled sequence exactly: <eos> counts only when the model produced it.
      rows.push({ promptIds, completionIds: c.ended ? [...c.ids, tok.eosId] : c.ids });
      bytes += c.ids.length;
      if (c.ended) ended++;
    }
  });
  const polLp = rowLogps(policy, rows);
  const refLp = policy === ref ? polLp : rowLogps(ref, rows);
  const kl = sampledKl(rows.map((r, k) => ({ policy: polLp[k], ref: refLp[k], tokens: r.completionIds.length })));
  const mr = meanReward(rewards);
  const pairs = pairLogps(policy, ctx);
  const examples = ctx.openings.slice(0, 6).map((o, i) => ({ opening: o, completion: samples[i][0].text, reward: rewards[i * S] }));
  return {
    reward: { mean: mr.mean, std: mr.std, stderr: mr.samples > 1 ? mr.std / Math.sqrt(mr.samples - 1) : NaN, samples: mr.samples },
    kl,
    winRate: winRate(rewards, ctx.baselineRewards, { resamples: cfg.eval.bootstrap_resamples, seed: mixSeed(cfg.seed, SEED_STREAMS.bootstrap) }),
    ranking: rankingAccuracy(pairs, 'policy'),
    idealized: args.beta === null ? null : idealizedRankingAccuracy(pairs, args.beta),
    meanBytes: bytes / rows.length,
    endedShare: ended / rows.length,
    examples,
  };
}
