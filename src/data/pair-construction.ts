// Pairs from rated or ranked responses (UltraFeedback-style: a prompt, N completions, a score or a
// rank each). Ranks become scores (score = -rank), so both follow one rule: higher is better, and
// equal scores are ties, which never make a strict pair. Every pair carries margin = the score gap.
//
//   best-vs-rest  chosen = the best completion, rejected = each strictly worse one (N-1 pairs).
//                 With several completions tied for best, the first of them is chosen.
//   all-pairs     every (i, j) with score_i > score_j: up to N(N-1)/2 pairs.
//   curry         Curry-DPO (Pattnaik et al., arXiv 2403.07230): the best-vs-rest pairs of every
//                 prompt, ordered easy to hard across the dataset. 'score-gap' (default): by score
//                 gap, largest first. 'rank': by the rejected response's rank from the bottom —
//                 stage 1 holds every (R1, R_last), stage 2 every (R1, R_last-1), ... — which is
//                 the paper's iterative curriculum. Each pair gets `curriculumStage` (1-based) so
//                 a trainer can run the stages one after another (ref = previous stage's model).
//                 Sorting is stable: equal keys keep the input order.

import type { PairedExample, RankedExample, Text } from './example-types.js';

export const PAIRINGS = ['best-vs-rest', 'all-pairs', 'curry'] as const;
export type Pairing = (typeof PAIRINGS)[number];
export type CurriculumOrder = 'score-gap' | 'rank';

export interface PairOptions {
  pairing?: Pairing;
  curriculum?: CurriculumOrder;
  /** all-pairs only: also emit tied pairs, with tie: true. Default false. */
  includeTies?: boolean;
}

export interface CurriculumPair extends PairedExample {
  curriculumStage?: number;
}

export interface PairingStats {
  prompts: number;
  pairs: number;
  /** Prompts whose completions all tie: no strict pair can be made. */
  promptsWithoutPairs: number;
  /** Tied (completion, completion) combinations not turned into pairs. */
  tiesLeftOut: number;
}

export function scoresOf(ex: RankedExample): number[] {
  if (ex.scores) return ex.scores;
  if (ex.ranks) return ex.ranks.map((r) => -r);
  throw new TypeError('scoresOf: a ranked example needs scores or ranks');
}

function pair(ex: RankedExample, chosen: Text, rejected: Text, margin: number, i: number, j: number): CurriculumPair {
  const p: CurriculumPair = { kind: 'paired', prompt: ex.prompt, chosen, rejected, margin };
  const base = ex.id ?? undefined;
  if (base !== undefined) p.id = `${base}:${i}>${j}`;
  if (ex.annotatorId !== undefined) p.annotatorId = ex.annotatorId;
  return p;
}

/** The pairs of one ranked example (no cross-prompt ordering; see buildPairs for curry). */
export function pairsOf(ex: RankedExample, opts: PairOptions = {}, stats?: PairingStats): CurriculumPair[] {
  const s = scoresOf(ex);
  const n = s.length;
  const out: CurriculumPair[] = [];
  let ties = 0;
  const pairing = opts.pairing ?? 'best-vs-rest';
  if (pairing === 'all-pairs') {
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j < n; j++) {
        if (s[i] === s[j]) {
          ties++;
          if (opts.includeTies) out.push({ ...pair(ex, ex.completions[i], ex.completions[j], 0, i, j), tie: true });
        } else if (s[i] > s[j]) out.push(pair(ex, ex.completions[i], ex.completions[j], s[i] - s[j], i, j));
        else out.push(pair(ex, ex.completions[j], ex.completions[i], s[j] - s[i], j, i));
      }
    }
  } else {
    let best = 0;
    for (let i = 1; i < n; i++) if (s[i] > s[best]) best = i;
    // Worst first: the order Curry-DPO's rank curriculum walks (R_last, R_last-1, ..., R2).
    const rest = [...Array(n).keys()].filter((i) => i !== best).sort((a, b) => s[a] - s[b]);
    let stage = 0;
    let prev = Number.NaN;
    for (const j of rest) {
      if (s[j] === s[best]) {
        ties++;
        continue;
      }
      if (s[j] !== prev) stage++;
      prev = s[j];
      const p = pair(ex, ex.completions[best], ex.completions[j], s[best] - s[j], best, j);
      if (pairing === 'curry') p.curriculumStage = stage;
      out.push(p);
    }
  }
  if (stats) {
    stats.prompts++;
    stats.pairs += out.filter((p) => !p.tie).length;
    stats.tiesLeftOut += opts.includeTies ? 0 : ties;
    if (out.length === 0) stats.promptsWithoutPairs++;
  }
  return out;
}

export function newPairingStats(): PairingStats {
  return { prompts: 0, pairs: 0, promptsWithoutPairs: 0, tiesLeftOut: 0 };
}

/**
 * Pairs of a whole dataset. For 'curry' the pairs are ordered easy -> hard across prompts (this
 * needs all pairs in memory; the other pairings keep input order and could stream via pairsOf).
 */
export function buildPairs(examples: RankedExample[], opts: PairOptions = {}): { pairs: CurriculumPair[]; stats: PairingStats } {
  const stats = newPairingStats();
  const pairs = examples.flatMap((ex) => pairsOf(ex, opts, stats));
  if ((opts.pairing ?? 'best-vs-rest') === 'curry') return { pairs: orderCurriculum(pairs, opts.curriculum), stats };
  return { pairs, stats };
}

/** Stable sort easy -> hard; rewrites curriculumStage for 'score-gap' (one stage per distinct gap). */
export function orderCurriculum(pairs: CurriculumPair[], order: CurriculumOrder = 'score-gap'): CurriculumPair[] {
  const keyed = pairs.map((p, i) => ({ p, i }));
  if (order === 'rank') {
    keyed.sort((a, b) => (a.p.curriculumStage ?? 0) - (b.p.curriculumStage ?? 0) || a.i - b.i);
    return keyed.map((k) => k.p);
  }
  keyed.sort((a, b) => (b.p.margin ?? 0) - (a.p.margin ?? 0) || a.i - b.i);
  let stage = 0;
  let prev = Number.NaN;
  return keyed.map(({ p }) => {
    if (p.margin !== prev) stage++;
    prev = p.margin ?? 0;
    return { ...p, curriculumStage: stage };
  });
}
