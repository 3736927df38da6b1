// Likelihood displacement — Razin et al., "Unintentional Unalignment: Likelihood Displacement in
// Direct Preference Optimization" (arXiv 2410.08847, ICLR 2025): preference training can LOWER the
// probability of the preferred response and move mass elsewhere (possibly to an opposite answer).
// Measured as the reference-to-policy shift of each side's log-probability:
//     Δ_w = log πθ(y_w|x) − log π_ref(y_w|x)        Δ_l = log πθ(y_l|x) − log π_ref(y_l|x)
// Reported over pairs:
//     chosen_shift / rejected_shift          mean Δ_w, mean Δ_l (nats, summed over tokens)
//     chosen_shift_per_token                 mean Δ_w / |y_w|   (and the same for rejected)
//     chosen_decreased                       share of pairs with Δ_w < 0  (displacement of y_w)
//     both_decreased                         share with Δ_w < 0 and Δ_l < 0
//     displaced_share                        share with Δ_w < 0 < h = Δ_w − Δ_l: the margin grew
//                                            while the chosen response lost likelihood
//     chosen_shift_median / rejected_shift_median   the medians (robust to a few extreme pairs)

import { chosenLogRatio, rejectedLogRatio, requireRef, type PairLogps } from './pair-logps.js';
import { mean, median, share } from './stats.js';

export interface LikelihoodDisplacement {
  chosen_shift: number;
  rejected_shift: number;
  chosen_shift_per_token: number;
  rejected_shift_per_token: number;
  chosen_decreased: number;
  rejected_decreased: number;
  both_decreased: number;
  displaced_share: number;
  chosen_shift_median: number;
  rejected_shift_median: number;
}

export function likelihoodDisplacement(pairs: PairLogps[]): LikelihoodDisplacement {
  const withRef = requireRef(pairs, 'likelihood displacement');
  const dw = withRef.map(chosenLogRatio);
  const dl = withRef.map(rejectedLogRatio);
  return {
    chosen_shift: mean(dw),
    rejected_shift: mean(dl),
    chosen_shift_per_token: mean(withRef.map((p, i) => dw[i] / p.chosenTokens)),
    rejected_shift_per_token: mean(withRef.map((p, i) => dl[i] / p.rejectedTokens)),
    chosen_decreased: share(dw.map((d) => d < 0)),
    rejected_decreased: share(dl.map((d) => d < 0)),
    both_decreased: share(dw.map((d, i) => d < 0 && dl[i] < 0)),
    displaced_share: share(dw.map((d, i) => d < 0 && d - dl[i] > 0)),
    chosen_shift_median: median(dw),
    rejected_shift_median: median(dl),
  };
}
