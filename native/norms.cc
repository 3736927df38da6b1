// RMSNorm and LayerNorm over the rows of x (N, D), forward and backward. One pass per row in cache;
// rows run in parallel. The weight/bias gradients (+=) are reduced through per-chunk partial sums so
// threads never write the same element.
#include <cmath>
#include <vector>

#include "kernels.h"
#include "parallel.h"
#include "vec-math.h"

namespace prefkit {
namespace {

// Number of row chunks to split N rows of D elements into (1 = run on the calling thread).
int64_t rowChunks(int64_t N, int64_t D) {
  if (N * D < kParallelMinWork || N < 2) return 1;
  int64_t t = numThreads();
  return t < N ? t : N;
}

// Runs body(rowBegin, rowEnd, dwPart, dbPart) over nChunks chunks, each with its own zeroed partial
// gradient buffers (nParts buffers of D), then adds the partials into outs[0..nParts).
template <class Body>
void rowsWithPartials(int64_t N, int64_t D, int nParts, float* const* outs, const Body& body) {
  int64_t chunks = rowChunks(N, D);
  if (chunks == 1) {
    body(0, N, outs[0], nParts > 1 ? outs[1] : nullptr);  // accumulate straight into the outputs
    return;
  }
  std::vector<float> parts(static_cast<size_t>(chunks * nParts * D), 0.0f);
  parallelFor(chunks, [&](int64_t c0, int64_t c1) {
    for (int64_t c = c0; c < c1; c++) {
      float* p = parts.data() + c * nParts * D;
      body(N * c / chunks, N * (c + 1) / chunks, p, nParts > 1 ? p + D : nullptr);
    }
  });
  for (int k = 0; k < nParts; k++)
    for (int64_t c = 0; c < chunks; c++) {
      const float* p = parts.data() + (c * nParts + k) * D;
      for (int64_t j = 0; j < D; j++) outs[k][j] += p[j];
    }
}

PK_CLONES void rmsFwdRows(int64_t r0, int64_t r1, int64_t D, const float* x, const float* w, float eps, float* y,
                          float* rstd) {
  for (int64_t i = r0; i < r1; i++) {  // row (D)
    const float* xr = x + i * D;
    float* yr = y + i * D;
    float r = 1.0f / std::sqrt(vdot(xr, xr, D) / static_cast<float>(D) + eps);
    rstd[i] = r;
    for (int64_t j = 0; j < D; j++) yr[j] = w[j] * (xr[j] * r);
  }
}

// dx = r * w*dy - x * r^3 / D * sum(w*dy*x);  dw += dy * x * r.
PK_CLONES void rmsBwdRows(int64_t r0, int64_t r1, int64_t D, const float* x, const float* w, const float* rstd,
                          const float* dy, float* dx, float* dw) {
  for (int64_t i = r0; i < r1; i++) {
    const float* xr = x + i * D;
    const float* gr = dy + i * D;
    float* dxr = dx + i * D;
    float r = rstd[i];
    float acc[kLanes] = {};
    int64_t j = 0;
    for (; j + kLanes <= D; j += kLanes)
      for (int l = 0; l < kLanes; l++) acc[l] += w[j + l] * gr[j + l] * xr[j + l];
    float s = 0.0f;
    for (; j < D; j++) s += w[j] * gr[j] * xr[j];
    for (int l = 0; l < kLanes; l++) s += acc[l];
    float c = s * r * r * r / static_cast<float>(D);
    for (j = 0; j < D; j++) {
      dxr[j] = r * w[j] * gr[j] - c * xr[j];
      dw[j] += gr[j] * xr[j] * r;
    }
  }
}

PK_CLONES void lnFwdRows(int64_t r0, int64_t r1, int64_t D, const float* x, const float* w, const float* b,
                         float eps, float* y, float* mean, float* rstd) {
  const float invD = 1.0f / static_cast<float>(D);
  for (int64_t i = r0; i < r1; i++) {
    const float* xr = x + i * D;
    float* yr = y + i * D;
    float mu = vsum(xr, D) * invD;
    // Two passes over the (cached) row: the variance of x - mu avoids cancellation.
    float acc[kLanes] = {};
    int64_t j = 0;
    for (; j + kLanes <= D; j += kLanes)
      for (int l = 0; l < kLanes; l++) {
        float d = xr[j + l] - mu;
        acc[l] += d * d;
      }
    float var = 0.0f;
    for (; j < D; j++) var += (xr[j] - mu) * (xr[j] - mu);
    for (int l = 0; l < kLanes; l++) var += acc[l];
    float r = 1.0f / std::sqrt(var * invD + eps);
    mean[i] = mu;
    rstd[i] = r;
    for (j = 0; j < D; j++) yr[j] = (xr[j] - mu) * r * w[j] + b[j];
  }
}

// xhat = (x - mu) r, g = dy w:  dx = r (g - mean(g) - xhat mean(g xhat));  dw += dy xhat;  db += dy.
PK_CLONES void lnBwdRows(int64_t r0, int64_t r1, int64_t D, const float* x, const float* w, const float* mean,
                         const float* rstd, const float* dy, float* dx, float* dw, float* db) {
  const float invD = 1.0f / static_cast<float>(D);
  for (int64_t i = r0; i < r1; i++) {
    const float* xr = x + i * D;
    const float* gr = dy + i * D;
    float* dxr = dx + i * D;
    float mu = mean[i], r = rstd[i];
    float a1[kLanes] = {}, a2[kLanes] = {};
    int64_t j = 0;
    for (; j + kLanes <= D; j += kLanes)
      for (int l = 0; l < kLanes; l++) {
        float g = gr[j + l] * w[j + l];
        a1[l] += g;
        a2[l] += g * (xr[j + l] - mu);
      }
    float sg = 0.0f, sgx = 0.0f;
    for (; j < D; j++) {
      float g = gr[j] * w[j];
      sg += g;
      sgx += g * (xr[j] - mu);
    }
    for (int l = 0; l < kLanes; l++) {
      sg += a1[l];
      sgx += a2[l];
    }
    float mg = sg * invD, mgx = sgx * r * invD;
    for (j = 0; j < D; j++) {
      float xh = (xr[j] - mu) * r;
      dxr[j] = r * (gr[j] * w[j] - mg - xh * mgx);
      dw[j] += gr[j] * xh;
      db[j] += gr[j];
    }
  }
}

}  // namespace

void rmsNormForward(int64_t N, int64_t D, const float* x, const float* w, float eps, float* y, float* rstd) {
  if (rowChunks(N, D) == 1) return rmsFwdRows(0, N, D, x, w, eps, y, rstd);
  parallelFor(N, [&](int64_t r0, int64_t r1) { rmsFwdRows(r0, r1, D, x, w, eps, y, rstd); });
}

void rmsNormBackward(int64_t N, int64_t D, const float* x, const float* w, const float* rstd, const float* dy,
                     float* dx, float* dw) {
  float* outs[2] = {dw, nullptr};
  rowsWithPartials(N, D, 1, outs, [&](int64_t r0, int64_t r1, float* pw, float*) {
    rmsBwdRows(r0, r1, D, x, w, rstd, dy, dx, pw);
  });
}

void layerNormForward(int64_t N, int64_t D, const float* x, const float* w, const float* b, float eps, float* y,
                      float* mean, float* rstd) {
  if (rowChunks(N, D) == 1) return lnFwdRows(0, N, D, x, w, b, eps, y, mean, rstd);
  parallelFor(N, [&](int64_t r0, int64_t r1) { lnFwdRows(r0, r1, D, x, w, b, eps, y, mean, rstd); });
}

void layerNormBackward(int64_t N, int64_t D, const float* x, const float* w, const float* mean, const float* rstd,
                       const float* dy, float* dx, float* dw, float* db) {
  float* outs[2] = {dw, db};
  rowsWithPartials(N, D, 2, outs, [&](int64_t r0, int64_t r1, float* pw, float* pb) {
    lnBwdRows(r0, r1, D, x, w, mean, rstd, dy, dx, pw, pb);
  });
}

}  // namespace prefkit
