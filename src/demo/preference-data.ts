// Step 3 of the demo: preference data from the reference's own samples. Each opening's k completions
// are scored by the lexicon (the full sentence, opening + completion) into a ranked example; pairs come
// from the data layer's pair construction:
//   best-vs-worst  chosen = the highest-scored completion, rejected = the lowest (one pair per opening;
//                  the DPO paper's controlled-sentiment setup samples pairs the same way)
//   best-vs-rest   the best against every strictly worse completion
//   curry          best-vs-rest ordered easy -> hard by score gap (Curry-DPO)
// Openings whose completions all score the same give no pair (counted). The noisy condition flips the
// labels of exactly round(flip_fraction * n) pairs chosen by a seeded shuffle.
// Files are TRL's explicit-prompt format (prompt / chosen / rejected, plus margin), so
// `prefkit data inspect FILE` and `prefkit train dpo` read them like any other dataset.
import { buildPairs, exampleToRecord, shuffledIndices, type CurriculumPair, type RankedExample, type TokenizedPair } from '../data/index.js';
import { createRecordWriter } from '../io/records/index.js';
import type { ByteTokenizer } from '../tokenizers/index.js';
import { lexiconReward } from './lexicon-reward.js';
import type { Completion } from './sample-completions.js';

export type DemoPairing = 'best-vs-worst' | 'best-vs-rest' | 'curry';

export interface DemoPair {
  /** Index of the opening the pair comes from. */
  prompt: number;
  opening: string;
  chosen: string;
  rejected: string;
  /** Lexicon reward of the full sentences (opening + completion). */
  chosenReward: number;
  rejectedReward: number;
  /** Whether the label was flipped (noisy condition): chosen is then the worse completion. */
  flipped: boolean;
}

/** Lexicon reward of each completion of each opening (the full sentence is scored). */
export function scoreCompletions(openings: string[], completions: Completion[][]): number[][] {
  return completions.map((row, i) => row.map((c) => lexiconReward(openings[i] + c.text)));
}

/**
 * Ranked examples (prompt, completions, scores) — what `prefkit data inspect` shows as 'ranked'.
 * Empty completions (the model stopped at once) are left out: a dataset row may not have an empty
 * response, and an empty "sentence" is no sample of the task.
 */
export function rankedExamples(openings: string[], completions: Completion[][], scores: number[][]): RankedExample[] {
  return openings.map((o, i) => {
    const keep = completions[i].map((c, j) => j).filter((j) => completions[i][j].text.trim() !== '');
    return { kind: 'ranked', id: `p${i}`, prompt: o, completions: keep.map((j) => completions[i][j].text), scores: keep.map((j) => scores[i][j]) };
  });
}

export interface PairStats {
  openings: number;
  pairs: number;
  /** Openings whose samples all got the same reward: no pair. */
  openingsWithoutPair: number;
  meanRewardGap: number;
}

export function buildDemoPairs(ranked: RankedExample[], pairing: DemoPairing): { pairs: DemoPair[]; stats: PairStats } {
  const lib = pairing === 'best-vs-worst' ? 'best-vs-rest' : pairing;
  const { pairs } = buildPairs(ranked, { pairing: lib });
  const byPrompt = new Map(ranked.map((r, i) => [r.id!, i]));
  const seen = new Set<number>();
  const out: DemoPair[] = [];
  for (const p of pairs as CurriculumPair[]) {
    const prompt = byPrompt.get(p.id!.split(':')[0])!;
    // best-vs-rest lists each prompt's pairs worst-first: the first one is best vs worst.
    if (pairing === 'best-vs-worst' && seen.has(prompt)) continue;
    seen.add(prompt);
    const r = ranked[prompt];
    const scores = r.scores!;
    const ci = r.completions.indexOf(p.chosen as string);
    const ri = r.completions.indexOf(p.rejected as string);
    out.push({
      prompt, opening: r.prompt as string, chosen: p.chosen as string, rejected: p.rejected as string,
      chosenReward: scores[ci], rejectedReward: scores[ri], flipped: false,
    });
  }
  const gaps = out.map((p) => p.chosenReward - p.rejectedReward);
  return {
    pairs: out,
    stats: {
      openings: ranked.length, pairs: out.length, openingsWithoutPair: ranked.length - seen.size,
      meanRewardGap: gaps.length ? gaps.reduce((a, b) => a + b, 0) / gaps.length : NaN,
    },
  };
}

/** A copy with the labels of exactly round(fraction * n) seeded-random pairs swapped. */
export function flipLabels(pairs: DemoPair[], fraction: number, seed: number): DemoPair[] {
  const n = Math.round(fraction * pairs.length);
  const flip = new Set(shuffledIndices(pairs.length, seed).subarray(0, n));
  return pairs.map((p, i) => (flip.has(i)
    ? { ...p, chosen: p.rejected, rejected: p.chosen, chosenReward: p.rejectedReward, rejectedReward: p.chosenReward, flipped: !p.flipped }
    : { ...p }));
}

/** TRL explicit-prompt records: prompt, chosen, rejected, margin (+ id, demo fields). */
export function pairRecord(p: DemoPair, i: number): Record<string, unknown> {
  return exampleToRecord({
    kind: 'paired', id: `p${p.prompt}:${i}`, prompt: p.opening, chosen: p.chosen, rejected: p.rejected,
    margin: p.chosenReward - p.rejectedReward,
    extra: { chosen_reward: p.chosenReward, rejected_reward: p.rejectedReward, label_flipped: p.flipped },
  });
}

export async function writeRecords(file: string, records: Record<string, unknown>[]): Promise<void> {
  const w = createRecordWriter(file);
  try {
    for (const r of records) await w.write(r);
    await w.close();
  } catch (e) {
    await w.abort();
    throw e;
  }
}

/** Token ids as the data layer tokenizes the written file: <bos> prompt | completion <eos>. */
export function tokenizeDemoPair(p: DemoPair, tok: ByteTokenizer): TokenizedPair {
  return {
    promptIds: tok.encode(p.opening, { addSpecialTokens: true }),
    chosenIds: [...tok.encode(p.chosen), tok.eosId],
    rejectedIds: [...tok.encode(p.rejected), tok.eosId],
    margin: p.chosenReward - p.rejectedReward,
  };
}
