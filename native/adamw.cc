// Fused AdamW step (PyTorch semantics, decoupled weight decay), in place on param, m and v.
#include <algorithm>
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

Coeffs coeffsFor(const AdamWParams& o, double weightDecay) {
  const double t = static_cast<double>(o.step);
  const double bc1 = 1.0 - std::pow(o.beta1, t), bc2 = 1.0 - std::pow(o.beta2, t);
  // lr * mhat / (sqrt(vhat) + eps) with mhat = m / bc1, vhat = v / bc2 (bias corrections in double).
  return Coeffs{static_cast<float>(1.0 - o.lr * weightDecay), static_cast<float>(o.beta1),
                static_cast<float>(1.0 - o.beta1),            static_cast<float>(o.beta2),
                static_cast<float>(1.0 - o.beta2),            static_cast<float>(o.lr / bc1),
                static_cast<float>(1.0 / std::sqrt(bc2)),     static_cast<float>(o.eps)};
}

}  // namespace

void adamwMany(const std::vector<AdamWTensor>& ts, const AdamWParams& o) {
  // start[i] = offset of tensor i in the concatenation; threads split the total element range, so
  // one call covers many small tensors (norm weights) and a few large ones alike.
  std::vector<int64_t> start(ts.size() + 1, 0);
  std::vector<Coeffs> k;
  k.reserve(ts.size());
  for (size_t i = 0; i < ts.size(); i++) {
    start[i + 1] = start[i] + ts[i].n;
    k.push_back(coeffsFor(o, ts[i].weightDecay));
  }
  auto body = [&](int64_t a, int64_t b) {
    size_t i = static_cast<size_t>(std::upper_bound(start.begin(), start.end(), a) - start.begin()) - 1;
    for (; i < ts.size() && start[i] < b; i++) {
      const int64_t lo = std::max(a, start[i]) - start[i], hi = std::min(b, start[i + 1]) - start[i];
      const AdamWTensor& t = ts[i];
      if (hi > lo) step(lo, hi, t.param, t.grad, t.m, t.v, k[i]);
    }
  };
  const int64_t total = start.back();
  if (total < kParallelMinWork) return body(0, total);
  parallelFor(total, body, 4096);
}

}  // namespace prefkit
