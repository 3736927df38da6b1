// The non-GEMM kernels (see src/tensor/backend.ts for the exact semantics of each). All buffers are
// float32, row-major and borrowed from the caller for the duration of the call; "+=" outputs are
// accumulated into, the others overwritten. Shapes are assumed valid (the N-API layer checks lengths).
#pragma once
#include <cstdint>
#include <vector>

namespace prefkit {

struct AttnShape {
  int64_t B, T, S, H, Hkv, D;  // q/o: (B, T, H, D); k/v: (B, S, Hkv, D)
  float scale;
  bool causal;               // query t sees key s iff s <= t + (S - T)
  const float* keyMask;      // (B, S), 0 = padding; may be null
};

// attention.cc / attention-backward.cc
void attentionForward(const AttnShape& s, const float* q, const float* k, const float* v, float* o, float* lse);
void attentionBackward(const AttnShape& s, const float* q, const float* k, const float* v, const float* o,
                       const float* lse, const float* dO, float* dq, float* dk, float* dv);

// norms.cc
void rmsNormForward(int64_t N, int64_t D, const float* x, const float* w, float eps, float* y, float* rstd);
void rmsNormBackward(int64_t N, int64_t D, const float* x, const float* w, const float* rstd, const float* dy,
                     float* dx, float* dw);
void layerNormForward(int64_t N, int64_t D, const float* x, const float* w, const float* b, float eps, float* y,
                      float* mean, float* rstd);
void layerNormBackward(int64_t N, int64_t D, const float* x, const float* w, const float* mean, const float* rstd,
                       const float* dy, float* dx, float* dw, float* db);

// rope.cc: x (B, T, H, D), y may alias x.
void rope(int64_t B, int64_t T, int64_t H, int64_t D, const float* x, const int32_t* positions,
          const float* invFreq, bool inverse, float* y);

// arith.cc: out = a (op) b elementwise; out may alias a or b. Op codes match src/tensor/native/kernels.ts.
constexpr int kArithAdd = 0, kArithSub = 1, kArithMul = 2, kArithDiv = 3;
void arith(int op, int64_t n, const float* a, const float* b, float* out);

// activations.cc
void siluForward(int64_t n, const float* x, float* y);
void siluBackward(int64_t n, const float* x, const float* dy, float* dx);
void geluForward(int64_t n, const float* x, float* y);
void geluBackward(int64_t n, const float* x, const float* dy, float* dx);
void swigluForward(int64_t n, const float* gate, const float* up, float* y);
void swigluBackward(int64_t n, const float* gate, const float* up, const float* dy, float* dgate, float* dup);

// softmax.cc
void softmaxForward(int64_t N, int64_t V, const float* x, float* y);
void softmaxBackward(int64_t N, int64_t V, const float* y, const float* dy, float* dx);
void logSoftmaxForward(int64_t N, int64_t V, const float* x, float* y);
void logSoftmaxBackward(int64_t N, int64_t V, const float* y, const float* dy, float* dx);

// logprob.cc: labels < 0 are ignored.
void logprobForward(int64_t N, int64_t V, const float* logits, const int32_t* labels, float* logp, float* lse);
void logprobBackward(int64_t N, int64_t V, const float* logits, const int32_t* labels, const float* lse,
                     const float* dlogp, float* dlogits);
// linear-logprob.cc: logits = h (N, Hd) @ w (V, Hd)^T, computed chunk by chunk over V.
void linearLogprobForward(int64_t N, int64_t Hd, int64_t V, const float* h, const float* w, const int32_t* labels,
                          float* logp, float* lse);
void linearLogprobBackward(int64_t N, int64_t Hd, int64_t V, const float* h, const float* w, const int32_t* labels,
                           const float* lse, const float* dlogp, float* dh, float* dw);

// embedding.cc
void embeddingForward(int64_t N, int64_t D, const int32_t* ids, const float* table, float* out);
void embeddingBackward(int64_t N, int64_t D, const int32_t* ids, const float* dout, float* dtable);

// adamw.cc
struct AdamWParams { double lr, beta1, beta2, eps; int64_t step; };
// Every tensor of a model in one pass over their concatenation, each with its own weight decay.
struct AdamWTensor { float* param; const float* grad; float* m; float* v; int64_t n; double weightDecay; };
void adamwMany(const std::vector<AdamWTensor>& tensors, const AdamWParams& o);

}  // namespace prefkit
