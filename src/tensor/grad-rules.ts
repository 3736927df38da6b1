// The one table of gradient rules, keyed by op name. `OpName` is derived from it, so an op that
// records a name without a rule does not compile.
import type { GradNode, Tensor } from './tensor.js';
import { unaryGradRules } from './ops/unary.js';
import { binaryGradRules } from './ops/binary.js';
import { reduceGradRules } from './ops/reduce.js';
import { shapeGradRules } from './ops/shape-ops.js';
import { indexGradRules } from './ops/index-ops.js';
import { matmulGradRules } from './ops/matmul.js';
import { normActivationGradRules } from './ops/norm-activation.js';
import { sequenceGradRules } from './ops/sequence-ops.js';

/** Maps the gradient of an op's output to the gradients of its inputs (null: no gradient). */
export type GradRule = (node: GradNode, gradOutput: Tensor) => (Tensor | null)[];

export const GRAD_RULES = {
  ...unaryGradRules,
  ...binaryGradRules,
  ...reduceGradRules,
  ...shapeGradRules,
  ...indexGradRules,
  ...matmulGradRules,
  ...normActivationGradRules,
  ...sequenceGradRules,
  freed: (): (Tensor | null)[] => {
    throw new Error('backward(): this graph was already consumed by an earlier backward() call; ' +
      'recompute the forward pass before calling backward() again');
  },
} satisfies Record<string, GradRule>;

export type OpName = keyof typeof GRAD_RULES;
