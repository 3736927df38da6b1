// Shared by the scripts that run prefkit next to the PyTorch peer: the repository root, argv with the
// peer script's path first, and running one benchmark process that prints a JSON line last.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The peer path and an option reader over the rest of argv; exits with the usage line when no peer is given. */
export function peerArgs(usage) {
  const [peer, ...rest] = process.argv.slice(2);
  if (!peer) {
    console.error(usage);
    process.exit(2);
  }
  const opt = (name, fallback) => {
    const i = rest.indexOf(name);
    return i >= 0 ? rest[i + 1] : fallback;
  };
  return { peer, opt };
}

/** Runs one benchmark process and parses the JSON object on its last output line. */
export function runJson(cmd, args, env = {}) {
  const out = execFileSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 24 });
  return JSON.parse(out.trim().split('\n').pop());
}
