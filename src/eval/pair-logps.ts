// The per-pair numbers every pair metric is computed from: sequence log-probs of the chosen (y_w)
// and rejected (y_l) completions under the policy πθ and, when given, the reference π_ref.
// log π(y|x) = Σ_t log π(y_t | x, y_<t) over completion tokens only (EOS included when appended);
// the token counts give the length-normalised ("avg") forms.

export interface PairLogps {
  /** log πθ(y_w|x), summed over completion tokens. */
  policyChosen: number;
  /** log πθ(y_l|x). */
  policyRejected: number;
  /** |y_w| and |y_l| in tokens (> 0). */
  chosenTokens: number;
  rejectedTokens: number;
  /** log π_ref(y_w|x) and log π_ref(y_l|x), when a reference model is given. */
  refChosen?: number;
  refRejected?: number;
  /**
   * Share of raters preferring y_w (α of Chen et al.), when the data carries it
   * (`preference_probability`).
   */
  alpha?: number;
}

/** Pairs that carry reference log-probs, narrowed. */
export type PairLogpsWithRef = PairLogps & { refChosen: number; refRejected: number };

export function hasRef(p: PairLogps): p is PairLogpsWithRef {
  return p.refChosen !== undefined && p.refRejected !== undefined;
}

/** Throws unless every pair has reference log-probs (metrics that need π_ref call this). */
export function requireRef(pairs: PairLogps[], metric: string): PairLogpsWithRef[] {
  const missing = pairs.findIndex((p) => !hasRef(p));
  if (missing >= 0) throw new Error(`${metric}: pair ${missing} has no reference log-probs (hint: pass a reference model, --ref DIR)`);
  return pairs as PairLogpsWithRef[];
}

/** Δ_w = log πθ(y_w|x) − log π_ref(y_w|x). */
export function chosenLogRatio(p: PairLogpsWithRef): number {
  return p.policyChosen - p.refChosen;
}

/** Δ_l = log πθ(y_l|x) − log π_ref(y_l|x). */
export function rejectedLogRatio(p: PairLogpsWithRef): number {
  return p.policyRejected - p.refRejected;
}

/** h = Δ_w − Δ_l, the DPO log-ratio margin. */
export function logRatioMargin(p: PairLogpsWithRef): number {
  return chosenLogRatio(p) - rejectedLogRatio(p);
}
