// Writing a file atomically: the content goes to a temporary file in the same folder, which is
// flushed to disk (fsync) and then renamed over the target, and the folder entry is flushed too. A
// reader sees the old file or the complete new one, never a partial file; on failure the temporary
// file is removed and the target is untouched.

import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

const CHUNK_BYTES = 1 << 30;

/** Writes through `fill(write)` into `target` atomically. `write` appends bytes. */
export function writeFileAtomic(target: string, fill: (write: (bytes: Uint8Array) => void) => void): void {
  const temp = tempPathFor(target);
  const fd = fs.openSync(temp, 'wx', 0o644);
  let open = true;
  let ok = false;
  try {
    fill((bytes) => writeAll(fd, bytes));
    fs.fsyncSync(fd);
    open = false;
    fs.closeSync(fd);
    fs.renameSync(temp, target);
    ok = true;
  } finally {
    if (open) fs.closeSync(fd);
    if (!ok) fs.rmSync(temp, { force: true });
  }
  syncFolder(path.dirname(target));
}

/** Copies `source` to `target` atomically (temp copy, fsync, rename). */
export function copyFileAtomic(source: string, target: string): void {
  const temp = tempPathFor(target);
  let ok = false;
  try {
    fs.copyFileSync(source, temp, fs.constants.COPYFILE_EXCL);
    const fd = fs.openSync(temp, 'r+');
    try {
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(temp, target);
    ok = true;
  } finally {
    if (!ok) fs.rmSync(temp, { force: true });
  }
  syncFolder(path.dirname(target));
}

/** A fresh hidden name next to `target`: ".<name>.<pid>.<random>.tmp". */
export function tempPathFor(target: string): string {
  const suffix = `${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  return path.join(path.dirname(target), `.${path.basename(target)}.${suffix}`);
}

/** Flushes a folder's entries (the rename) to disk; a no-op where the platform does not allow it. */
export function syncFolder(folder: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(folder, 'r');
    fs.fsyncSync(fd);
  } catch {
    // e.g. Windows cannot open or fsync a directory; the rename itself is still atomic
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.length) {
    done += fs.writeSync(fd, bytes, done, Math.min(CHUNK_BYTES, bytes.length - done));
  }
}
