// Rotary position embedding (rotate-half convention) on x (B, T, H, D); y may alias x (each pair is
// read before it is written). cos/sin are the expensive part, so they are tabulated once per distinct
// position (positions usually repeat across the batch) and applied to all H heads of each token.
#include <algorithm>
#include <cmath>
#include <vector>

#include "kernels.h"
#include "parallel.h"
#include "vec-math.h"

namespace prefkit {
namespace {

PK_CLONES void rotateHeads(int64_t H, int64_t D, const float* x, const float* cs, const float* sn, float* y) {
  const int64_t half = D / 2;
  for (int64_t h = 0; h < H; h++) {  // (H, D) of one token
    const float* xr = x + h * D;
    float* yr = y + h * D;
    for (int64_t j = 0; j < half; j++) {
      float a = xr[j], b = xr[j + half];
      yr[j] = a * cs[j] - b * sn[j];
      yr[j + half] = b * cs[j] + a * sn[j];
    }
  }
}

// cos/sin of position p for the D/2 frequencies; sn negated for the inverse (transposed) rotation.
void angles(int64_t p, int64_t half, const float* invFreq, bool inverse, float* cs, float* sn) {
  for (int64_t j = 0; j < half; j++) {
    // The angle is rounded to float32 as HF computes it (Math.fround(p * invFreq[j])).
    const float angle = static_cast<float>(static_cast<double>(p) * static_cast<double>(invFreq[j]));
    cs[j] = static_cast<float>(std::cos(static_cast<double>(angle)));
    const float s = static_cast<float>(std::sin(static_cast<double>(angle)));
    sn[j] = inverse ? -s : s;
  }
}

template <class Body>
void rowsOf(int64_t rows, int64_t work, const Body& body) {
  if (work < kParallelMinWork) return body(0, rows);
  parallelFor(rows, body);
}

}  // namespace

void rope(int64_t B, int64_t T, int64_t H, int64_t D, const float* x, const int32_t* positions,
          const float* invFreq, bool inverse, float* y) {
  const int64_t half = D / 2, rows = B * T;
  if (rows == 0) return;
  const auto [lo, hi] = std::minmax_element(positions, positions + rows);
  const int64_t pmin = *lo, span = static_cast<int64_t>(*hi) - pmin + 1;
  if (span <= rows) {
    // Table (span, D/2) of cos and sin, then a pure rotation pass.
    std::vector<float> cs(static_cast<size_t>(span * half)), sn(cs.size());
    rowsOf(span, span * half * 16, [&](int64_t p0, int64_t p1) {
      for (int64_t p = p0; p < p1; p++) angles(pmin + p, half, invFreq, inverse, &cs[p * half], &sn[p * half]);
    });
    rowsOf(rows, rows * H * D, [&](int64_t r0, int64_t r1) {
      for (int64_t r = r0; r < r1; r++) {
        const int64_t p = positions[r] - pmin;
        rotateHeads(H, D, x + r * H * D, &cs[p * half], &sn[p * half], y + r * H * D);
      }
    });
    return;
  }
  rowsOf(rows, rows * (H * D + half * 16), [&](int64_t r0, int64_t r1) {  // sparse positions: per token
    std::vector<float> cs(static_cast<size_t>(half)), sn(cs.size());
    for (int64_t r = r0; r < r1; r++) {
      angles(positions[r], half, invFreq, inverse, cs.data(), sn.data());
      rotateHeads(H, D, x + r * H * D, cs.data(), sn.data(), y + r * H * D);
    }
  });
}

}  // namespace prefkit
