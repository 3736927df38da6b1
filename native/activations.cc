// Elementwise activations (SiLU, tanh-GELU, SwiGLU) and their gradients. Each is one pass over the
// data, split across threads for large n; exp/tanh use the vectorizable helpers of vec-math.h.
#include "kernels.h"
#include "parallel.h"
#include "vec-math.h"

namespace prefkit {
namespace {

constexpr float kGeluC = 0.7978845608028654f;  // sqrt(2 / pi)
constexpr float kGeluA = 0.044715f;

// Runs body(begin, end) over [0, n), in parallel when n is large enough to pay for the threads.
template <class Body>
void elementwise(int64_t n, const Body& body) {
  if (n < kParallelMinWork) return body(0, n);
  parallelFor(n, body, 4096);
}

PK_CLONES void siluFwd(int64_t i0, int64_t i1, const float* x, float* y) {
  for (int64_t i = i0; i < i1; i++) y[i] = x[i] * vsigmoid(x[i]);
}

// d/dx x sig(x) = sig(x) (1 + x (1 - sig(x))).
PK_CLONES void siluBwd(int64_t i0, int64_t i1, const float* x, const float* dy, float* dx) {
  for (int64_t i = i0; i < i1; i++) {
    float s = vsigmoid(x[i]);
    dx[i] = dy[i] * s * (1.0f + x[i] * (1.0f - s));
  }
}

PK_CLONES void geluFwd(int64_t i0, int64_t i1, const float* x, float* y) {
  for (int64_t i = i0; i < i1; i++) {
    float v = x[i];
    float t = vtanh(kGeluC * (v + kGeluA * v * v * v));
    y[i] = 0.5f * v * (1.0f + t);
  }
}

// d/dx = 0.5 (1 + t) + 0.5 x (1 - t^2) c (1 + 3 a x^2), t = tanh(c (x + a x^3)).
PK_CLONES void geluBwd(int64_t i0, int64_t i1, const float* x, const float* dy, float* dx) {
  for (int64_t i = i0; i < i1; i++) {
    float v = x[i];
    float t = vtanh(kGeluC * (v + kGeluA * v * v * v));
    float d = 0.5f * (1.0f + t) + 0.5f * v * (1.0f - t * t) * kGeluC * (1.0f + 3.0f * kGeluA * v * v);
    dx[i] = dy[i] * d;
  }
}

PK_CLONES void swigluFwd(int64_t i0, int64_t i1, const float* g, const float* u, float* y) {
  for (int64_t i = i0; i < i1; i++) y[i] = g[i] * vsigmoid(g[i]) * u[i];
}

PK_CLONES void swigluBwd(int64_t i0, int64_t i1, const float* g, const float* u, const float* dy, float* dg,
                         float* du) {
  for (int64_t i = i0; i < i1; i++) {
    float s = vsigmoid(g[i]);
    float gd = dy[i];
    float ui = u[i];  // read before writing: dup may alias up
    du[i] = gd * g[i] * s;
    dg[i] = gd * ui * s * (1.0f + g[i] * (1.0f - s));
  }
}

}  // namespace

void siluForward(int64_t n, const float* x, float* y) {
  elementwise(n, [&](int64_t a, int64_t b) { siluFwd(a, b, x, y); });
}
void siluBackward(int64_t n, const float* x, const float* dy, float* dx) {
  elementwise(n, [&](int64_t a, int64_t b) { siluBwd(a, b, x, dy, dx); });
}
void geluForward(int64_t n, const float* x, float* y) {
  elementwise(n, [&](int64_t a, int64_t b) { geluFwd(a, b, x, y); });
}
void geluBackward(int64_t n, const float* x, const float* dy, float* dx) {
  elementwise(n, [&](int64_t a, int64_t b) { geluBwd(a, b, x, dy, dx); });
}
void swigluForward(int64_t n, const float* gate, const float* up, float* y) {
  elementwise(n, [&](int64_t a, int64_t b) { swigluFwd(a, b, gate, up, y); });
}
void swigluBackward(int64_t n, const float* gate, const float* up, const float* dy, float* dgate, float* dup) {
  elementwise(n, [&](int64_t a, int64_t b) { swigluBwd(a, b, gate, up, dy, dgate, dup); });
}

}  // namespace prefkit
