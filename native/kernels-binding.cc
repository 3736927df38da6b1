// N-API wrappers for the non-GEMM kernels. Arguments follow src/tensor/backend.ts positionally, with
// AttentionShape flattened to (B, T, S, H, Hkv, D, scale, causal, keyMask). Every buffer length and
// every index (labels, ids) is checked here, so a wrong size is a RangeError that names the buffer
// instead of an out-of-bounds access in C++.
#include <napi.h>

#include <exception>
#include <string>

#include "kernels.h"
#include "napi-args.h"

namespace prefkit {
namespace {

using Info = Napi::CallbackInfo;

// Runs a kernel body, turning C++ failures (e.g. std::bad_alloc for scratch) into JS errors instead
// of terminating the process.
template <class Body>
void guarded(const Info& info, const char* kernel, const Body& body) {
  try {
    body();
  } catch (const Napi::Error&) {
    throw;
  } catch (const std::exception& e) {
    throw Napi::Error::New(info.Env(), std::string("prefkit native kernel '") + kernel + "' failed: " + e.what());
  }
}

int64_t dimArg(const Info& info, size_t i, const char* name) {
  const int64_t v = intArg(info, i, name);
  if (v < 0) throw Napi::RangeError::New(info.Env(), std::string("argument '") + name + "' must be >= 0");
  return v;
}

size_t sz(int64_t v) { return static_cast<size_t>(v); }

// Labels: -1 (any negative) ignores a row; otherwise must index the vocabulary.
void checkLabels(const Info& info, const I32View& y, int64_t N, int64_t V, const char* name) {
  for (int64_t i = 0; i < N; i++)
    if (y.data[i] >= V)
      throw Napi::RangeError::New(info.Env(), std::string("'") + name + "'[" + std::to_string(i) + "] = " +
                                                  std::to_string(y.data[i]) + " is out of range for V = " +
                                                  std::to_string(V) + " (negative = ignored)");
}

// Embedding ids index a table of `rows` rows.
void checkIds(const Info& info, const I32View& ids, int64_t N, int64_t rows) {
  for (int64_t i = 0; i < N; i++)
    if (ids.data[i] < 0 || ids.data[i] >= rows)
      throw Napi::RangeError::New(info.Env(), "'ids'[" + std::to_string(i) + "] = " + std::to_string(ids.data[i]) +
                                                  " is out of range for a table of " + std::to_string(rows) + " rows");
}

AttnShape attnShape(const Info& info) {
  AttnShape a{};
  a.B = dimArg(info, 0, "B");
  a.T = dimArg(info, 1, "T");
  a.S = dimArg(info, 2, "S");
  a.H = dimArg(info, 3, "H");
  a.Hkv = dimArg(info, 4, "Hkv");
  a.D = dimArg(info, 5, "D");
  a.scale = static_cast<float>(numArg(info, 6, "scale"));
  a.causal = boolArg(info, 7, "causal");
  if (a.Hkv == 0 || a.H % a.Hkv != 0)
    throw Napi::RangeError::New(info.Env(), "attention: H (" + std::to_string(a.H) +
                                                ") must be a positive multiple of Hkv (" + std::to_string(a.Hkv) + ")");
  F32View mask = f32OptArg(info, 8, "keyMask");
  if (mask.data != nullptr) requireLength(info, mask.length, sz(a.B * a.S), "keyMask");
  a.keyMask = mask.data;
  return a;
}

// Checks q/k/v (and o) at argument positions 9.. and returns their views.
struct QKV { F32View q, k, v, o, lse; };
QKV qkvo(const Info& info, const AttnShape& a) {
  QKV r{f32Arg(info, 9, "q"), f32Arg(info, 10, "k"), f32Arg(info, 11, "v"), f32Arg(info, 12, "o"),
        f32Arg(info, 13, "lse")};
  const size_t qn = sz(a.B * a.T * a.H * a.D), kn = sz(a.B * a.S * a.Hkv * a.D);
  requireLength(info, r.q.length, qn, "q");
  requireLength(info, r.k.length, kn, "k");
  requireLength(info, r.v.length, kn, "v");
  requireLength(info, r.o.length, qn, "o");
  requireLength(info, r.lse.length, sz(a.B * a.H * a.T), "lse");
  return r;
}

void attentionForwardJs(const Info& info) {
  AttnShape a = attnShape(info);
  QKV t = qkvo(info, a);
  attentionForward(a, t.q.data, t.k.data, t.v.data, t.o.data, t.lse.data);
}

void attentionBackwardJs(const Info& info) {
  AttnShape a = attnShape(info);
  QKV t = qkvo(info, a);
  F32View dO = f32Arg(info, 14, "dO"), dq = f32Arg(info, 15, "dq"), dk = f32Arg(info, 16, "dk"),
          dv = f32Arg(info, 17, "dv");
  requireLength(info, dO.length, sz(a.B * a.T * a.H * a.D), "dO");
  requireLength(info, dq.length, sz(a.B * a.T * a.H * a.D), "dq");
  requireLength(info, dk.length, sz(a.B * a.S * a.Hkv * a.D), "dk");
  requireLength(info, dv.length, sz(a.B * a.S * a.Hkv * a.D), "dv");
  attentionBackward(a, t.q.data, t.k.data, t.v.data, t.o.data, t.lse.data, dO.data, dq.data, dk.data, dv.data);
}

void rmsNormForwardJs(const Info& info) {
  const int64_t N = dimArg(info, 0, "N"), D = dimArg(info, 1, "D");
  F32View x = f32Arg(info, 2, "x"), w = f32Arg(info, 3, "w"), y = f32Arg(info, 5, "y"), r = f32Arg(info, 6, "rstd");
  const float eps = static_cast<float>(numArg(info, 4, "eps"));
  requireLength(info, x.length, sz(N * D), "x");
  requireLength(info, w.length, sz(D), "w");
  requireLength(info, y.length, sz(N * D), "y");
  requireLength(info, r.length, sz(N), "rstd");
  rmsNormForward(N, D, x.data, w.data, eps, y.data, r.data);
}

void rmsNormBackwardJs(const Info& info) {
  const int64_t N = dimArg(info, 0, "N"), D = dimArg(info, 1, "D");
  F32View x = f32Arg(info, 2, "x"), w = f32Arg(info, 3, "w"), r = f32Arg(info, 4, "rstd"), dy = f32Arg(info, 5, "dy"),
          dx = f32Arg(info, 6, "dx"), dw = f32Arg(info, 7, "dw");
  requireLength(info, x.length, sz(N * D), "x");
  requireLength(info, w.length, sz(D), "w");
  requireLength(info, r.length, sz(N), "rstd");
  requireLength(info, dy.length, sz(N * D), "dy");
  requireLength(info, dx.length, sz(N * D), "dx");
  requireLength(info, dw.length, sz(D), "dw");
  rmsNormBackward(N, D, x.data, w.data, r.data, dy.data, dx.data, dw.data);
}

void layerNormForwardJs(const Info& info) {
  const int64_t N = dimArg(info, 0, "N"), D = dimArg(info, 1, "D");
  F32View x = f32Arg(info, 2, "x"), w = f32Arg(info, 3, "w"), b = f32Arg(info, 4, "b"), y = f32Arg(info, 6, "y"),
          mean = f32Arg(info, 7, "mean"), r = f32Arg(info, 8, "rstd");
  const float eps = static_cast<float>(numArg(info, 5, "eps"));
  requireLength(info, x.length, sz(N * D), "x");
  requireLength(info, w.length, sz(D), "w");
  requireLength(info, b.length, sz(D), "b");
  requireLength(info, y.length, sz(N * D), "y");
  requireLength(info, mean.length, sz(N), "mean");
  requireLength(info, r.length, sz(N), "rstd");
  layerNormForward(N, D, x.data, w.data, b.data, eps, y.data, mean.data, r.data);
}

void layerNormBackwardJs(const Info& info) {
  const int64_t N = dimArg(info, 0, "N"), D = dimArg(info, 1, "D");
  F32View x = f32Arg(info, 2, "x"), w = f32Arg(info, 3, "w"), mean = f32Arg(info, 4, "mean"),
          r = f32Arg(info, 5, "rstd"), dy = f32Arg(info, 6, "dy"), dx = f32Arg(info, 7, "dx"), dw = f32Arg(info, 8, "dw"),
          db = f32Arg(info, 9, "db");
  requireLength(info, x.length, sz(N * D), "x");
  requireLength(info, w.length, sz(D), "w");
  requireLength(info, mean.length, sz(N), "mean");
  requireLength(info, r.length, sz(N), "rstd");
  requireLength(info, dy.length, sz(N * D), "dy");
  requireLength(info, dx.length, sz(N * D), "dx");
  requireLength(info, dw.length, sz(D), "dw");
  requireLength(info, db.length, sz(D), "db");
  layerNormBackward(N, D, x.data, w.data, mean.data, r.data, dy.data, dx.data, dw.data, db.data);
}

void ropeJs(const Info& info) {
  const int64_t B = dimArg(info, 0, "B"), T = dimArg(info, 1, "T"), H = dimArg(info, 2, "H"), D = dimArg(info, 3, "D");
  if (D % 2 != 0) throw Napi::RangeError::New(info.Env(), "rope: D (" + std::to_string(D) + ") must be even");
  F32View x = f32Arg(info, 4, "x"), inv = f32Arg(info, 6, "invFreq"), y = f32Arg(info, 8, "y");
  I32View pos = i32Arg(info, 5, "positions");
  const bool inverse = boolArg(info, 7, "inverse");
  requireLength(info, x.length, sz(B * T * H * D), "x");
  requireLength(info, pos.length, sz(B * T), "positions");
  requireLength(info, inv.length, sz(D / 2), "invFreq");
  requireLength(info, y.length, sz(B * T * H * D), "y");
  rope(B, T, H, D, x.data, pos.data, inv.data, inverse, y.data);
}

// Elementwise kernels: (n, in1[, in2[, in3]], out1[, out2]).
template <int Ins, int Outs, class Fn>
Napi::Function elementwiseJs(Napi::Env env, const char* const* names, Fn fn) {
  return Napi::Function::New(env, [names, fn](const Info& info) {
    const int64_t n = dimArg(info, 0, "n");
    F32View v[Ins + Outs];
    for (int i = 0; i < Ins + Outs; i++) {
      v[i] = f32Arg(info, 1 + i, names[i]);
      requireLength(info, v[i].length, sz(n), names[i]);
    }
    guarded(info, "elementwise", [&] { fn(n, v); });
  });
}

// Row kernels over (N, V): (N, V, in1[, in2], out).
template <int Bufs, class Fn>
Napi::Function rowsJs(Napi::Env env, const char* const* names, Fn fn) {
  return Napi::Function::New(env, [names, fn](const Info& info) {
    const int64_t N = dimArg(info, 0, "N"), V = dimArg(info, 1, "V");
    F32View v[Bufs];
    for (int i = 0; i < Bufs; i++) {
      v[i] = f32Arg(info, 2 + i, names[i]);
      requireLength(info, v[i].length, sz(N * V), names[i]);
    }
    guarded(info, "softmax", [&] { fn(N, V, v); });
  });
}

void logprobForwardJs(const Info& info) {
  const int64_t N = dimArg(info, 0, "N"), V = dimArg(info, 1, "V");
  F32View x = f32Arg(info, 2, "logits"), lp = f32Arg(info, 4, "logp"), lse = f32Arg(info, 5, "lse");
  I32View y = i32Arg(info, 3, "labels");
  requireLength(info, x.length, sz(N * V), "logits");
  requireLength(info, y.length, sz(N), "labels");
  requireLength(info, lp.length, sz(N), "logp");
  requireLength(info, lse.length, sz(N), "lse");
  checkLabels(info, y, N, V, "labels");
  logprobForward(N, V, x.data, y.data, lp.data, lse.data);
}

void logprobBackwardJs(const Info& info) {
  const int64_t N = dimArg(info, 0, "N"), V = dimArg(info, 1, "V");
  F32View x = f32Arg(info, 2, "logits"), lse = f32Arg(info, 4, "lse"), g = f32Arg(info, 5, "dlogp"),
          dx = f32Arg(info, 6, "dlogits");
  I32View y = i32Arg(info, 3, "labels");
  requireLength(info, x.length, sz(N * V), "logits");
  requireLength(info, y.length, sz(N), "labels");
  requireLength(info, lse.length, sz(N), "lse");
  requireLength(info, g.length, sz(N), "dlogp");
  requireLength(info, dx.length, sz(N * V), "dlogits");
  checkLabels(info, y, N, V, "labels");
  logprobBackward(N, V, x.data, y.data, lse.data, g.data, dx.data);
}

void linearLogprobForwardJs(const Info& info) {
  const int64_t N = dimArg(info, 0, "N"), Hd = dimArg(info, 1, "Hd"), V = dimArg(info, 2, "V");
  F32View h = f32Arg(info, 3, "h"), w = f32Arg(info, 4, "w"), lp = f32Arg(info, 6, "logp"), lse = f32Arg(info, 7, "lse");
  I32View y = i32Arg(info, 5, "labels");
  requireLength(info, h.length, sz(N * Hd), "h");
  requireLength(info, w.length, sz(V * Hd), "w");
  requireLength(info, y.length, sz(N), "labels");
  requireLength(info, lp.length, sz(N), "logp");
  requireLength(info, lse.length, sz(N), "lse");
  checkLabels(info, y, N, V, "labels");
  linearLogprobForward(N, Hd, V, h.data, w.data, y.data, lp.data, lse.data);
}

void linearLogprobBackwardJs(const Info& info) {
  const int64_t N = dimArg(info, 0, "N"), Hd = dimArg(info, 1, "Hd"), V = dimArg(info, 2, "V");
  F32View h = f32Arg(info, 3, "h"), w = f32Arg(info, 4, "w"), lse = f32Arg(info, 6, "lse"), g = f32Arg(info, 7, "dlogp"),
          dh = f32Arg(info, 8, "dh"), dw = f32Arg(info, 9, "dw");
  I32View y = i32Arg(info, 5, "labels");
  requireLength(info, h.length, sz(N * Hd), "h");
  requireLength(info, w.length, sz(V * Hd), "w");
  requireLength(info, y.length, sz(N), "labels");
  requireLength(info, lse.length, sz(N), "lse");
  requireLength(info, g.length, sz(N), "dlogp");
  requireLength(info, dh.length, sz(N * Hd), "dh");
  requireLength(info, dw.length, sz(V * Hd), "dw");
  checkLabels(info, y, N, V, "labels");
  linearLogprobBackward(N, Hd, V, h.data, w.data, y.data, lse.data, g.data, dh.data, dw.data);
}

void embeddingForwardJs(const Info& info) {
  const int64_t N = dimArg(info, 0, "N"), D = dimArg(info, 1, "D");
  I32View ids = i32Arg(info, 2, "ids");
  F32View table = f32Arg(info, 3, "table"), out = f32Arg(info, 4, "out");
  requireLength(info, ids.length, sz(N), "ids");
  requireLength(info, out.length, sz(N * D), "out");
  if (D > 0) checkIds(info, ids, N, static_cast<int64_t>(table.length) / D);
  embeddingForward(N, D, ids.data, table.data, out.data);
}

void embeddingBackwardJs(const Info& info) {
  const int64_t N = dimArg(info, 0, "N"), D = dimArg(info, 1, "D");
  I32View ids = i32Arg(info, 2, "ids");
  F32View dout = f32Arg(info, 3, "dout"), dtable = f32Arg(info, 4, "dtable");
  requireLength(info, ids.length, sz(N), "ids");
  requireLength(info, dout.length, sz(N * D), "dout");
  if (D > 0) checkIds(info, ids, N, static_cast<int64_t>(dtable.length) / D);
  embeddingBackward(N, D, ids.data, dout.data, dtable.data);
}

// adamwMany(params[], grads[], ms[], vs[], weightDecays: Float64Array, lr, beta1, beta2, eps, step).
void adamwManyJs(const Info& info) {
  const char* names[] = {"params", "grads", "ms", "vs"};
  Napi::Array lists[4];
  for (int j = 0; j < 4; j++) {
    if (!info[j].IsArray()) throw Napi::TypeError::New(info.Env(), std::string("argument '") + names[j] + "' must be an array");
    lists[j] = info[j].As<Napi::Array>();
  }
  if (!info[4].IsTypedArray() || info[4].As<Napi::TypedArray>().TypedArrayType() != napi_float64_array)
    throw Napi::TypeError::New(info.Env(), "argument 'weightDecays' must be a Float64Array");
  auto decays = info[4].As<Napi::Float64Array>();
  const uint32_t count = lists[0].Length();
  if (decays.ElementLength() != count)
    throw Napi::RangeError::New(info.Env(), "adamwMany: weightDecays must have one entry per parameter");
  std::vector<AdamWTensor> ts;
  ts.reserve(count);
  for (uint32_t i = 0; i < count; i++) {
    F32View b[4];
    for (int j = 0; j < 4; j++) {
      if (lists[j].Length() != count) throw Napi::RangeError::New(info.Env(), "adamwMany: the four lists differ in length");
      Napi::Value e = lists[j].Get(i);
      if (!e.IsTypedArray() || e.As<Napi::TypedArray>().TypedArrayType() != napi_float32_array)
        throw Napi::TypeError::New(info.Env(), std::string("adamwMany: ") + names[j] + "[" + std::to_string(i) + "] must be a Float32Array");
      auto a = e.As<Napi::Float32Array>();
      b[j] = {a.Data(), a.ElementLength()};
      if (b[j].length != b[0].length)
        throw Napi::RangeError::New(info.Env(), std::string("adamwMany: ") + names[j] + "[" + std::to_string(i) + "] has " +
                                                    std::to_string(b[j].length) + " elements, params[" + std::to_string(i) +
                                                    "] has " + std::to_string(b[0].length));
    }
    ts.push_back({b[0].data, b[1].data, b[2].data, b[3].data, static_cast<int64_t>(b[0].length), decays[i]});
  }
  AdamWParams o{numArg(info, 5, "lr"), numArg(info, 6, "beta1"), numArg(info, 7, "beta2"), numArg(info, 8, "eps"),
                intArg(info, 9, "step")};
  if (o.step < 1) throw Napi::RangeError::New(info.Env(), "adamwMany: step must be >= 1 (1-based, after this update)");
  adamwMany(ts, o);
}

}  // namespace

void registerKernels(Napi::Env env, Napi::Object exports) {
  auto fn = [&](const char* name, void (*f)(const Info&)) {
    exports.Set(name, Napi::Function::New(env, [name, f](const Info& info) { guarded(info, name, [&] { f(info); }); }));
  };
  fn("attentionForward", attentionForwardJs);
  fn("attentionBackward", attentionBackwardJs);
  fn("rmsNormForward", rmsNormForwardJs);
  fn("rmsNormBackward", rmsNormBackwardJs);
  fn("layerNormForward", layerNormForwardJs);
  fn("layerNormBackward", layerNormBackwardJs);
  fn("rope", ropeJs);
  fn("logprobForward", logprobForwardJs);
  fn("logprobBackward", logprobBackwardJs);
  fn("linearLogprobForward", linearLogprobForwardJs);
  fn("linearLogprobBackward", linearLogprobBackwardJs);
  fn("embeddingForward", embeddingForwardJs);
  fn("embeddingBackward", embeddingBackwardJs);
  fn("adamwMany", adamwManyJs);

  static const char* const xy[] = {"x", "y"};
  static const char* const xdydx[] = {"x", "dy", "dx"};
  static const char* const gy[] = {"gate", "up", "y"};
  static const char* const gdy[] = {"gate", "up", "dy", "dgate", "dup"};
  exports.Set("siluForward", elementwiseJs<1, 1>(env, xy, [](int64_t n, F32View* v) { siluForward(n, v[0].data, v[1].data); }));
  exports.Set("siluBackward", elementwiseJs<2, 1>(env, xdydx, [](int64_t n, F32View* v) {
    siluBackward(n, v[0].data, v[1].data, v[2].data);
  }));
  exports.Set("geluForward", elementwiseJs<1, 1>(env, xy, [](int64_t n, F32View* v) { geluForward(n, v[0].data, v[1].data); }));
  exports.Set("geluBackward", elementwiseJs<2, 1>(env, xdydx, [](int64_t n, F32View* v) {
    geluBackward(n, v[0].data, v[1].data, v[2].data);
  }));
  exports.Set("swigluForward", elementwiseJs<2, 1>(env, gy, [](int64_t n, F32View* v) {
    swigluForward(n, v[0].data, v[1].data, v[2].data);
  }));
  exports.Set("swigluBackward", elementwiseJs<3, 2>(env, gdy, [](int64_t n, F32View* v) {
    swigluBackward(n, v[0].data, v[1].data, v[2].data, v[3].data, v[4].data);
  }));

  static const char* const abo[] = {"a", "b", "out"};
  exports.Set("arith", Napi::Function::New(env, [](const Info& info) {
    const int64_t op = intArg(info, 0, "op");
    if (op < kArithAdd || op > kArithDiv) throw Napi::RangeError::New(info.Env(), "arith: op must be 0..3 (add, sub, mul, div)");
    const int64_t n = dimArg(info, 1, "n");
    F32View v[3];
    for (int i = 0; i < 3; i++) {
      v[i] = f32Arg(info, 2 + i, abo[i]);
      requireLength(info, v[i].length, sz(n), abo[i]);
    }
    guarded(info, "arith", [&] { arith(int(op), n, v[0].data, v[1].data, v[2].data); });
  }));

  static const char* const sxy[] = {"x", "y"};
  static const char* const sbw[] = {"y", "dy", "dx"};
  exports.Set("softmaxForward", rowsJs<2>(env, sxy, [](int64_t N, int64_t V, F32View* v) {
    softmaxForward(N, V, v[0].data, v[1].data);
  }));
  exports.Set("softmaxBackward", rowsJs<3>(env, sbw, [](int64_t N, int64_t V, F32View* v) {
    softmaxBackward(N, V, v[0].data, v[1].data, v[2].data);
  }));
  exports.Set("logSoftmaxForward", rowsJs<2>(env, sxy, [](int64_t N, int64_t V, F32View* v) {
    logSoftmaxForward(N, V, v[0].data, v[1].data);
  }));
  exports.Set("logSoftmaxBackward", rowsJs<3>(env, sbw, [](int64_t N, int64_t V, F32View* v) {
    logSoftmaxBackward(N, V, v[0].data, v[1].data, v[2].data);
  }));
}

}  // namespace prefkit
