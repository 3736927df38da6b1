// Golden-file checks: every case of a golden loss file (format: test/fixtures/golden/README.md) is computed
// through the registry (computeLoss) and autograd, and compared element by element with the expected
// `loss`, `losses`, `chosen_rewards`, `rejected_rewards` and `grad_<input>` values.
// An element passes when |got - want| <= atol + rtol * |want| (default 1e-5 + 1e-4 |want|). Per case we
// report the worst absolute error, the worst relative error (|got - want| / |want|) and the worst ratio
// of error to tolerance (<= 1 passes). A malformed case is reported (with its index and field), not thrown.
import { backward, tensor, withBackend, type DType, type Tensor } from '../tensor/index.js';
import { computeLoss } from './combine.js';
import { LossError } from './errors.js';
import { INPUT_DOCS } from './inputs.js';
import type { InputName, LossInputs, LossOutput } from './types.js';

export interface GoldenCase {
  name: string;
  family?: string;
  options: Record<string, unknown>;
  inputs: Record<string, number[]>;
  outputs: Record<string, number | number[]>;
}

export interface GoldenCaseResult {
  index: number;
  name: string;
  family?: string;
  options: Record<string, unknown>;
  /** Output fields compared, e.g. loss, losses, grad_policy_chosen_logps. */
  fields: string[];
  worstAbs: number;
  worstRel: number;
  /** max |got - want| / (atol + rtol |want|); <= 1 passes. */
  worstTolRatio: number;
  /** Field and index of the worst element, e.g. "grad_policy_chosen_logps[3]". */
  worstAt: string;
  pass: boolean;
  error?: string;
}

export interface GoldenCheckOptions {
  rtol?: number;
  atol?: number;
  dtype?: DType;
}

/** snake_case golden names to camelCase input names: policy_chosen_logps -> policyChosenLogps. */
export function camelCase(s: string): string {
  return s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** Parses a golden file's JSON text; errors name the source and what is wrong. */
export function parseGoldenFile(text: string, source = 'golden file'): GoldenCase[] {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new LossError(`${source}: not valid JSON (${(e as Error).message})`);
  }
  const cases = (data as { cases?: unknown })?.cases;
  if (!Array.isArray(cases)) throw new LossError(`${source}: expected an object with a "cases" array`);
  return cases.map((c, i) => {
    const at = `${source}: case ${i}`;
    if (typeof c !== 'object' || c === null) throw new LossError(`${at}: expected an object`);
    const { name, options, inputs, outputs } = c as Record<string, unknown>;
    if (typeof name !== 'string') throw new LossError(`${at}: field "name" must be a string`);
    for (const [field, v] of [['inputs', inputs], ['outputs', outputs]] as const) {
      if (typeof v !== 'object' || v === null) throw new LossError(`${at} (${name}): field "${field}" must be an object`);
    }
    return {
      name,
      family: typeof (c as { family?: unknown }).family === 'string' ? (c as { family: string }).family : undefined,
      options: (options ?? {}) as Record<string, unknown>,
      inputs: inputs as Record<string, number[]>,
      outputs: outputs as Record<string, number | number[]>,
    };
  });
}

function toInputs(c: GoldenCase, dtype: DType): { inputs: LossInputs; leaves: Map<string, Tensor> } {
  const inputs: LossInputs = {};
  const leaves = new Map<string, Tensor>();
  for (const [key, values] of Object.entries(c.inputs)) {
    const name = camelCase(key) as InputName;
    if (!(name in INPUT_DOCS)) throw new LossError(`input "${key}" is not a known loss input`);
    if (!Array.isArray(values) || values.some((v) => typeof v !== 'number')) {
      throw new LossError(`input "${key}" must be an array of numbers`);
    }
    const wantsGrad = `grad_${key}` in c.outputs;
    const t = tensor(values, [values.length], { dtype, requiresGrad: wantsGrad }); // (B,) or (1,)
    inputs[name] = t;
    leaves.set(key, t);
  }
  return { inputs, leaves };
}

function actual(field: string, out: LossOutput, leaves: Map<string, Tensor>): ArrayLike<number> {
  if (field === 'loss') return [out.loss.item()];
  if (field === 'losses') return out.losses.data;
  if (field === 'chosen_rewards' && out.chosenRewards) return out.chosenRewards.data;
  if (field === 'rejected_rewards' && out.rejectedRewards) return out.rejectedRewards.data;
  if (field.startsWith('grad_')) {
    const leaf = leaves.get(field.slice(5));
    if (!leaf) throw new LossError(`output "${field}" names no input "${field.slice(5)}"`);
    return leaf.grad ? leaf.grad.data : new Float64Array(leaf.size);
  }
  throw new LossError(`output "${field}" is not produced by this loss`);
}

/** Runs one case and compares every expected output. */
export function checkGoldenCase(c: GoldenCase, index: number, opts: GoldenCheckOptions = {}): GoldenCaseResult {
  const rtol = opts.rtol ?? 1e-4;
  const atol = opts.atol ?? 1e-5;
  const dtype = opts.dtype ?? 'float32';
  const result: GoldenCaseResult = {
    index, name: c.name, family: c.family, options: c.options, fields: [],
    worstAbs: 0, worstRel: 0, worstTolRatio: 0, worstAt: '', pass: false,
  };
  const run = () => {
    const { inputs, leaves } = toInputs(c, dtype);
    const out = computeLoss({ ...c.options, loss_type: c.name }, inputs);
    if (out.loss.requiresGrad) backward(out.loss);
    for (const [field, want] of Object.entries(c.outputs)) {
      const w = typeof want === 'number' ? [want] : want;
      const got = actual(field, out, leaves);
      if (got.length !== w.length) throw new LossError(`output "${field}": ${got.length} values computed, ${w.length} expected`);
      result.fields.push(field);
      for (let i = 0; i < w.length; i++) {
        const err = Math.abs(got[i] - w[i]);
        const ratio = Number.isNaN(err) ? Infinity : err / (atol + rtol * Math.abs(w[i]));
        result.worstAbs = Math.max(result.worstAbs, Number.isNaN(err) ? Infinity : err);
        result.worstRel = Math.max(result.worstRel, w[i] === 0 ? (err === 0 ? 0 : Infinity) : err / Math.abs(w[i]));
        if (ratio > result.worstTolRatio || result.worstAt === '') {
          result.worstTolRatio = Math.max(result.worstTolRatio, ratio);
          result.worstAt = typeof want === 'number' ? field : `${field}[${i}]`;
        }
      }
    }
    result.pass = result.worstTolRatio <= 1;
  };
  try {
    if (dtype === 'float64') withBackend('reference', run);
    else run();
  } catch (e) {
    result.pass = false;
    result.error = (e as Error).message;
  }
  return result;
}

export function checkGolden(cases: GoldenCase[], opts: GoldenCheckOptions = {}): { results: GoldenCaseResult[]; pass: boolean } {
  const results = cases.map((c, i) => checkGoldenCase(c, i, opts));
  return { results, pass: results.every((r) => r.pass) };
}
