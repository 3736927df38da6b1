// Parameter trees: nested plain objects whose leaves are Tensors (requiresGrad). Names are the
// dotted paths, e.g. "layers.0.attn.q.weight".
import { Tensor } from '../tensor/index.js';

/** Any plain object or array holding Tensors (other values — numbers, flags, configs — are skipped). */
export type ParamTree = object;

function isContainer(v: unknown): v is Record<string, unknown> {
  return Array.isArray(v) || (typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype);
}

/** All leaf tensors with their dotted names, in a stable (insertion) order. */
export function namedParams(tree: ParamTree, prefix = ''): [string, Tensor][] {
  if (tree instanceof Tensor) return [[prefix, tree]];
  const out: [string, Tensor][] = [];
  for (const [key, value] of Object.entries(tree)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (value instanceof Tensor) out.push([name, value]);
    else if (isContainer(value)) out.push(...namedParams(value, name));
  }
  return out;
}

export function params(tree: ParamTree): Tensor[] {
  return namedParams(tree).map(([, t]) => t);
}

export function countParams(tree: ParamTree): number {
  return params(tree).reduce((n, t) => n + t.size, 0);
}

/** Clears .grad of every parameter. */
export function zeroGrad(tree: ParamTree): void {
  for (const t of params(tree)) t.grad = null;
}

/** Marks every parameter trainable (or frozen), naming each tensor by its path for error messages. */
export function setTrainable(tree: ParamTree, trainable: boolean): void {
  for (const [name, t] of namedParams(tree)) {
    t.requiresGrad = trainable;
    t.name = name;
  }
}
