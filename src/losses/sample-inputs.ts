// Random but valid inputs for any registered loss, drawn from the shapes and value kinds of INPUT_DOCS:
// for tests (gradient checks of every loss), benchmarks and documentation examples. Seeded, so the same
// seed gives the same inputs.
import { Rng, tensor, type DType, type Tensor } from '../tensor/index.js';
import { INPUT_DOCS, type ShapeCode, type ValueKind } from './inputs.js';
import { getLoss } from './registry.js';
import type { InputName, LossInputs } from './types.js';

export interface SampleSizes {
  B: number;
  T: number;
  N: number;
  M: number;
  K: number;
  D: number;
  S: number;
}

export const DEFAULT_SIZES: SampleSizes = { B: 4, T: 6, N: 4, M: 3, K: 3, D: 4, S: 3 };

function dims(code: ShapeCode, s: SampleSizes): number[] {
  if (code === 'scalar') return [1];
  return code.split('').map((c) => (c === 'G' ? s.D / 2 : s[c as keyof SampleSizes]));
}

function draw(kind: ValueKind, shape: number[], rng: Rng, s: SampleSizes): number[] {
  const n = shape.reduce((a, b) => a * b, 1);
  const u = (lo: number, hi: number) => lo + (hi - lo) * rng.uniform();
  const inner = shape[shape.length - 1] ?? 1;
  switch (kind) {
    case 'logp': return Array.from({ length: n }, () => u(-8, -1));
    case 'length': return Array.from({ length: n }, () => 1 + Math.floor(rng.uniform() * 5));
    case 'binary': return Array.from({ length: n }, (_, i) => (i % 2 === 0 ? 1 : 0));
    case 'prob': return Array.from({ length: n }, () => u(0.05, 0.95));
    case 'positive': return Array.from({ length: n }, () => u(0.1, 1));
    case 'weight': return Array.from({ length: n }, () => u(0.5, 1.5));
    case 'class': return Array.from({ length: n }, () => Math.floor(rng.uniform() * s.K));
    case 'mask': return Array.from({ length: n }, (_, i) => {
      // Two prompt tokens, then completion tokens; some rows padded at the end.
      const t = i % inner;
      const row = Math.floor(i / inner);
      return t >= 2 && t < inner - (row % 2) ? 1 : 0;
    });
    default: return Array.from({ length: n }, () => u(-1, 1));
  }
}

/** One valid input tensor by name; differentiable inputs require grad. */
export function sampleInput(name: InputName, rng: Rng, dtype: DType = 'float32', sizes: SampleSizes = DEFAULT_SIZES): Tensor {
  const doc = INPUT_DOCS[name];
  const shape = dims(doc.shape, sizes);
  return tensor(draw(doc.kind, shape, rng, sizes), shape, { dtype, requiresGrad: doc.differentiable }); // shape of INPUT_DOCS[name]
}

/** Every input a loss requires or reads (for wrappers, the default base loss's too). */
export function inputNamesOf(loss: string): InputName[] {
  const spec = getLoss(loss);
  const names = [...spec.requires, ...(spec.optional ?? [])];
  if (spec.baseLossOption) {
    const base = getLoss(String(spec.defaults[spec.baseLossOption]));
    names.push(...base.requires, ...(base.optional ?? []));
  }
  return [...new Set(names)];
}

export function sampleInputs(loss: string, seed = 0, dtype: DType = 'float32', sizes: SampleSizes = DEFAULT_SIZES,
  names: InputName[] = inputNamesOf(loss)): LossInputs {
  const rng = new Rng(seed);
  const out: LossInputs = {};
  for (const n of names) out[n] = sampleInput(n, rng, dtype, sizes);
  return out;
}
