// Fused AdamW step (PyTorch semantics, decoupled weight decay), in place on param, m and v.
#include <cmath>

#include "kernels.h"
#include "parallel.h"
#include "vec-math.h"

namespace prefkit {
namespace {

struct Coeffs { float decay, b1, c1, b2, c2, stepSize, invSqrtBc2, eps; };

PK_CLONES void step(int64_t i0, int64_t i1, float* p, const float* g, float* m, float* v, const Coeffs k) {
  for (int64_t i = i0; i < i1; i++) {
    float gi = g[i];
    float mi = k.b1 * m[i] + k.c1 * gi;
    float vi = k.b2 * v[i] + k.c2 * gi * gi;
    m[i] = mi;
    v[i] = vi;
    float pi = p[i] * k.decay;
    p[i] = pi - k.stepSize * mi / (std::sqrt(vi) * k.invSqrtBc2 + k.eps);
  }
}

}  // namespace

void adamw(int64_t n, float* param, const float* grad, float* m, float* v, const AdamWParams& o) {
  const double t = static_cast<double>(o.step);
  const double bc1 = 1.0 - std::pow(o.beta1, t), bc2 = 1.0 - std::pow(o.beta2, t);
  // lr * mhat / (sqrt(vhat) + eps) with mhat = m / bc1, vhat = v / bc2 (bias corrections in double).
  const Coeffs k{static_cast<float>(1.0 - o.lr * o.weightDecay), static_cast<float>(o.beta1),
                 static_cast<float>(1.0 - o.beta1),  static_cast<float>(o.beta2),
                 static_cast<float>(1.0 - o.beta2),  static_cast<float>(o.lr / bc1),
                 static_cast<float>(1.0 / std::sqrt(bc2)), static_cast<float>(o.eps)};
  if (n < kParallelMinWork) return step(0, n, param, grad, m, v, k);
  parallelFor(n, [&](int64_t a, int64_t b) { step(a, b, param, grad, m, v, k); }, 4096);
}

}  // namespace prefkit
