// Public surface of the tensor layer.
export type { Buf, Backend, GemmArgs, AttentionShape, AdamWStep } from './backend.js';
export { Tensor, liveTensorCount, allocBuffer, type DType, type GradNode } from './tensor.js';
export { backward, noGrad, isGradEnabled } from './autograd.js';
export { GRAD_RULES, type OpName, type GradRule } from './grad-rules.js';
export { backend, setBackend, withBackend, BACKEND_NAMES, type BackendName } from './select-backend.js';
export { Rng } from './random.js';
export { ShapeError, formatShape, sizeOf, type Shape } from './shape.js';
export * from './create.js';
export * from './ops/unary.js';
export * from './ops/binary.js';
export * from './ops/reduce.js';
export * from './ops/shape-ops.js';
export * from './ops/index-ops.js';
export * from './ops/matmul.js';
export * from './ops/norm-activation.js';
export * from './ops/sequence-ops.js';
export type { TensorLike } from './ops/scalar.js';
