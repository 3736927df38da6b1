// Checkpoints written atomically: everything goes into a hidden temporary folder next to the final one
// (each file fsynced), trainer_state.json last, then the folder is renamed to step-<n> and the parent
// folder fsynced. A checkpoint folder therefore exists complete or not at all; a kill -9 during a save
// leaves only a hidden .step-<n>.tmp-* folder, removed at the next start. The last K are kept.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeSafetensors, type TensorToWrite } from '../../io/safetensors/index.js';
import { syncFolder, writeFileAtomic } from '../../io/safetensors/atomic-write.js';
import { faultDelay } from './fault-injection.js';
import { listCheckpoints } from './read-checkpoint.js';

export const TRAINER_STATE_FILE = 'trainer_state.json';
export const OPTIMIZER_FILE = 'optimizer.safetensors';
export const TRAINING_CONFIG_FILE = 'training_config.json';

export interface CheckpointFiles {
  /** Writes the model (HF layout) or the adapter (PEFT layout) into the folder. */
  writeModel(dir: string): void;
  /** Extra safetensors files: file name -> tensors (optimizer state, a TR-DPO reference, ...). */
  tensors: Record<string, { tensors: Record<string, TensorToWrite>; metadata?: Record<string, string> }>;
  /** JSON files: name -> value (trainer_state.json is always written last). */
  json: Record<string, unknown>;
}

export function writeJsonAtomic(file: string, value: unknown): void {
  const bytes = new TextEncoder().encode(JSON.stringify(value, null, 2) + '\n');
  writeFileAtomic(file, (write) => write(bytes));
}

/** Writes `dir` (a folder that must not be half-written) from scratch, atomically; replaces an old one. */
export function writeFolderAtomic(dir: string, fill: (tmp: string) => void): void {
  const parent = join(dir, '..');
  mkdirSync(parent, { recursive: true });
  const name = dir.split(/[\\/]/).pop()!;
  const tmp = join(parent, `.${name}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`);
  mkdirSync(tmp);
  try {
    fill(tmp);
    syncFolder(tmp);
    if (existsSync(dir)) {
      // Replace: move the old folder aside first (a rename cannot overwrite a non-empty folder).
      const old = join(parent, `.${name}.old-${process.pid}-${randomBytes(4).toString('hex')}`);
      renameSync(dir, old);
      renameSync(tmp, dir);
      rmSync(old, { recursive: true, force: true });
    } else {
      renameSync(tmp, dir);
    }
    syncFolder(parent);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

/** Writes checkpoints/step-<step>/ and prunes to the last `keep` (null = keep all). Returns its path. */
export function writeCheckpoint(root: string, step: number, files: CheckpointFiles, keep: number | null): string {
  const dir = join(root, `step-${step}`);
  writeFolderAtomic(dir, (tmp) => {
    files.writeModel(tmp);
    faultDelay();
    for (const [name, f] of Object.entries(files.tensors)) {
      writeSafetensors(join(tmp, name), f.tensors, f.metadata);
      faultDelay();
    }
    for (const [name, value] of Object.entries(files.json)) {
      if (name !== TRAINER_STATE_FILE) writeJsonAtomic(join(tmp, name), value);
    }
    faultDelay();
    writeJsonAtomic(join(tmp, TRAINER_STATE_FILE), files.json[TRAINER_STATE_FILE] ?? {});
  });
  if (keep !== null) {
    const all = listCheckpoints(root);
    for (const c of all.slice(0, Math.max(0, all.length - keep))) rmSync(c.dir, { recursive: true, force: true });
  }
  return dir;
}
