// Reverse-mode autograd: ops record a GradNode when any input requires grad; backward() walks the
// graph in reverse topological order applying the rule of each op from GRAD_RULES (one table).
import type { Buf } from './backend.js';
import { GRAD_RULES, type OpName } from './grad-rules.js';
import { formatShape, sameShape, type Shape } from './shape.js';
import { Tensor, installBackward } from './tensor.js';

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

/** Gradients being summed: `owned` marks buffers this pass allocated itself (safe to add into). */
interface PendingGrad {
  g: Tensor;
  owned: boolean;
}

function accumulate(grads: Map<Tensor, PendingGrad>, t: Tensor, g: Tensor): void {
  if (!sameShape(g.shape, t.shape)) {
    const op = t.node?.op ?? 'leaf';
    throw new Error(`autograd: gradient of shape ${formatShape(g.shape)} for a tensor of shape ` +
      `${formatShape(t.shape)} (made by '${op}') — a gradient rule is wrong`);
  }
  const prev = grads.get(t);
  if (!prev) {
    grads.set(t, { g, owned: false });
    return;
  }
  const gd = g.data;
  if (prev.owned) {
    const out = prev.g.data;
    for (let i = 0; i < out.length; i++) out[i] += gd[i];
    return;
  }
  // The first gradient may alias a buffer still in use elsewhere (pass-through rules): sum into a new one.
  const pd = prev.g.data;
  const out = pd.slice();
  for (let i = 0; i < out.length; i++) out[i] += gd[i];
  grads.set(t, { g: new Tensor(out, t.shape), owned: true });
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
  const grads = new Map<Tensor, PendingGrad>([[root, { g: seed, owned: false }]]);
  noGrad(() => {
    for (const t of topoOrder(root)) {
      const pending = grads.get(t);
      grads.delete(t);
      if (!pending) continue;
      const g = pending.g;
      const node = t.node;
      if (!node) {
        // A leaf: accumulate into .grad.
        if (t.grad) {
          const d = t.grad.data;
          for (let i = 0; i < d.length; i++) d[i] += g.data[i];
        } else {
          t.grad = new Tensor(g.data === t.data ? g.data.slice() : g.data, t.shape);
        }
        continue;
      }
      const inputGrads = GRAD_RULES[node.op](node, g);
      node.inputs.forEach((input, i) => {
        const ig = inputGrads[i];
        if (ig && input.requiresGrad) accumulate(grads, input, ig);
      });
      // Free the graph as it is consumed (like PyTorch's default retain_graph=False); a second
      // backward through it hits the 'freed' rule, which says so.
      t.node = { op: 'freed', inputs: [], saved: null };
    }
  });
}

installBackward(backward);
