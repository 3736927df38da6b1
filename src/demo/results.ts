// The shape of results.json (format 'prefkit-demo-results-v1'): everything the terminal table, the
// summary and report.html are made from. Timings live only under `timings`, so two runs with the same
// seed give identical files apart from that key.
import type { DemoConfig, DemoMethod } from './demo-config.js';
import type { PolicyMetrics } from './policy-eval.js';
import type { PairStats } from './preference-data.js';

export type Condition = 'clean' | 'noisy';

export interface DemoRun {
  label: string;
  condition: Condition;
  method: DemoMethod;
  steps: number;
  metrics: PolicyMetrics;
  curves: { loss: [number, number][]; accuracy: [number, number][]; margin: [number, number][] };
}

/** 'inconclusive': the direction the claim predicts, but within two standard errors. */
export type ClaimVerdict = 'held' | 'partly held' | 'inconclusive' | 'did not hold' | 'not tested';

export interface Claim {
  id: 'dpo-raises-reward' | 'beta-limits-kl' | 'robust-under-noise';
  statement: string;
  verdict: ClaimVerdict;
  /** What was seen, in plain words with the numbers. */
  evidence: string;
}

export interface DemoResults {
  format: 'prefkit-demo-results-v1';
  preset: string;
  config: DemoConfig;
  corpus: {
    file: string; train_sentences: number; heldout_sentences: number; distinct_openings: number; pair_openings: number; eval_openings: number;
  };
  reward: string;
  reference: {
    parameters: number; final_loss: number; tokens_seen: number; loss_curve: [number, number][]; metrics: PolicyMetrics; dir: string;
  };
  data: {
    files: Record<string, string>;
    pairs: PairStats;
    eval_pairs: PairStats;
    flipped: number;
    examples: { opening: string; chosen: string; rejected: string; chosen_reward: number; rejected_reward: number }[];
  };
  runs: DemoRun[];
  claims: Claim[];
  timings: Record<string, number>;
}
