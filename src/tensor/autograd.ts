// Reverse-mode autograd: ops record a GradNode when any input requires grad; backward() walks the
// graph in reverse topological order applying the rule of each op from GRAD_RULES (one table).
import type { Buf } from './backend.js';
import { GRAD_RULES, type OpName } from './grad-rules.js';
import { backend } from './select-backend.js';
import { formatShape, sameShape, type Shape } from './shape.js';
import { GradPool } from './grad-pool.js';
import { Tensor, allocUninit, dtypeOf, installBackward, setBufferRecycler } from './tensor.js';

let gradEnabled = true;

export function isGradEnabled(): boolean {
  return gradEnabled;
}

/** Runs fn without recording gradients (inference, reference log-probs, optimizer updates). */
export function noGrad<T>(fn: () => T): T {
  const prev = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = prev;
  }
}

/** Wraps an op's output buffer in a Tensor, recording the op for backward if an input needs grad. */
export function record(op: OpName, inputs: Tensor[], data: Buf, shape: Shape, saved: unknown = null): Tensor {
  const needs = gradEnabled && inputs.some((t) => t.requiresGrad);
  return new Tensor(data, shape, needs, needs ? { op, inputs, saved } : null);
}

function topoOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>();
  // Iterative DFS: graphs of deep models are too deep for recursion.
  const stack: [Tensor, number][] = [[root, 0]];
  seen.add(root);
  while (stack.length > 0) {
    const top = stack[stack.length - 1];
    const [t, i] = top;
    const inputs = t.node?.inputs ?? [];
    if (i < inputs.length) {
      top[1]++;
      const child = inputs[i];
      if (child.requiresGrad && !seen.has(child)) {
        seen.add(child);
        stack.push([child, 0]);
      }
    } else {
      order.push(t);
      stack.pop();
    }
  }
  return order.reverse();
}

/** A gradient waiting for its tensor's turn in the reverse pass. */
interface PendingGrad {
  g: Tensor;
}

/**
 * How many pending gradients (or leaf .grad fields) hold each buffer. Pass-through rules (add, reshape)
 * hand the same buffer to several inputs, so a buffer may be summed into in place only when this pass
 * holds it exactly once.
 */
type BufferHolds = Map<Buf, number>;

function hold(holds: BufferHolds, b: Buf): void {
  holds.set(b, (holds.get(b) ?? 0) + 1);
}

function release(holds: BufferHolds, b: Buf): void {
  const n = (holds.get(b) ?? 1) - 1;
  if (n <= 0) holds.delete(b);
  else holds.set(b, n);
}

/** Sums g into t's pending gradient; a buffer the sum replaces goes to `dead`. */
function accumulate(grads: Map<Tensor, PendingGrad>, holds: BufferHolds, t: Tensor, g: Tensor, dead: Buf[]): void {
  if (!sameShape(g.shape, t.shape)) {
    const op = t.node?.op ?? 'leaf';
    throw new Error(`autograd: gradient of shape ${formatShape(g.shape)} for a tensor of shape ` +
      `${formatShape(t.shape)} (made by '${op}') — a gradient rule is wrong`);
  }
  const prev = grads.get(t);
  if (!prev) {
    grads.set(t, { g });
    hold(holds, g.data);
    return;
  }
  const pd = prev.g.data;
  const gd = g.data;
  if (holds.get(pd) === 1 && pd !== t.data) {
    backend().arith('add', pd.length, pd, gd, pd);
    return;
  }
  const out = allocUninit(dtypeOf(pd), pd.length);
  backend().arith('add', out.length, pd, gd, out);
  release(holds, pd);
  dead.push(pd);
  prev.g = new Tensor(out, t.shape);
  hold(holds, out);
}

/** Backpropagates from `root`, adding into `.grad` of every leaf that requires grad. Frees the graph. */
export function backward(root: Tensor, grad?: Tensor): void {
  if (!root.requiresGrad) {
    throw new Error('backward(): this tensor does not require grad (no input of its graph has requiresGrad, ' +
      'or it was computed under noGrad)');
  }
  if (!grad && root.size !== 1) {
    throw new Error(`backward(): a tensor of shape ${formatShape(root.shape)} needs an explicit gradient; ` +
      'call it on a scalar loss');
  }
  const seed = grad ?? new Tensor(root.dtype === 'float64' ? new Float64Array([1]) : new Float32Array([1]), root.shape);
  const grads = new Map<Tensor, PendingGrad>([[root, { g: seed }]]);
  const holds: BufferHolds = new Map([[seed.data, 1]]);
  const pool = new GradPool();
  const prevRecycler = setBufferRecycler(pool);
  try {
    noGrad(() => {
      for (const t of topoOrder(root)) {
        const pending = grads.get(t);
        grads.delete(t);
        if (pending) backwardStep(t, pending.g, grads, holds, pool);
      }
    });
  } finally {
    setBufferRecycler(prevRecycler);
  }
}

/** Applies t's gradient rule to its gradient g (or stores g in a leaf's .grad). */
function backwardStep(t: Tensor, g: Tensor, grads: Map<Tensor, PendingGrad>, holds: BufferHolds, pool: GradPool): void {
  const node = t.node;
  if (!node) {
    // A leaf: accumulate into .grad.
    if (t.grad) {
      backend().arith('add', t.grad.size, t.grad.data, g.data, t.grad.data);
      release(holds, g.data);
      if (!holds.has(g.data)) pool.recycle(g.data);
    } else {
      // .grad must own its buffer: gradients of several leaves may share one (add(a, b)), and
      // later backward passes add into .grad in place. A leaf keeps holding it through .grad.
      const exclusive = holds.get(g.data) === 1 && g.data !== t.data;
      t.grad = new Tensor(exclusive ? g.data : g.data.slice(), t.shape);
    }
    return;
  }
  release(holds, g.data);
  const inputGrads = GRAD_RULES[node.op](node, g);
  const dead: Buf[] = [g.data];
  node.inputs.forEach((input, i) => {
    const ig = inputGrads[i];
    if (!ig) return;
    if (input.requiresGrad) accumulate(grads, holds, input, ig, dead);
    dead.push(ig.data);
  });
  // Whatever no pending gradient or .grad holds now is garbage: reuse it in this pass.
  for (const b of dead) if (!holds.has(b)) pool.recycle(b);
  // Free the graph as it is consumed (like PyTorch's default retain_graph=False); a second
  // backward through it hits the 'freed' rule, which says so.
  t.node = { op: 'freed', inputs: [], saved: null };
}

installBackward(backward);
