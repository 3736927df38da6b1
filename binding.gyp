{
  "targets": [
    {
      "target_name": "prefkit_native",
      "sources": [
        "native/addon.cc",
        "native/parallel.cc",
        "native/malloc-tuning.cc",
        "native/gemm.cc",
        "native/gemm-scalar.cc",
        "native/gemm-avx512.cc",
        "native/gemm-avx2.cc",
        "native/gemm-binding.cc",
        "native/kernels-binding.cc",
        "native/attention.cc",
        "native/attention-backward.cc",
        "native/norms.cc",
        "native/rope.cc",
        "native/activations.cc",
        "native/arith.cc",
        "native/softmax.cc",
        "native/logprob.cc",
        "native/linear-logprob.cc",
        "native/embedding.cc",
        "native/adamw.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-O2", "-O1", "-O0"],
      "cflags_cc": ["-std=c++17", "-O3", "-fexceptions", "-pthread", "-fno-math-errno"],
      "ldflags": ["-pthread"]
    }
  ]
}
