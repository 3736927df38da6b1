// CHES — centered hidden embedding similarity (Razin et al., "Unintentional Unalignment", arXiv
// 2410.08847, ICLR 2025; reference code princeton-nlp/unintentional-unalignment ches/ches.py).
//
// h_t are the last-layer hidden states of the CURRENT model on (x, y) at the positions that predict
// each response token: from the last prompt token up to the second-to-last response token (so |y|
// states; the state at the final token is not used). With
//     S+ = Σ_t h_t(x, y+)        S− = Σ_t h_t(x, y−)
//     CHES(x, y+, y−)    = ⟨S+, S−⟩ − ‖S+‖²
//     LN-CHES(x, y+, y−) = ⟨S+, S−⟩ / (|y+|·|y−|) − ‖S+‖² / |y+|²
// A high CHES means y− is embedded like y+: DPO on that pair tends to DECREASE log π(y+)
// (likelihood displacement). The paper filters a dataset by dropping the pairs with the HIGHEST
// LN-CHES (their recipe keeps the lowest 5%).

export interface ChesScore {
  ches: number;
  ln_ches: number;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** CHES and LN-CHES from the summed hidden states of each side and the response lengths. */
export function chesFromSums(sPlus: ArrayLike<number>, sMinus: ArrayLike<number>, nPlus: number, nMinus: number): ChesScore {
  if (sPlus.length !== sMinus.length) throw new RangeError(`CHES: hidden sums of size ${sPlus.length} and ${sMinus.length}`);
  if (!(nPlus > 0 && nMinus > 0)) throw new RangeError(`CHES: response lengths must be > 0, got ${nPlus} and ${nMinus}`);
  const cross = dot(sPlus, sMinus);
  const self = dot(sPlus, sPlus);
  return { ches: cross - self, ln_ches: cross / (nPlus * nMinus) - self / (nPlus * nPlus) };
}

/** CHES from per-position hidden states (rows of H numbers), summing them first. */
export function chesFromStates(hPlus: ArrayLike<number>[], hMinus: ArrayLike<number>[]): ChesScore {
  const sum = (rows: ArrayLike<number>[]): Float64Array => {
    const s = new Float64Array(rows[0]?.length ?? 0);
    for (const r of rows) for (let i = 0; i < s.length; i++) s[i] += r[i];
    return s;
  };
  return chesFromSums(sum(hPlus), sum(hMinus), hPlus.length, hMinus.length);
}

export type ChesSelection = { dropShare: number } | { threshold: number };

export interface ChesFilterResult {
  /** Indices kept, in input order. */
  kept: number[];
  /** Indices dropped, highest score first. */
  dropped: number[];
  /** The score at and above which pairs were dropped (the threshold, or the smallest dropped score). */
  cutoff: number;
}

/**
 * Drops the most displacement-prone pairs by LN-CHES (or any score, higher = worse):
 * dropShare s drops the ⌈s·n⌉ highest (ties broken by input order, earlier kept first);
 * threshold x drops every pair with score > x.
 */
export function selectByChes(scores: ArrayLike<number>, sel: ChesSelection): ChesFilterResult {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[b] - scores[a] || b - a);
  let drop: number[];
  if ('dropShare' in sel) {
    if (!(sel.dropShare >= 0 && sel.dropShare <= 1)) throw new RangeError(`CHES filter: drop share must be in [0, 1], got ${sel.dropShare}`);
    drop = order.slice(0, Math.ceil(sel.dropShare * n - 1e-9));
  } else {
    if (!Number.isFinite(sel.threshold)) throw new RangeError(`CHES filter: threshold must be a finite number, got ${sel.threshold}`);
    drop = order.filter((i) => scores[i] > sel.threshold);
  }
  const dropped = new Set(drop);
  const kept = Array.from({ length: n }, (_, i) => i).filter((i) => !dropped.has(i));
  const cutoff = 'threshold' in sel ? sel.threshold : drop.length ? scores[drop[drop.length - 1]] : Infinity;
  return { kept, dropped: drop, cutoff };
}
