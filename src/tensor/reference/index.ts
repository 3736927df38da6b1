// The reference backend: plain TypeScript kernels, the correctness oracle (float32 or float64).
import type { Backend } from '../backend.js';
import { gemm } from './gemm.js';
import { referenceKernels } from './kernels.js';

export const referenceBackend: Backend = { name: 'reference', gemm, ...referenceKernels };
