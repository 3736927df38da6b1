// Loads the C++ addon built by node-gyp on `npm install`. A missing build is an error that says how to
// rebuild and how to choose the reference backend explicitly; there is no silent fallback.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Raw addon exports; each binding file documents its functions. */
export type NativeAddon = Record<string, (...args: never[]) => unknown>;

let cached: NativeAddon | undefined;

function packageRoot(): string {
  // This file lives at <root>/dist/src/tensor/native/load.js (or <root>/src/... under a TS runner).
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'binding.gyp'))) return dir;
    dir = dirname(dir);
  }
  throw new Error('prefkit: cannot find the package root (binding.gyp) above ' + fileURLToPath(import.meta.url));
}

export function loadNativeAddon(): NativeAddon {
  if (cached) return cached;
  cached = loadNativeAddonFrom(join(packageRoot(), 'build', 'Release', 'prefkit_native.node'));
  return cached;
}

/** Loads the addon at `path`, or throws the how-to-fix error. */
export function loadNativeAddonFrom(path: string): NativeAddon {
  if (!existsSync(path)) {
    throw new Error(
      `prefkit: the native backend is not built (missing ${path}).\n` +
        `  Rebuild it with:  npm rebuild prefkit   (or, in the repository: npm run build:native)\n` +
        `  Or choose the pure-TypeScript backend explicitly: PREFKIT_BACKEND=reference (much slower).`,
    );
  }
  const require = createRequire(import.meta.url);
  try {
    return require(path) as NativeAddon;
  } catch (e) {
    throw new Error(
      `prefkit: the native backend at ${path} failed to load: ${(e as Error).message}\n` +
        `  Rebuild it with:  npm run build:native   or set PREFKIT_BACKEND=reference.`,
    );
  }
}
