// The reference (pure TypeScript) kernels, every Backend kernel except gemm (see gemm.ts).
// They accept Float32Array or Float64Array buffers and accumulate in JS doubles: this is the
// correctness oracle for the native backend and the float64 path for finite-difference checks.
import type { Backend } from '../backend.js';
import { adamwMany } from './adamw.js';
import { arith } from './arith.js';
import { attentionBackward, attentionForward } from './attention.js';
import {
  geluBackward, geluForward, siluBackward, siluForward, swigluBackward, swigluForward,
} from './activations.js';
import { embeddingBackward, embeddingForward } from './embedding.js';
import { linearLogprobBackward, linearLogprobForward } from './linear-logprob.js';
import { logprobBackward, logprobForward } from './logprob.js';
import { layerNormBackward, layerNormForward, rmsNormBackward, rmsNormForward } from './norms.js';
import { rope } from './rope.js';
import { logSoftmaxBackward, logSoftmaxForward, softmaxBackward, softmaxForward } from './softmax.js';

export const referenceKernels: Omit<Backend, 'name' | 'gemm'> = {
  attentionForward,
  attentionBackward,
  rmsNormForward,
  rmsNormBackward,
  layerNormForward,
  layerNormBackward,
  rope,
  siluForward,
  siluBackward,
  geluForward,
  geluBackward,
  swigluForward,
  swigluBackward,
  softmaxForward,
  softmaxBackward,
  logSoftmaxForward,
  logSoftmaxBackward,
  logprobForward,
  logprobBackward,
  linearLogprobForward,
  linearLogprobBackward,
  embeddingForward,
  embeddingBackward,
  arith,
  adamwMany,
};
