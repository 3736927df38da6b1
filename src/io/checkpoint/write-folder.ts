// Writing a Hugging Face checkpoint folder: config.json (as save_pretrained writes it, see
// python-json.ts), model.safetensors (see safetensors/writer.ts) and copies of the tokenizer files of a
// source folder.
//
// Atomicity:
// - a folder that does not exist yet is built in a hidden temporary folder next to it and renamed into
//   place when complete, so it appears whole or not at all;
// - into an existing folder, each file is replaced atomically (temp file, fsync, rename), config.json
//   last, so an interrupted save never leaves a partial file. Other files in the folder are kept as they
//   are; a model.safetensors.index.json left from an older sharded save is not removed (readers, ours
//   and transformers', take model.safetensors first).

import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { copyFileAtomic, syncFolder, writeFileAtomic } from '../safetensors/atomic-write.js';
import { messageOf } from '../safetensors/errors.js';
import { writeSafetensors, type TensorToWrite } from '../safetensors/writer.js';
import { CheckpointFolderError } from './errors.js';
import { CONFIG_FILE, DEFAULT_COPIED_FILES, WEIGHTS_FILE } from './file-names.js';
import { toPythonJson } from './python-json.js';

export interface CopyFiles {
  /** The folder to copy from (usually the folder the model was loaded from). */
  readonly from: string;
  /** File names to copy; each must exist. Default: the tokenizer files and generation_config.json, each if present. */
  readonly names?: readonly string[];
}

export interface CheckpointToWrite {
  /** The model's config.json content. */
  readonly config: Readonly<Record<string, unknown>>;
  /** The weights, by Hugging Face parameter name. */
  readonly tensors: Readonly<Record<string, TensorToWrite>>;
  /** Files to copy from a source folder: its path (default file list) or {from, names}. */
  readonly copyFiles?: string | CopyFiles;
  /** The safetensors "__metadata__" (default {"format": "pt"}). */
  readonly metadata?: Readonly<Record<string, string>>;
}

/** Writes a checkpoint folder; returns the absolute paths of the files written. */
export function writeCheckpointFolder(folder: string, checkpoint: CheckpointToWrite): string[] {
  const dir = path.resolve(folder);
  const { config } = checkpoint;
  if (typeof config !== 'object' || config === null || Array.isArray(config)) {
    throw new CheckpointFolderError(path.join(dir, CONFIG_FILE), 'cannot write: config must be a plain object');
  }
  let configText: string;
  try {
    configText = toPythonJson(config, 'config');
  } catch (err) {
    throw new CheckpointFolderError(path.join(dir, CONFIG_FILE), `cannot write: ${messageOf(err)}`);
  }
  const copies = resolveCopies(checkpoint.copyFiles);
  const exists = fs.existsSync(dir);
  if (exists && !fs.statSync(dir).isDirectory()) {
    throw new CheckpointFolderError(folder, 'cannot write a checkpoint here: the path is a file, not a folder');
  }
  const target = exists ? dir : makeTempFolder(folder, dir);
  try {
    writeInto(target, configText, checkpoint, copies);
    if (!exists) publish(folder, target, dir);
  } catch (err) {
    if (!exists) fs.rmSync(target, { recursive: true, force: true });
    throw err;
  }
  return [...copies.map(([name]) => name), WEIGHTS_FILE, CONFIG_FILE].map((name) => path.join(dir, name));
}

/** Copied files first, then the weights, config.json last. */
function writeInto(
  target: string,
  configText: string,
  checkpoint: CheckpointToWrite,
  copies: readonly [name: string, source: string][],
): void {
  for (const [name, source] of copies) {
    const dest = path.join(target, name);
    if (path.resolve(source) === path.resolve(dest)) continue; // saving into the folder it came from
    try {
      copyFileAtomic(source, dest);
    } catch (err) {
      throw new CheckpointFolderError(source, `cannot copy to ${dest}: ${messageOf(err)}`);
    }
  }
  writeSafetensors(path.join(target, WEIGHTS_FILE), checkpoint.tensors, checkpoint.metadata);
  const configPath = path.join(target, CONFIG_FILE);
  try {
    writeFileAtomic(configPath, (write) => write(Buffer.from(configText, 'utf8')));
  } catch (err) {
    throw new CheckpointFolderError(configPath, `cannot write: ${messageOf(err)}`);
  }
}

/** [name, source path] for each file to copy; checks the source folder and explicitly named files. */
function resolveCopies(spec: string | CopyFiles | undefined): [string, string][] {
  if (spec === undefined) return [];
  const from = typeof spec === 'string' ? spec : spec.from;
  const explicit = typeof spec === 'string' ? undefined : spec.names;
  if (!fs.existsSync(from) || !fs.statSync(from).isDirectory()) {
    throw new CheckpointFolderError(from, 'cannot copy tokenizer files: not a folder');
  }
  const out: [string, string][] = [];
  for (const name of explicit ?? DEFAULT_COPIED_FILES) {
    if (name === CONFIG_FILE || name === WEIGHTS_FILE || path.basename(name) !== name) {
      throw new CheckpointFolderError(
        path.join(from, name),
        `cannot copy: ${JSON.stringify(name)} is written by the checkpoint itself or is not a plain file name`,
      );
    }
    const source = path.join(from, name);
    const present = fs.existsSync(source) && fs.statSync(source).isFile();
    if (!present && explicit) throw new CheckpointFolderError(source, 'cannot copy: no such file');
    if (present) out.push([name, source]);
  }
  return out;
}

function makeTempFolder(folder: string, dir: string): string {
  const parent = path.dirname(dir);
  try {
    fs.mkdirSync(parent, { recursive: true });
    const temp = path.join(parent, `.${path.basename(dir)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    fs.mkdirSync(temp);
    return temp;
  } catch (err) {
    throw new CheckpointFolderError(folder, `cannot create the checkpoint folder: ${messageOf(err)}`);
  }
}

function publish(folder: string, temp: string, dir: string): void {
  try {
    fs.renameSync(temp, dir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOTEMPTY' || code === 'EEXIST' ? 'the folder was created by someone else meanwhile' : messageOf(err);
    throw new CheckpointFolderError(folder, `cannot move the finished checkpoint into place: ${why}`);
  }
  syncFolder(path.dirname(dir));
}
