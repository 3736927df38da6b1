// Fused attention forward, flash-attention style: for each (batch, head, query tile) the keys are
// visited tile by tile with an online softmax (running max m and sum l per query row), so only a
// (64 x 128) score tile ever exists. Writes o (B, T, H, D) and lse (B, H, T) for the backward.
// Layout (B, T, H, D) is read in place through GEMM row strides: no permute copies.
#include <algorithm>
#include <cmath>
#include <vector>

#include "attention-tiles.h"
#include "gemm.h"
#include "kernels.h"
#include "parallel.h"
#include "vec-math.h"

namespace prefkit {
namespace {

// Online-softmax update of one score tile sc (bq, bk) -> probabilities (in place), rescaling the
// running output rows acc (bq, D) by exp(m_old - m_new).
PK_CLONES void onlineSoftmaxTile(int64_t bq, int64_t bk, int64_t D, float* sc, float* m, float* l, float* acc) {
  for (int64_t i = 0; i < bq; i++) {
    float* row = sc + i * bk;
    const float mn = std::fmax(m[i], vmax(row, bk));
    if (mn == kNegInf) {  // every key so far masked for this row
      for (int64_t j = 0; j < bk; j++) row[j] = 0.0f;
      continue;
    }
    const float alpha = m[i] == kNegInf ? 0.0f : std::exp(m[i] - mn);
    l[i] = l[i] * alpha + vexpShiftSum(row, mn, row, bk);
    m[i] = mn;
    if (alpha != 1.0f) {
      float* ar = acc + i * D;
      for (int64_t d = 0; d < D; d++) ar[d] *= alpha;
    }
  }
}

void forwardTile(const AttnShape& a, int64_t b, int64_t h, int64_t t0, const float* q, const float* k,
                 const float* v, float* o, float* lse, std::vector<float>& scratch) {
  const int64_t D = a.D, bq = std::min(kTileQ, a.T - t0), hk = h / (a.H / a.Hkv);
  const int64_t ldq = a.H * D, ldk = a.Hkv * D;
  float* sc = scratch.data();     // (bq, kTileK) scores, then probabilities
  float* acc = sc + kTileQ * kTileK;  // (bq, D) unnormalised output
  float* m = acc + kTileQ * D;        // (bq) running max
  float* l = m + kTileQ;              // (bq) running sum
  float* bias = l + kTileQ;           // (kTileK) key padding bias
  for (int64_t i = 0; i < bq; i++) m[i] = kNegInf, l[i] = 0.0f;
  for (int64_t i = 0; i < bq * D; i++) acc[i] = 0.0f;
  const float* qp = rowPtr(q, b, t0, a.T, h, a.H, D);
  const int64_t sEnd = keyEnd(a, t0 + bq);
  for (int64_t s0 = 0; s0 < sEnd; s0 += kTileK) {
    const int64_t bk = std::min(kTileK, sEnd - s0);
    if (!keyBias(a, b, s0, bk, bias)) continue;  // all padding
    const float* kp = rowPtr(k, b, s0, a.S, hk, a.Hkv, D);
    const float* vp = rowPtr(v, b, s0, a.S, hk, a.Hkv, D);
    sgemm(false, true, bq, bk, D, a.scale, qp, ldq, kp, ldk, 0.0f, sc, bk);  // (bq, bk) = Q K^T
    maskTile(a, t0, bq, s0, bk, bias, sc);
    onlineSoftmaxTile(bq, bk, D, sc, m, l, acc);
    sgemm(false, false, bq, D, bk, 1.0f, sc, bk, vp, ldk, 1.0f, acc, D);  // (bq, D) += P V
  }
  for (int64_t i = 0; i < bq; i++) {
    float* orow = o + ((b * a.T + t0 + i) * a.H + h) * D;
    const float inv = l[i] > 0.0f ? 1.0f / l[i] : 0.0f;  // fully masked row: o = 0
    for (int64_t d = 0; d < D; d++) orow[d] = acc[i * D + d] * inv;
    lse[(b * a.H + h) * a.T + t0 + i] = l[i] > 0.0f ? m[i] + std::log(l[i]) : kNegInf;
  }
}

}  // namespace

void attentionForward(const AttnShape& a, const float* q, const float* k, const float* v, float* o, float* lse) {
  const int64_t nqb = (a.T + kTileQ - 1) / kTileQ;
  const int64_t tasks = a.B * a.H * nqb;  // (B, H, query tiles)
  const size_t scratchLen = static_cast<size_t>(kTileQ * kTileK + kTileQ * a.D + 2 * kTileQ + kTileK);
  parallelFor(tasks, [&](int64_t i0, int64_t i1) {
    std::vector<float> scratch(scratchLen);
    for (int64_t i = i0; i < i1; i++) {
      // Query tiles in the order 0, n-1, 1, n-2, ...: under a causal mask tile cost grows with its
      // index, so contiguous task ranges (one per thread) then get equal work.
      const int64_t j = i % nqb, qb = j % 2 == 0 ? j / 2 : nqb - 1 - j / 2;
      const int64_t h = (i / nqb) % a.H, b = i / (nqb * a.H);
      forwardTile(a, b, h, qb * kTileQ, q, k, v, o, lse, scratch);
    }
  });
}

}  // namespace prefkit
