// Module entry: each binding file registers its functions on `exports`.
#include <napi.h>

namespace prefkit {
void registerGemm(Napi::Env env, Napi::Object exports);
void registerKernels(Napi::Env env, Napi::Object exports);
void registerParallel(Napi::Env env, Napi::Object exports);
void tuneMalloc();
}  // namespace prefkit

static Napi::Object init(Napi::Env env, Napi::Object exports) {
  prefkit::tuneMalloc();
  prefkit::registerParallel(env, exports);
  prefkit::registerGemm(env, exports);
  prefkit::registerKernels(env, exports);
  return exports;
}

NODE_API_MODULE(prefkit_native, init)
