// What the weight-mapping files read from: a checkpoint's tensors by Hugging Face name.

export interface HfTensor {
  shape: number[];
  data: Float32Array;
}

export interface WeightSource {
  /** Where the weights come from, for error messages. */
  file: string;
  names(): string[];
  get(name: string): HfTensor | undefined;
}

/** Reads a required tensor as a trainable Tensor-ready array, checking its shape. */
export function requireWeight(src: WeightSource, name: string, shape: number[]): Float32Array {
  const t = src.get(name);
  if (!t) throw new Error(`${src.file}: missing tensor '${name}' (expected shape [${shape.join(', ')}])`);
  if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
    throw new Error(`${src.file}: tensor '${name}' has shape [${t.shape.join(', ')}], expected [${shape.join(', ')}]`);
  }
  return t.data;
}

/** A row-major 2-D transpose (GPT-2's Conv1D stores [in, out]; we keep nn.Linear's [out, in]). */
export function transpose2d(data: Float32Array, rows: number, cols: number): Float32Array {
  const out = new Float32Array(data.length);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = data[r * cols + c];
  return out;
}
