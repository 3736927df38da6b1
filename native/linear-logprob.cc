// Fused lm-head + gathered log-prob: logits = h (N, Hd) @ W (V, Hd)^T are produced chunk by chunk over
// the vocabulary with sgemm into an (N, chunk) scratch, so the (N, V) logits never exist. The forward
// keeps an online logsumexp per row; the backward recomputes each chunk's logits, forms
// dlogits = dlogp (onehot - softmax) and accumulates dh += dlogits @ W_c, dW_c += dlogits^T @ h.
#include <cmath>
#include <cstring>
#include <vector>

#include "gemm.h"
#include "kernels.h"
#include "parallel.h"
#include "vec-math.h"

namespace prefkit {
namespace {

// Vocabulary rows per chunk: 2048, fewer when N is large so the scratch stays under ~32 MB.
int64_t chunkRows(int64_t N, int64_t V) {
  const int64_t budget = int64_t{8} << 20;  // floats
  int64_t c = 2048;
  if (N * c > budget) c = budget / N / 64 * 64;
  if (c < 256) c = 256;
  return c < V ? c : V;
}

template <class Body>
void rows(int64_t N, int64_t work, const Body& body) {
  if (work < kParallelMinWork || N < 2) return body(0, N);
  parallelFor(N, body);
}

// Online logsumexp update for rows [r0, r1) of the chunk logits L (N, cn) covering vocab [c0, c0 + cn).
PK_CLONES void updateRows(int64_t r0, int64_t r1, int64_t c0, int64_t cn, const float* L, const int32_t* labels,
                          float* m, double* s, float* target) {
  for (int64_t i = r0; i < r1; i++) {
    const float* lr = L + i * cn;
    float cm = vmax(lr, cn);
    float mn = cm > m[i] ? cm : m[i];
    if (mn == kNegInf) continue;
    float cs = vexpShiftSumOnly(lr, mn, cn);
    s[i] = s[i] * std::exp(static_cast<double>(m[i]) - mn) + cs;
    m[i] = mn;
    const int64_t y = labels[i];
    if (y >= c0 && y < c0 + cn) target[i] = lr[y - c0];
  }
}

// G (n, cn) = dlogp (onehot - exp(L - lse)) in place on the chunk logits.
PK_CLONES void gradRows(int64_t r0, int64_t r1, int64_t c0, int64_t cn, float* L, const int32_t* labels,
                        const float* lse, const float* dlogp) {
  for (int64_t i = r0; i < r1; i++) {
    float* lr = L + i * cn;
    const float g = dlogp[i], l = lse[i];
    for (int64_t j = 0; j < cn; j++) lr[j] = -g * vexp(lr[j] - l);
    const int64_t y = labels[i];
    if (y >= c0 && y < c0 + cn) lr[y - c0] += g;
  }
}

// Rows with an ignored label (< 0: prompt and padding tokens) have logp = 0 and no gradient, so
// neither pass computes their logits: the active rows are gathered into a dense block first.
struct ActiveRows {
  std::vector<int64_t> index;  // active row -> original row
  std::vector<float> h;        // (Na, Hd) gathered hidden states (empty when every row is active)
  std::vector<int32_t> labels;
  int64_t count() const { return static_cast<int64_t>(index.size()); }
  bool compact(int64_t N) const { return count() < N; }
};

ActiveRows gatherActive(int64_t N, int64_t Hd, const float* h, const int32_t* labels) {
  ActiveRows a;
  a.index.reserve(static_cast<size_t>(N));
  for (int64_t i = 0; i < N; i++)
    if (labels[i] >= 0) a.index.push_back(i);
  if (!a.compact(N)) return a;
  a.h.resize(static_cast<size_t>(a.count() * Hd));
  a.labels.resize(a.index.size());
  for (size_t r = 0; r < a.index.size(); r++) {
    std::memcpy(a.h.data() + r * Hd, h + a.index[r] * Hd, sizeof(float) * static_cast<size_t>(Hd));
    a.labels[r] = labels[a.index[r]];
  }
  return a;
}

}  // namespace

void linearLogprobForward(int64_t N, int64_t Hd, int64_t V, const float* h, const float* w, const int32_t* labels,
                          float* logp, float* lse) {
  const ActiveRows act = gatherActive(N, Hd, h, labels);
  const int64_t Na = act.count();
  const float* hp = act.compact(N) ? act.h.data() : h;
  const int32_t* yp = act.compact(N) ? act.labels.data() : labels;
  for (int64_t i = 0; i < N; i++) logp[i] = 0.0f, lse[i] = 0.0f;  // ignored rows
  if (Na == 0) return;
  const int64_t C = chunkRows(Na, V);
  std::vector<float> L(static_cast<size_t>(Na * C));
  std::vector<float> m(static_cast<size_t>(Na), kNegInf), target(static_cast<size_t>(Na), 0.0f);
  std::vector<double> s(static_cast<size_t>(Na), 0.0);
  for (int64_t c0 = 0; c0 < V; c0 += C) {
    const int64_t cn = V - c0 < C ? V - c0 : C;
    sgemm(false, true, Na, cn, Hd, 1.0f, hp, Hd, w + c0 * Hd, Hd, 0.0f, L.data(), cn);  // (Na, cn)
    rows(Na, Na * cn, [&](int64_t a, int64_t b) {
      updateRows(a, b, c0, cn, L.data(), yp, m.data(), s.data(), target.data());
    });
  }
  for (int64_t r = 0; r < Na; r++) {
    const int64_t i = act.index[static_cast<size_t>(r)];
    const float l = static_cast<float>(m[r] + std::log(s[r]));
    lse[i] = l;
    logp[i] = target[r] - l;
  }
}

void linearLogprobBackward(int64_t N, int64_t Hd, int64_t V, const float* h, const float* w, const int32_t* labels,
                           const float* lse, const float* dlogp, float* dh, float* dw) {
  const ActiveRows act = gatherActive(N, Hd, h, labels);
  const int64_t Na = act.count();
  const bool compact = act.compact(N);
  std::vector<float> dhA, lseA, gA;
  const float *hp = h, *lp = lse, *gp = dlogp;
  const int32_t* yp = labels;
  float* dhp = dh;
  if (compact) {
    std::memset(dh, 0, sizeof(float) * static_cast<size_t>(N * Hd));
    if (Na == 0) return;
    dhA.resize(static_cast<size_t>(Na * Hd));
    lseA.resize(static_cast<size_t>(Na));
    gA.resize(static_cast<size_t>(Na));
    for (int64_t r = 0; r < Na; r++) {
      const int64_t i = act.index[static_cast<size_t>(r)];
      lseA[r] = lse[i];
      gA[r] = dlogp[i];
    }
    hp = act.h.data(), lp = lseA.data(), gp = gA.data(), yp = act.labels.data(), dhp = dhA.data();
  }
  const int64_t C = chunkRows(Na, V);
  std::vector<float> L(static_cast<size_t>(Na * C));
  for (int64_t c0 = 0; c0 < V; c0 += C) {
    const int64_t cn = V - c0 < C ? V - c0 : C;
    const float* wc = w + c0 * Hd;
    sgemm(false, true, Na, cn, Hd, 1.0f, hp, Hd, wc, Hd, 0.0f, L.data(), cn);  // logits (Na, cn)
    rows(Na, Na * cn, [&](int64_t a, int64_t b) { gradRows(a, b, c0, cn, L.data(), yp, lp, gp); });
    sgemm(false, false, Na, Hd, cn, 1.0f, L.data(), cn, wc, Hd, c0 == 0 ? 0.0f : 1.0f, dhp, Hd);  // dh (Na, Hd)
    sgemm(true, false, cn, Hd, Na, 1.0f, L.data(), cn, hp, Hd, 1.0f, dw + c0 * Hd, Hd);            // dW_c (cn, Hd)
  }
  if (compact)
    for (int64_t r = 0; r < Na; r++)
      std::memcpy(dh + act.index[static_cast<size_t>(r)] * Hd, dhA.data() + r * Hd, sizeof(float) * static_cast<size_t>(Hd));
}

}  // namespace prefkit
