// Fused attention backward (flash-attention 2 style). Probabilities are recomputed per (query tile x
// key tile) from the saved lse; with D_i = rowsum(dO_i * O_i):
//   P = exp(scale Q K^T - lse),  dV += P^T dO,  dP = dO V^T,  dS = P (dP - D_i),
//   dQ += scale dS K,  dK += scale dS^T Q.
// Work is split over (batch, kv head, key-tile group): a task owns dK/dV of its key tiles and, when
// there is one group, dQ of the query heads that share its kv head, so no two threads write the same
// element. With fewer (batch, kv head) pairs than threads, key tiles are dealt round-robin to G
// groups; groups after the first accumulate dQ into private copies that are summed at the end.
#include <algorithm>
#include <cstring>
#include <vector>

#include "attention-tiles.h"
#include "gemm.h"
#include "kernels.h"
#include "parallel.h"
#include "vec-math.h"

namespace prefkit {
namespace {

// P = exp(sc - lse_row) in place (0 for masked scores and fully masked rows); dS = P (dP - Di) into dp.
PK_CLONES void probsAndDs(int64_t bq, int64_t bk, float* sc, float* dp, const float* lse, const float* di) {
  for (int64_t i = 0; i < bq; i++) {  // (bq, bk)
    float* p = sc + i * bk;
    float* g = dp + i * bk;
    const float l = lse[i], d = di[i];
    if (l == kNegInf) {
      for (int64_t j = 0; j < bk; j++) p[j] = 0.0f, g[j] = 0.0f;
      continue;
    }
    for (int64_t j = 0; j < bk; j++) {
      const float pj = vexp(p[j] - l);
      p[j] = pj;
      g[j] = pj * (g[j] - d);
    }
  }
}

// Di (B, H, T) = rowsum(dO * O).
void rowDots(const AttnShape& a, const float* o, const float* dO, float* di) {
  const int64_t rows = a.B * a.T * a.H;
  parallelFor(rows, [&](int64_t r0, int64_t r1) {
    for (int64_t r = r0; r < r1; r++) {  // r = (b, t, h)
      const int64_t h = r % a.H, t = (r / a.H) % a.T, b = r / (a.H * a.T);
      di[(b * a.H + h) * a.T + t] = vdot(o + r * a.D, dO + r * a.D, a.D);
    }
  }, 256);
}

struct Scratch {
  std::vector<float> buf;
  float *sc, *dp, *dk, *dv, *bias;
  explicit Scratch(int64_t D) : buf(static_cast<size_t>(2 * kTileQ * kTileK + 2 * kTileK * D + kTileK)) {
    sc = buf.data();
    dp = sc + kTileQ * kTileK;
    dk = dp + kTileQ * kTileK;
    dv = dk + kTileK * D;
    bias = dv + kTileK * D;
  }
};

// All query tiles of head h against key tile [s0, s0 + bkTile) of batch b; accumulates into w.dk, w.dv
// (bkTile, D) and into dq (rows of head h, stride H * D).
void headAgainstKeyTile(const AttnShape& a, int64_t b, int64_t h, int64_t s0, int64_t bkTile, const float* q,
                        const float* k, const float* v, const float* lse, const float* di, const float* dO,
                        float* dq, Scratch& w) {
  const int64_t D = a.D, hk = h / (a.H / a.Hkv), ldq = a.H * D, ldk = a.Hkv * D;
  const float* kp = rowPtr(k, b, s0, a.S, hk, a.Hkv, D);
  const float* vp = rowPtr(v, b, s0, a.S, hk, a.Hkv, D);
  // Causal: the first query that sees key s0 is t = s0 - (S - T).
  const int64_t tStart = a.causal ? std::max<int64_t>(0, s0 - (a.S - a.T)) : 0;
  for (int64_t t0 = tStart; t0 < a.T; t0 += kTileQ) {
    const int64_t bq = std::min(kTileQ, a.T - t0);
    // Causal: keys past the last one this query tile sees get P = 0 everywhere; leave them out.
    const int64_t bk = std::min(bkTile, keyEnd(a, t0 + bq) - s0);
    const float* qp = rowPtr(q, b, t0, a.T, h, a.H, D);
    const float* gp = rowPtr(dO, b, t0, a.T, h, a.H, D);
    float* dqp = dq + ((b * a.T + t0) * a.H + h) * D;
    const float* lrow = lse + (b * a.H + h) * a.T + t0;
    const float* drow = di + (b * a.H + h) * a.T + t0;
    sgemm(false, true, bq, bk, D, a.scale, qp, ldq, kp, ldk, 0.0f, w.sc, bk);  // S (bq, bk)
    maskTile(a, t0, bq, s0, bk, w.bias, w.sc);
    sgemm(false, true, bq, bk, D, 1.0f, gp, ldq, vp, ldk, 0.0f, w.dp, bk);  // dP = dO V^T (bq, bk)
    probsAndDs(bq, bk, w.sc, w.dp, lrow, drow);
    sgemm(true, false, bk, D, bq, 1.0f, w.sc, bk, gp, ldq, 1.0f, w.dv, D);      // dV += P^T dO (bk, D)
    sgemm(true, false, bk, D, bq, a.scale, w.dp, bk, qp, ldq, 1.0f, w.dk, D);   // dK += s dS^T Q (bk, D)
    sgemm(false, false, bq, D, bk, a.scale, w.dp, bk, kp, ldk, 1.0f, dqp, ldq);  // dQ += s dS K (bq, D)
  }
}

}  // namespace

void attentionBackward(const AttnShape& a, const float* q, const float* k, const float* v, const float* o,
                       const float* lse, const float* dO, float* dq, float* dk, float* dv) {
  const int64_t D = a.D, group = a.H / a.Hkv, pairs = a.B * a.Hkv;
  const int64_t nkb = (a.S + kTileK - 1) / kTileK, qLen = a.B * a.T * a.H * D;
  std::vector<float> di(static_cast<size_t>(a.B * a.H * a.T));
  rowDots(a, o, dO, di.data());

  int64_t G = 1;
  const int64_t threads = numThreads();
  if (pairs < threads && nkb > 1) {
    G = std::min(nkb, (threads + pairs - 1) / pairs);
    while (G > 1 && (G - 1) * qLen > (int64_t{64} << 20)) G--;  // private dQ copies: at most 256 MB
  }
  std::vector<float> dqExtra(static_cast<size_t>((G - 1) * qLen));

  parallelFor(pairs * G, [&](int64_t i0, int64_t i1) {
    Scratch w(D);
    for (int64_t task = i0; task < i1; task++) {  // task = (b, hk, g)
      const int64_t g = task % G, hk = (task / G) % a.Hkv, b = task / (G * a.Hkv);
      float* dqt = g == 0 ? dq : dqExtra.data() + (g - 1) * qLen;
      for (int64_t t = 0; t < a.T; t++)  // zero the dQ rows this task owns: (b, t, heads of hk, :)
        std::memset(dqt + ((b * a.T + t) * a.H + hk * group) * D, 0, sizeof(float) * static_cast<size_t>(group * D));
      for (int64_t kb = g; kb < nkb; kb += G) {
        const int64_t s0 = kb * kTileK, bk = std::min(kTileK, a.S - s0);
        std::fill(w.dk, w.dk + bk * D, 0.0f);
        std::fill(w.dv, w.dv + bk * D, 0.0f);
        if (keyBias(a, b, s0, bk, w.bias))
          for (int64_t h = hk * group; h < (hk + 1) * group; h++)
            headAgainstKeyTile(a, b, h, s0, bk, q, k, v, lse, di.data(), dO, dqt, w);
        for (int64_t j = 0; j < bk; j++) {  // (bk, D) -> rows (b, s0 + j, hk, :)
          const size_t off = static_cast<size_t>(((b * a.S + s0 + j) * a.Hkv + hk) * D);
          std::memcpy(dk + off, w.dk + j * D, sizeof(float) * static_cast<size_t>(D));
          std::memcpy(dv + off, w.dv + j * D, sizeof(float) * static_cast<size_t>(D));
        }
      }
    }
  });

  if (G > 1)
    parallelFor(qLen, [&](int64_t e0, int64_t e1) {
      for (int64_t g = 1; g < G; g++) {
        const float* src = dqExtra.data() + (g - 1) * qLen;
        for (int64_t e = e0; e < e1; e++) dq[e] += src[e];
      }
    }, 4096);
}

}  // namespace prefkit
