// Numerically stable building blocks shared by several losses, composed from tensor ops:
// - smoothed logistic loss  -(1 - eps) log sigmoid(z) - eps log sigmoid(-z)   (log-sigmoid = -softplus(-z))
// - log1mexp(x) = log(1 - e^x) for x < 0, with the two branches of Maechler (2012) split at -ln 2
// - exp with a clamped exponent (TRL clamps the alpha-divergence exponent at 80 in float32)
// The untaken branch of a `where` must stay finite, or its zero gradient times an infinity is NaN: each
// branch below is finite on the whole domain it can see.
import { add, clamp, exp, expm1, log, log1p, logSigmoid, lt, neg, scale, where, type Tensor } from '../tensor/index.js';

/** -(1 - eps) * log sigmoid(z) - eps * log sigmoid(-z); eps = 0 gives -log sigmoid(z). */
export function smoothedLogistic(z: Tensor, eps: number): Tensor {
  const pos = neg(logSigmoid(z)); // (B,)
  if (eps === 0) return pos;
  const flip = neg(logSigmoid(neg(z))); // (B,)
  return add(scale(pos, 1 - eps), scale(flip, eps)); // (B,)
}

/** log(1 - exp(x)) for x < 0. Inputs are clamped to <= -1e-7 (x = 0 would be log 0). */
export function log1mexp(x: Tensor): Tensor {
  const xc = clamp(x, -Infinity, -1e-7); // (B,)
  const small = lt(xc, -Math.LN2); // (B,) 1 where x < -ln 2
  const viaLog1p = log1p(neg(exp(xc))); // (B,) accurate for x < -ln 2
  const viaExpm1 = log(neg(expm1(xc))); // (B,) accurate for -ln 2 <= x < 0
  return where(small, viaLog1p, viaExpm1); // (B,)
}

/** exp(min(x, maxExponent)): no overflow to Infinity in float32 (gradient 0 beyond the clamp). */
export function clampedExp(x: Tensor, maxExponent = 80): Tensor {
  return exp(clamp(x, -Infinity, maxExponent)); // (B,)
}
