// Tiling helpers shared by the attention forward and backward kernels: tile sizes, the key-padding
// bias of a key tile, and the causal/padding mask of a (query tile x key tile) score block.
#pragma once
#include <cstdint>

#include "kernels.h"
#include "vec-math.h"

namespace prefkit {

// Measured on Zen 4 (AVX-512 sgemm, 8x32 microkernel), causal, D = 64: 64 x 128 beat 96 x 128 by ~10 %
// at T = 128 and tied it at T = 256; 64 x 64 and 128 x 128 were slower (more calls, or more work
// wasted on the causal diagonal).
constexpr int64_t kTileQ = 64;   // query rows per tile
constexpr int64_t kTileK = 128;  // key rows per tile

// Pointer to row (b, t, head) of a (B, T, heads, D) tensor.
inline const float* rowPtr(const float* x, int64_t b, int64_t t, int64_t T, int64_t head, int64_t heads, int64_t D) {
  return x + ((b * T + t) * heads + head) * D;
}

// One past the last key any query in [t0, t1) may see.
inline int64_t keyEnd(const AttnShape& a, int64_t t1) {
  if (!a.causal) return a.S;
  int64_t e = t1 + (a.S - a.T);
  return e < 0 ? 0 : (e > a.S ? a.S : e);
}

// bias[j] = 0 for a real key s0 + j of batch b, -inf for padding. Returns false if every key is padding.
inline bool keyBias(const AttnShape& a, int64_t b, int64_t s0, int64_t bk, float* bias) {
  bool any = false;
  for (int64_t j = 0; j < bk; j++) {
    const bool real = a.keyMask == nullptr || a.keyMask[b * a.S + s0 + j] != 0.0f;
    bias[j] = real ? 0.0f : kNegInf;
    any = any || real;
  }
  return any;
}

// Masks the score tile sc (bq, bk) of queries [t0, t0 + bq) and keys [s0, s0 + bk): padding keys
// (bias) and, when causal, keys after each query's diagonal get -inf.
inline void maskTile(const AttnShape& a, int64_t t0, int64_t bq, int64_t s0, int64_t bk, const float* bias,
                     float* sc) {
  const int64_t off = a.S - a.T;
  for (int64_t i = 0; i < bq; i++) {  // (bq, bk)
    float* row = sc + i * bk;
    if (a.keyMask != nullptr)
      for (int64_t j = 0; j < bk; j++) row[j] += bias[j];
    if (a.causal) {
      int64_t visible = t0 + i + off - s0 + 1;  // keys of this tile the query may see
      for (int64_t j = visible < 0 ? 0 : visible; j < bk; j++) row[j] = kNegInf;
    }
  }
}

}  // namespace prefkit
