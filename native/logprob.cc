// Gathered log-probabilities from full logits (N, V): logp[i] = logits[i, label] - logsumexp(logits[i]),
// and the gradient dlogits = dlogp (onehot - softmax). Labels < 0 are ignored rows (logp = 0, grad = 0).
#include <cmath>

#include "kernels.h"
#include "parallel.h"
#include "vec-math.h"

namespace prefkit {
namespace {

template <class Body>
void rows(int64_t N, int64_t V, const Body& body) {
  if (N * V < kParallelMinWork || N < 2) return body(0, N);
  parallelFor(N, body);
}

PK_CLONES void fwdRows(int64_t r0, int64_t r1, int64_t V, const float* logits, const int32_t* labels, float* logp,
                       float* lse) {
  for (int64_t i = r0; i < r1; i++) {  // row (V)
    const float* xr = logits + i * V;
    float m = vmax(xr, V);
    float l = m + std::log(vexpShiftSumOnly(xr, m, V));
    lse[i] = l;
    logp[i] = labels[i] < 0 ? 0.0f : xr[labels[i]] - l;
  }
}

PK_CLONES void bwdRows(int64_t r0, int64_t r1, int64_t V, const float* logits, const int32_t* labels,
                       const float* lse, const float* dlogp, float* dlogits) {
  for (int64_t i = r0; i < r1; i++) {
    const float* xr = logits + i * V;
    float* dr = dlogits + i * V;
    if (labels[i] < 0) {
      for (int64_t j = 0; j < V; j++) dr[j] = 0.0f;
      continue;
    }
    const float g = dlogp[i], l = lse[i];
    for (int64_t j = 0; j < V; j++) dr[j] = -g * vexp(xr[j] - l);
    dr[labels[i]] += g;
  }
}

}  // namespace

void logprobForward(int64_t N, int64_t V, const float* logits, const int32_t* labels, float* logp, float* lse) {
  rows(N, V, [&](int64_t a, int64_t b) { fwdRows(a, b, V, logits, labels, logp, lse); });
}

void logprobBackward(int64_t N, int64_t V, const float* logits, const int32_t* labels, const float* lse,
                     const float* dlogp, float* dlogits) {
  rows(N, V, [&](int64_t a, int64_t b) { bwdRows(a, b, V, logits, labels, lse, dlogp, dlogits); });
}

}  // namespace prefkit
