// Every tensor op: finite-difference gradient check (float64, reference backend) and native vs
// reference agreement (float32) on outputs and gradients.
import { describe, test } from 'node:test';
import * as T from '../src/tensor/index.js';
import { compareBackends, gradcheck, type InputSpec, type OpFn } from './helpers/check.js';

interface Case {
  name: string;
  fn: OpFn;
  inputs: InputSpec[];
}

const positive = (shape: number[]): InputSpec => ({ shape, low: 0.2, high: 2 });
const any = (shape: number[]): InputSpec => ({ shape });

const mask = new Float32Array([1, 1, 1, 0, 1, 1, 1, 1, 1, 1]);
const positions = Int32Array.from([0, 1, 2, 3, 4, 0, 1, 2, 3, 4]);
const invFreq = new Float32Array([1, 0.1, 0.01]);

const CASES: Case[] = [
  { name: 'add broadcast', fn: (a, b) => T.add(a, b), inputs: [any([2, 3, 4]), any([3, 1])] },
  { name: 'sub scalar', fn: (a) => T.sub(2.5, a), inputs: [any([5])] },
  { name: 'mul broadcast', fn: (a, b) => T.mul(a, b), inputs: [any([2, 1, 4]), any([3, 4])] },
  { name: 'div', fn: (a, b) => T.div(a, b), inputs: [any([3, 4]), positive([4])] },
  { name: 'maximum', fn: (a, b) => T.maximum(a, b), inputs: [any([6]), any([6])] },
  { name: 'minimum', fn: (a, b) => T.minimum(a, b), inputs: [any([2, 3]), any([1, 3])] },
  { name: 'where', fn: (a, b) => T.where(T.gt(a, 0), a, b), inputs: [any([4, 3]), any([3])] },
  { name: 'neg', fn: (a) => T.neg(a), inputs: [any([7])] },
  { name: 'exp', fn: (a) => T.exp(a), inputs: [any([7])] },
  { name: 'log', fn: (a) => T.log(a), inputs: [positive([7])] },
  { name: 'sigmoid', fn: (a) => T.sigmoid(T.mul(a, 8)), inputs: [any([9])] },
  { name: 'logSigmoid', fn: (a) => T.logSigmoid(T.mul(a, 8)), inputs: [any([9])] },
  { name: 'softplus', fn: (a) => T.softplus(T.mul(a, 8)), inputs: [any([9])] },
  { name: 'relu', fn: (a) => T.relu(a), inputs: [any([9])] },
  { name: 'tanh', fn: (a) => T.tanh(a), inputs: [any([9])] },
  { name: 'sqrt', fn: (a) => T.sqrt(a), inputs: [positive([9])] },
  { name: 'abs', fn: (a) => T.abs(a), inputs: [any([9])] },
  { name: 'square', fn: (a) => T.square(a), inputs: [any([9])] },
  { name: 'log1p', fn: (a) => T.log1p(a), inputs: [positive([9])] },
  { name: 'expm1', fn: (a) => T.expm1(a), inputs: [any([9])] },
  { name: 'pow', fn: (a) => T.pow(a, 2.5), inputs: [positive([9])] },
  { name: 'clamp', fn: (a) => T.clamp(a, -0.5, 0.3), inputs: [any([9])] },
  { name: 'scale', fn: (a) => T.scale(a, -3), inputs: [any([4])] },
  { name: 'sum all', fn: (a) => T.sum(a), inputs: [any([3, 4])] },
  { name: 'sum axes keepDim', fn: (a) => T.sum(a, [0, 2], true), inputs: [any([2, 3, 4])] },
  { name: 'mean axis', fn: (a) => T.mean(a, -1), inputs: [any([3, 5])] },
  { name: 'max axis', fn: (a) => T.max(a, 1), inputs: [any([3, 5])] },
  { name: 'min all', fn: (a) => T.min(a), inputs: [any([3, 5])] },
  { name: 'logsumexp', fn: (a) => T.logsumexp(T.mul(a, 20), -1), inputs: [any([3, 5])] },
  { name: 'reshape', fn: (a) => T.mul(T.reshape(a, [6, -1]), T.reshape(a, [6, 2])), inputs: [any([3, 4])] },
  { name: 'permute', fn: (a) => T.permute(a, [2, 0, 1]), inputs: [any([2, 3, 4])] },
  { name: 'transpose', fn: (a) => T.transpose(a), inputs: [any([2, 3, 4])] },
  { name: 'slice', fn: (a) => T.slice(a, 1, 1, -1), inputs: [any([2, 5, 3])] },
  { name: 'concat', fn: (a, b) => T.concat([a, b, a], 1), inputs: [any([2, 2]), any([2, 3])] },
  { name: 'stack', fn: (a, b) => T.stack([a, b], 0), inputs: [any([2, 3]), any([2, 3])] },
  { name: 'indexSelect', fn: (a) => T.indexSelect(a, 0, [2, 0, 2, 1]), inputs: [any([3, 4])] },
  { name: 'gather', fn: (a) => T.gather(a, 1, T.indexTensor([0, 2, 2, 1, 1, 0], [3, 2])), inputs: [any([3, 3])] },
  { name: 'sort values', fn: (a) => T.sort(a, -1, true).values, inputs: [any([3, 6])] },
  { name: 'matmul 2d', fn: (a, b) => T.matmul(a, b), inputs: [any([5, 7]), any([7, 3])] },
  { name: 'matmul batched', fn: (a, b) => T.matmul(a, b), inputs: [any([2, 4, 3]), any([2, 3, 5])] },
  { name: 'matmul shared b', fn: (a, b) => T.matmul(a, b), inputs: [any([2, 4, 3]), any([3, 5])] },
  { name: 'matmul transA', fn: (a, b) => T.matmul(a, b, { transA: true }), inputs: [any([2, 3, 4]), any([2, 3, 5])] },
  { name: 'matmul transB', fn: (a, b) => T.matmul(a, b, { transB: true }), inputs: [any([2, 4, 3]), any([2, 5, 3])] },
  { name: 'matmul transA shared', fn: (a, b) => T.matmul(a, b, { transA: true }), inputs: [any([2, 3, 4]), any([3, 5])] },
  { name: 'matmul transB shared', fn: (a, b) => T.matmul(a, b, { transB: true }), inputs: [any([2, 4, 3]), any([5, 3])] },
  { name: 'matmul transA transB', fn: (a, b) => T.matmul(a, b, { transA: true, transB: true }), inputs: [any([3, 4]), any([5, 3])] },
  { name: 'linear with bias', fn: (x, w, b) => T.linear(x, w, b), inputs: [any([2, 3, 4]), any([5, 4]), any([5])] },
  { name: 'softmax', fn: (a) => T.softmax(T.mul(a, 5)), inputs: [any([3, 7])] },
  { name: 'logSoftmax', fn: (a) => T.logSoftmax(T.mul(a, 5)), inputs: [any([3, 7])] },
  { name: 'rmsNorm', fn: (x, w) => T.rmsNorm(x, w, 1e-6), inputs: [any([4, 6]), any([6])] },
  { name: 'layerNorm', fn: (x, w, b) => T.layerNorm(x, w, b, 1e-5), inputs: [any([4, 6]), any([6]), any([6])] },
  { name: 'silu', fn: (a) => T.silu(T.mul(a, 4)), inputs: [any([11])] },
  { name: 'gelu', fn: (a) => T.gelu(T.mul(a, 4)), inputs: [any([11])] },
  { name: 'swiglu', fn: (g, u) => T.swiglu(T.mul(g, 4), u), inputs: [any([3, 5]), any([3, 5])] },
  {
    name: 'attention causal GQA + mask',
    fn: (q, k, v) => T.attention(q, k, v, { causal: true, keyMask: mask }),
    inputs: [any([2, 5, 4, 6]), any([2, 5, 2, 6]), any([2, 5, 2, 6])],
  },
  { name: 'attention full', fn: (q, k, v) => T.attention(q, k, v, { causal: false }), inputs: [any([1, 3, 2, 4]), any([1, 4, 2, 4]), any([1, 4, 2, 4])] },
  { name: 'rope', fn: (x) => T.rope(x, positions, invFreq), inputs: [any([2, 5, 3, 6])] },
  { name: 'embedding', fn: (t) => T.embedding(T.indexTensor([1, 3, 1, 0, 4, 4], [2, 3]), t), inputs: [any([5, 4])] },
  { name: 'logprobAtLabels', fn: (l) => T.logprobAtLabels(T.mul(l, 3), Int32Array.from([2, -1, 0, 6])), inputs: [any([2, 2, 7])] },
  { name: 'linearLogprob', fn: (h, w) => T.linearLogprob(h, w, Int32Array.from([2, 9, 0, -1, 5])), inputs: [any([5, 4]), any([11, 4])] },
];

describe('tensor ops: finite differences (float64, reference)', () => {
  for (const c of CASES) test(c.name, () => gradcheck(c.fn, c.inputs));
});

describe('tensor ops: native agrees with reference (float32)', () => {
  for (const c of CASES) test(c.name, () => compareBackends(c.fn, c.inputs));
});
