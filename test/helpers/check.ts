// Gradient and backend-agreement checks shared by the tensor tests.
import assert from 'node:assert/strict';
import {
  Rng, Tensor, backward, mul, noGrad, sum, tensor, withBackend, type BackendName,
} from '../../src/tensor/index.js';

export type OpFn = (...xs: Tensor[]) => Tensor;

export interface InputSpec {
  shape: number[];
  /** Values drawn from [low, high) (default [-1, 1)). */
  low?: number;
  high?: number;
  /** No gradient checked for this input (e.g. a mask). */
  noGrad?: boolean;
}

export function makeInputs(specs: InputSpec[], seed: number, dtype: 'float32' | 'float64'): Tensor[] {
  const rng = new Rng(seed);
  return specs.map((s) => {
    const n = s.shape.reduce((a, b) => a * b, 1);
    const lo = s.low ?? -1;
    const hi = s.high ?? 1;
    const vals = Array.from({ length: n }, () => lo + (hi - lo) * rng.uniform());
    return tensor(vals, s.shape, { dtype, requiresGrad: !s.noGrad });
  });
}

/** Projection weights R so that sum(R * f(x)) is a scalar exercising every output element. */
function projection(shape: readonly number[], seed: number, dtype: 'float32' | 'float64'): Tensor {
  return makeInputs([{ shape: [...shape], noGrad: true }], seed + 999, dtype)[0];
}

/** Central finite differences in float64 on the reference backend vs the analytic gradient. */
export function gradcheck(fn: OpFn, specs: InputSpec[], seed = 1, tol = 1e-6): void {
  withBackend('reference', () => {
    const xs = makeInputs(specs, seed, 'float64');
    const y0 = fn(...xs);
    const r = projection(y0.shape, seed, 'float64');
    const loss = sum(mul(y0, r));
    if (!loss.requiresGrad) throw new Error('gradcheck: output does not require grad');
    backward(loss);
    const eps = 1e-6;
    xs.forEach((x, i) => {
      if (specs[i].noGrad) return;
      const analytic = x.grad!.data;
      let scale = 1e-3;
      for (const v of analytic) scale = Math.max(scale, Math.abs(v));
      for (let j = 0; j < x.size; j++) {
        const orig = x.data[j];
        x.data[j] = orig + eps;
        const fp = noGrad(() => sum(mul(fn(...xs), r)).item());
        x.data[j] = orig - eps;
        const fm = noGrad(() => sum(mul(fn(...xs), r)).item());
        x.data[j] = orig;
        const numeric = (fp - fm) / (2 * eps);
        const err = Math.abs(numeric - analytic[j]);
        assert.ok(err <= tol * Math.max(Math.abs(numeric), scale * 1e-2, 1) * 10,
          `input ${i} element ${j}: analytic ${analytic[j]} vs numeric ${numeric} (err ${err})`);
      }
    });
  });
}

function runOn(name: BackendName, fn: OpFn, specs: InputSpec[], seed: number): { y: Tensor; grads: (Float32Array | Float64Array | null)[] } {
  return withBackend(name, () => {
    const xs = makeInputs(specs, seed, 'float32');
    const y = fn(...xs);
    const r = projection(y.shape, seed, 'float32');
    if (y.requiresGrad) backward(sum(mul(y, r)));
    return { y, grads: xs.map((x, i) => (specs[i].noGrad ? null : x.grad?.data ?? null)) };
  });
}

/** Native and reference agree on outputs and gradients within float32 tolerance. */
export function compareBackends(fn: OpFn, specs: InputSpec[], seed = 1, rtol = 1e-4, atol = 1e-5): void {
  const a = runOn('native', fn, specs, seed);
  const b = runOn('reference', fn, specs, seed);
  assert.deepEqual(a.y.shape, b.y.shape);
  assertClose(a.y.data, b.y.data, rtol, atol, 'output');
  a.grads.forEach((g, i) => {
    if (!g || !b.grads[i]) return;
    assertClose(g, b.grads[i]!, rtol, atol, `grad of input ${i}`);
  });
}

export function assertClose(got: ArrayLike<number>, want: ArrayLike<number>, rtol: number, atol: number, what: string): void {
  assert.equal(got.length, want.length, `${what}: length ${got.length} vs ${want.length}`);
  for (let i = 0; i < got.length; i++) {
    const err = Math.abs(got[i] - want[i]);
    if (!(err <= atol + rtol * Math.abs(want[i])) && !(Number.isNaN(got[i]) && Number.isNaN(want[i])) && got[i] !== want[i]) {
      assert.fail(`${what}[${i}]: got ${got[i]}, want ${want[i]} (err ${err})`);
    }
  }
}
