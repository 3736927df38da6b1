// Small vectorizable math helpers shared by the non-GEMM kernels. Written as plain scalar loops that
// g++ -O3 auto-vectorizes (no -ffast-math needed): reductions keep 16 independent lanes, and exp uses
// a range reduction + polynomial instead of libm so it vectorizes too.
#pragma once
#include <cstdint>
#include <cstring>
#include <limits>

// Runtime dispatch for hot loops: one clone per ISA level, picked once at load time (glibc ifunc).
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__) && defined(__linux__) && defined(__GLIBC__)
#if __GNUC__ >= 12
#define PK_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define PK_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#endif
#else
#define PK_CLONES
#endif

#define PK_INLINE static inline __attribute__((always_inline))

namespace prefkit {

constexpr float kNegInf = -std::numeric_limits<float>::infinity();
constexpr float kPosInf = std::numeric_limits<float>::infinity();
constexpr int kLanes = 16;

// exp(x) to ~2 ulp for x in [-87, 88]; 0 below (true value < 2e-38), +inf above, NaN propagates.
// Cephes-style: x = n ln2 + r, |r| <= ln2/2, exp(r) by a degree-6 polynomial, 2^n through the exponent bits.
PK_INLINE float vexp(float x) {
  const float lo = -87.0f, hi = 88.0f;
  float xc = x > hi ? hi : x;
  xc = xc < lo ? lo : xc;
  // Round x*log2(e) to the nearest integer with the 1.5*2^23 trick; its low mantissa bits hold n.
  float tm = xc * 1.44269504088896341f + 12582912.0f;
  int32_t bits;
  std::memcpy(&bits, &tm, 4);
  int32_t ni = bits - 0x4B400000;
  float n = tm - 12582912.0f;
  float r = xc - n * 0.693359375f;
  r = r - n * -2.12194440e-4f;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  p = p * r * r + r + 1.0f;
  int32_t e = (ni + 127) << 23;
  float scale;
  std::memcpy(&scale, &e, 4);
  float y = p * scale;
  y = x < lo ? 0.0f : y;
  y = x > hi ? kPosInf : y;
  return y;
}

PK_INLINE float vsigmoid(float x) { return 1.0f / (1.0f + vexp(-x)); }

// tanh through exp; saturates cleanly to +-1 (exp overflow gives 2/inf = 0).
PK_INLINE float vtanh(float x) { return 1.0f - 2.0f / (1.0f + vexp(2.0f * x)); }

PK_INLINE float vsum(const float* x, int64_t n) {
  float acc[kLanes] = {};
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (int j = 0; j < kLanes; j++) acc[j] += x[i + j];
  float s = 0.0f;
  for (; i < n; i++) s += x[i];
  for (int j = 0; j < kLanes; j++) s += acc[j];
  return s;
}

PK_INLINE float vdot(const float* a, const float* b, int64_t n) {
  float acc[kLanes] = {};
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (int j = 0; j < kLanes; j++) acc[j] += a[i + j] * b[i + j];
  float s = 0.0f;
  for (; i < n; i++) s += a[i] * b[i];
  for (int j = 0; j < kLanes; j++) s += acc[j];
  return s;
}

PK_INLINE float vmax(const float* x, int64_t n) {
  float acc[kLanes];
  for (int j = 0; j < kLanes; j++) acc[j] = kNegInf;
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (int j = 0; j < kLanes; j++) acc[j] = x[i + j] > acc[j] ? x[i + j] : acc[j];
  float m = kNegInf;
  for (; i < n; i++) m = x[i] > m ? x[i] : m;
  for (int j = 0; j < kLanes; j++) m = acc[j] > m ? acc[j] : m;
  return m;
}

// out[i] = exp(x[i] - shift); returns the sum. out may alias x.
PK_INLINE float vexpShiftSum(const float* x, float shift, float* out, int64_t n) {
  float acc[kLanes] = {};
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (int j = 0; j < kLanes; j++) {
      float e = vexp(x[i + j] - shift);
      out[i + j] = e;
      acc[j] += e;
    }
  float s = 0.0f;
  for (; i < n; i++) {
    float e = vexp(x[i] - shift);
    out[i] = e;
    s += e;
  }
  for (int j = 0; j < kLanes; j++) s += acc[j];
  return s;
}

// Sum of exp(x[i] - shift) without storing it.
PK_INLINE float vexpShiftSumOnly(const float* x, float shift, int64_t n) {
  float acc[kLanes] = {};
  int64_t i = 0;
  for (; i + kLanes <= n; i += kLanes)
    for (int j = 0; j < kLanes; j++) acc[j] += vexp(x[i + j] - shift);
  float s = 0.0f;
  for (; i < n; i++) s += vexp(x[i] - shift);
  for (int j = 0; j < kLanes; j++) s += acc[j];
  return s;
}

// Below this many elements (or rows x cols) a kernel runs on the calling thread only.
constexpr int64_t kParallelMinWork = 1 << 15;

}  // namespace prefkit
