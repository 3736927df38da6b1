// Tensor-or-number operands: numbers become 0-d tensors of the other operand's dtype.
import { Tensor, type DType } from '../tensor.js';

export type TensorLike = Tensor | number;

export function asTensor(x: TensorLike, dtype: DType = 'float32'): Tensor {
  if (x instanceof Tensor) return x;
  return new Tensor(dtype === 'float64' ? new Float64Array([x]) : new Float32Array([x]), []);
}

/** The dtype two operands combine to (float64 wins). */
export function commonDtype(...xs: TensorLike[]): DType {
  return xs.some((x) => x instanceof Tensor && x.dtype === 'float64') ? 'float64' : 'float32';
}
