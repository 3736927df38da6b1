// Argument helpers shared by every N-API binding: typed-array views and integer/float scalars.
// Memory policy: every buffer is a JS-owned typed array; kernels borrow its memory for the duration
// of one call and never keep a pointer after returning.
#pragma once
#include <napi.h>
#include <cstdint>
#include <string>

namespace prefkit {

struct F32View { float* data; size_t length; };
struct I32View { int32_t* data; size_t length; };

inline F32View f32Arg(const Napi::CallbackInfo& info, size_t i, const char* name) {
  if (i >= info.Length() || !info[i].IsTypedArray() ||
      info[i].As<Napi::TypedArray>().TypedArrayType() != napi_float32_array) {
    throw Napi::TypeError::New(info.Env(), std::string("argument '") + name + "' must be a Float32Array");
  }
  auto a = info[i].As<Napi::Float32Array>();
  return {a.Data(), a.ElementLength()};
}

// Optional Float32Array: null/undefined gives {nullptr, 0}.
inline F32View f32OptArg(const Napi::CallbackInfo& info, size_t i, const char* name) {
  if (i >= info.Length() || info[i].IsNull() || info[i].IsUndefined()) return {nullptr, 0};
  return f32Arg(info, i, name);
}

inline I32View i32Arg(const Napi::CallbackInfo& info, size_t i, const char* name) {
  if (i >= info.Length() || !info[i].IsTypedArray() ||
      info[i].As<Napi::TypedArray>().TypedArrayType() != napi_int32_array) {
    throw Napi::TypeError::New(info.Env(), std::string("argument '") + name + "' must be an Int32Array");
  }
  auto a = info[i].As<Napi::Int32Array>();
  return {a.Data(), a.ElementLength()};
}

inline I32View i32OptArg(const Napi::CallbackInfo& info, size_t i, const char* name) {
  if (i >= info.Length() || info[i].IsNull() || info[i].IsUndefined()) return {nullptr, 0};
  return i32Arg(info, i, name);
}

inline int64_t intArg(const Napi::CallbackInfo& info, size_t i, const char* name) {
  if (i >= info.Length() || !info[i].IsNumber()) {
    throw Napi::TypeError::New(info.Env(), std::string("argument '") + name + "' must be a number");
  }
  return info[i].As<Napi::Number>().Int64Value();
}

inline double numArg(const Napi::CallbackInfo& info, size_t i, const char* name) {
  if (i >= info.Length() || !info[i].IsNumber()) {
    throw Napi::TypeError::New(info.Env(), std::string("argument '") + name + "' must be a number");
  }
  return info[i].As<Napi::Number>().DoubleValue();
}

inline bool boolArg(const Napi::CallbackInfo& info, size_t i, const char* name) {
  if (i >= info.Length() || !info[i].IsBoolean()) {
    throw Napi::TypeError::New(info.Env(), std::string("argument '") + name + "' must be a boolean");
  }
  return info[i].As<Napi::Boolean>().Value();
}

// Throws a RangeError when a buffer is shorter than the kernel needs.
inline void requireLength(const Napi::CallbackInfo& info, size_t have, size_t need, const char* name) {
  if (have < need) {
    throw Napi::RangeError::New(info.Env(), std::string("buffer '") + name + "' has " + std::to_string(have) +
                                                " elements, kernel needs " + std::to_string(need));
  }
}

}  // namespace prefkit
