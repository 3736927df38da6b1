// Row softmax and log-softmax of x (N, V), forward and backward; rows in parallel.
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

PK_CLONES void softmaxFwdRows(int64_t r0, int64_t r1, int64_t V, const float* x, float* y) {
  for (int64_t i = r0; i < r1; i++) {  // row (V)
    const float* xr = x + i * V;
    float* yr = y + i * V;
    float inv = 1.0f / vexpShiftSum(xr, vmax(xr, V), yr, V);
    for (int64_t j = 0; j < V; j++) yr[j] *= inv;
  }
}

PK_CLONES void softmaxBwdRows(int64_t r0, int64_t r1, int64_t V, const float* y, const float* dy, float* dx) {
  for (int64_t i = r0; i < r1; i++) {
    const float* yr = y + i * V;
    const float* gr = dy + i * V;
    float* dxr = dx + i * V;
    float s = vdot(yr, gr, V);
    for (int64_t j = 0; j < V; j++) dxr[j] = yr[j] * (gr[j] - s);
  }
}

PK_CLONES void logSoftmaxFwdRows(int64_t r0, int64_t r1, int64_t V, const float* x, float* y) {
  for (int64_t i = r0; i < r1; i++) {
    const float* xr = x + i * V;
    float* yr = y + i * V;
    float m = vmax(xr, V);
    float lse = m + std::log(vexpShiftSumOnly(xr, m, V));
    for (int64_t j = 0; j < V; j++) yr[j] = xr[j] - lse;
  }
}

PK_CLONES void logSoftmaxBwdRows(int64_t r0, int64_t r1, int64_t V, const float* y, const float* dy, float* dx) {
  for (int64_t i = r0; i < r1; i++) {
    const float* yr = y + i * V;
    const float* gr = dy + i * V;
    float* dxr = dx + i * V;
    float s = vsum(gr, V);
    for (int64_t j = 0; j < V; j++) dxr[j] = gr[j] - vexp(yr[j]) * s;
  }
}

}  // namespace

void softmaxForward(int64_t N, int64_t V, const float* x, float* y) {
  rows(N, V, [&](int64_t a, int64_t b) { softmaxFwdRows(a, b, V, x, y); });
}
void softmaxBackward(int64_t N, int64_t V, const float* y, const float* dy, float* dx) {
  rows(N, V, [&](int64_t a, int64_t b) { softmaxBwdRows(a, b, V, y, dy, dx); });
}
void logSoftmaxForward(int64_t N, int64_t V, const float* x, float* y) {
  rows(N, V, [&](int64_t a, int64_t b) { logSoftmaxFwdRows(a, b, V, x, y); });
}
void logSoftmaxBackward(int64_t N, int64_t V, const float* y, const float* dy, float* dx) {
  rows(N, V, [&](int64_t a, int64_t b) { logSoftmaxBwdRows(a, b, V, y, dy, dx); });
}

}  // namespace prefkit
