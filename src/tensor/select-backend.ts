// Which kernel backend runs the ops: `native` (default, C++ addon) or `reference` (pure TypeScript),
// chosen by PREFKIT_BACKEND or setBackend(). A missing native build is an error, never a silent fallback.
import type { Backend } from './backend.js';
import { nativeBackend } from './native/index.js';
import { referenceBackend } from './reference/index.js';

export type BackendName = 'native' | 'reference';
export const BACKEND_NAMES: readonly BackendName[] = ['native', 'reference'];

let current: Backend | undefined;

function byName(name: string): Backend {
  if (name === 'native') return nativeBackend();
  if (name === 'reference') return referenceBackend;
  throw new Error(`PREFKIT_BACKEND='${name}' is not a backend; expected one of: ${BACKEND_NAMES.join(', ')}`);
}

export function backend(): Backend {
  if (!current) current = byName(process.env.PREFKIT_BACKEND || 'native');
  return current;
}

export function setBackend(name: BackendName): void {
  current = byName(name);
}

/** Runs fn with the given backend, restoring the previous one afterwards. */
export function withBackend<T>(name: BackendName, fn: () => T): T {
  const prev = current;
  current = byName(name);
  try {
    return fn();
  } finally {
    current = prev;
  }
}
