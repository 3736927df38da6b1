// Shared reading of list / group inputs (B, N): responses of one prompt, with quality scores.
import { formatShape, type Tensor } from '../tensor/index.js';
import { LossError } from './errors.js';
import { need } from './inputs.js';
import type { InputName, LossInputs } from './types.js';

export interface ListInputs {
  policy: Tensor;
  scores: Tensor;
  B: number;
  N: number;
}

/** policyListLogps and listScores, both (B, N) with N >= 2. */
export function readList(loss: string, inputs: LossInputs): ListInputs {
  const policy = need(loss, inputs, 'policyListLogps'); // (B, N)
  const scores = need(loss, inputs, 'listScores'); // (B, N)
  if (policy.ndim !== 2 || policy.shape[1] < 2) {
    throw new LossError(`loss '${loss}': input policyListLogps has shape ${formatShape(policy.shape)}; expected (B, N) with N >= 2`, loss);
  }
  const [B, N] = policy.shape;
  sameList(loss, { listScores: scores }, B, N);
  return { policy, scores, B, N };
}

/** Every named tensor must be (B, N). */
export function sameList(loss: string, named: Partial<Record<InputName, Tensor>>, B: number, N: number): void {
  for (const [name, t] of Object.entries(named)) {
    if (t && (t.ndim !== 2 || t.shape[0] !== B || t.shape[1] !== N)) {
      throw new LossError(`loss '${loss}': input ${name} has shape ${formatShape(t.shape)}; expected (${B}, ${N}) like policyListLogps`, loss);
    }
  }
}

/** Row b of a (B, N) tensor as a plain array. */
export function row(t: Tensor, b: number): number[] {
  const N = t.shape[1];
  return Array.from(t.data.subarray(b * N, (b + 1) * N));
}

/** Indices of row b sorted by score, best first (ties keep list order). */
export function rankByScore(scores: Tensor, b: number): number[] {
  const s = row(scores, b);
  return s.map((_, i) => i).sort((i, j) => s[j] - s[i] || i - j);
}
