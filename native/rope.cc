// Rotary position embedding (rotate-half convention) on x (B, T, H, D); y may alias x (each pair is
// read before it is written). cos/sin are the expensive part, so they are tabulated once per distinct
// position (positions usually repeat across the batch), kept for the next call with the same positions,
// and applied to all H heads of each token.
#include <algorithm>
#include <cmath>
#include <vector>

#include "kernels.h"
#include "parallel.h"
#include "vec-math.h"

namespace prefkit {
namespace {

// sign = -1 rotates by the negated angles (the inverse, i.e. transposed, rotation of the backward).
PK_CLONES void rotateHeads(int64_t H, int64_t D, const float* x, const float* cs, const float* sn, float sign,
                           float* y) {
  const int64_t half = D / 2;
  for (int64_t h = 0; h < H; h++) {  // (H, D) of one token
    const float* xr = x + h * D;
    float* yr = y + h * D;
    for (int64_t j = 0; j < half; j++) {
      const float a = xr[j], b = xr[j + half], s = sign * sn[j];
      yr[j] = a * cs[j] - b * s;
      yr[j + half] = b * cs[j] + a * s;
    }
  }
}

// cos/sin of position p for the D/2 frequencies.
void angles(int64_t p, int64_t half, const float* invFreq, float* cs, float* sn) {
  for (int64_t j = 0; j < half; j++) {
    // The angle is rounded to float32 as HF computes it (Math.fround(p * invFreq[j])).
    const float angle = static_cast<float>(static_cast<double>(p) * static_cast<double>(invFreq[j]));
    cs[j] = static_cast<float>(std::cos(static_cast<double>(angle)));
    sn[j] = static_cast<float>(std::sin(static_cast<double>(angle)));
  }
}

template <class Body>
void rowsOf(int64_t rows, int64_t work, const Body& body) {
  if (work < kParallelMinWork) return body(0, rows);
  parallelFor(rows, body);
}

// The (span, D/2) cos/sin table of positions [pmin, pmin + span). A training step applies RoPE to q and
// k of every layer, forward and backward, with the same positions and frequencies: the last table is
// kept (per JS thread) and reused when positions and frequencies match, since computing it in double
// precision costs more than the rotation itself. The inverse rotation negates sin at use.
struct AngleTable {
  int64_t pmin = 0, span = 0;
  std::vector<float> invFreq, cs, sn;

  void prepare(int64_t p0, int64_t n, int64_t half, const float* freq) {
    if (p0 == pmin && n == span && invFreq.size() == static_cast<size_t>(half) &&
        std::equal(invFreq.begin(), invFreq.end(), freq))
      return;
    pmin = p0, span = n;
    invFreq.assign(freq, freq + half);
    cs.resize(static_cast<size_t>(n * half));
    sn.resize(cs.size());
    rowsOf(n, n * half * 16, [&](int64_t a, int64_t b) {
      for (int64_t p = a; p < b; p++) angles(p0 + p, half, freq, &cs[p * half], &sn[p * half]);
    });
  }
};

thread_local AngleTable tTable;

}  // namespace

void rope(int64_t B, int64_t T, int64_t H, int64_t D, const float* x, const int32_t* positions,
          const float* invFreq, bool inverse, float* y) {
  const int64_t half = D / 2, rows = B * T;
  if (rows == 0) return;
  const auto [lo, hi] = std::minmax_element(positions, positions + rows);
  const int64_t pmin = *lo, span = static_cast<int64_t>(*hi) - pmin + 1;
  const float sign = inverse ? -1.0f : 1.0f;
  if (span <= rows) {
    // Table of cos and sin (cached across calls), then a pure rotation pass.
    tTable.prepare(pmin, span, half, invFreq);
    const float *cs = tTable.cs.data(), *sn = tTable.sn.data();
    rowsOf(rows, rows * H * D, [&](int64_t r0, int64_t r1) {
      for (int64_t r = r0; r < r1; r++) {
        const int64_t p = positions[r] - pmin;
        rotateHeads(H, D, x + r * H * D, cs + p * half, sn + p * half, sign, y + r * H * D);
      }
    });
    return;
  }
  rowsOf(rows, rows * (H * D + half * 16), [&](int64_t r0, int64_t r1) {  // sparse positions: per token
    std::vector<float> cs(static_cast<size_t>(half)), sn(cs.size());
    for (int64_t r = r0; r < r1; r++) {
      angles(positions[r], half, invFreq, cs.data(), sn.data());
      rotateHeads(H, D, x + r * H * D, cs.data(), sn.data(), sign, y + r * H * D);
    }
  });
}

}  // namespace prefkit
