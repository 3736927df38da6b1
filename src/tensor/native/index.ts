// The native backend: C++ kernels from the addon (GEMM and the fused kernels).
import type { Backend } from '../backend.js';
import { gemm } from './gemm.js';
import { nativeKernels } from './kernels.js';
import { loadNativeAddon } from './load.js';

let instance: Backend | undefined;

/** Loads the addon (throwing a how-to-fix error when it is not built) and returns the backend. */
export function nativeBackend(): Backend {
  if (!instance) {
    loadNativeAddon();
    instance = { name: 'native', gemm, ...nativeKernels };
  }
  return instance;
}
