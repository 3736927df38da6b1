// Reading a Hugging Face checkpoint folder: config.json (parsed), the weights (a lazy
// SafetensorsReader over model.safetensors, or over model.safetensors.index.json and its shards when
// there is no single file, the order transformers uses) and which tokenizer files are present.
//
// prefkit never downloads anything: a path that is not a local folder gets an error saying so.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { messageOf } from '../safetensors/errors.js';
import { openSafetensors } from '../safetensors/open.js';
import type { SafetensorsReader } from '../safetensors/reader.js';
import { CheckpointFolderError } from './errors.js';
import {
  CONFIG_FILE,
  TOKENIZER_FILE_NAMES,
  WEIGHTS_FILE,
  WEIGHTS_INDEX_FILE,
  type TokenizerFileName,
} from './file-names.js';

export interface CheckpointFolder {
  /** The folder, as an absolute path. */
  readonly dir: string;
  /** config.json, parsed. */
  readonly config: Record<string, unknown>;
  readonly configPath: string;
  /** Lazy reader of the weights; call `weights.close()` when done. */
  readonly weights: SafetensorsReader;
  /** model.safetensors or model.safetensors.index.json. */
  readonly weightsPath: string;
  /** Tokenizer files present in the folder: name -> absolute path. */
  readonly tokenizerFiles: Partial<Record<TokenizerFileName, string>>;
}

export const NOT_A_FOLDER_HINT =
  'not a local folder: prefkit never downloads models; pass a path to a folder with config.json and model.safetensors';

/** Opens a checkpoint folder: parses config.json, opens the weights lazily, lists tokenizer files. */
export function readCheckpointFolder(folder: string): CheckpointFolder {
  const dir = path.resolve(folder);
  checkFolder(folder, dir);
  const configPath = path.join(dir, CONFIG_FILE);
  const config = readConfig(configPath);
  const weightsPath = findWeights(dir);
  const weights = openSafetensors(weightsPath);
  const tokenizerFiles: Partial<Record<TokenizerFileName, string>> = {};
  for (const name of TOKENIZER_FILE_NAMES) {
    const file = path.join(dir, name);
    if (isFile(file)) tokenizerFiles[name] = file;
  }
  return { dir, config, configPath, weights, weightsPath, tokenizerFiles };
}

function checkFolder(given: string, dir: string): void {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dir);
  } catch {
    throw new CheckpointFolderError(given, NOT_A_FOLDER_HINT);
  }
  if (!stat.isDirectory()) {
    throw new CheckpointFolderError(
      given,
      'is a file, not a folder: pass the folder that holds config.json and model.safetensors',
    );
  }
}

/** Reads and parses a config.json; it must hold a JSON object. */
export function readConfig(configPath: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(configPath, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new CheckpointFolderError(configPath, 'missing: a checkpoint folder needs config.json (the model\'s Hugging Face config)');
    }
    throw new CheckpointFolderError(configPath, `cannot read: ${messageOf(err)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new CheckpointFolderError(configPath, `invalid JSON (${messageOf(err)})`);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new CheckpointFolderError(configPath, 'expected a JSON object of model settings');
  }
  return json as Record<string, unknown>;
}

function findWeights(dir: string): string {
  const single = path.join(dir, WEIGHTS_FILE);
  if (isFile(single)) return single;
  const index = path.join(dir, WEIGHTS_INDEX_FILE);
  if (isFile(index)) return index;
  throw new CheckpointFolderError(
    dir,
    `no weights: expected ${WEIGHTS_FILE} or ${WEIGHTS_INDEX_FILE}${weightsHint(dir)}`,
  );
}

function weightsHint(dir: string): string {
  let entries: string[];
  try {
    entries = fs.readdirSync(dir);
  } catch {
    return '';
  }
  const has = (name: string) => entries.includes(name);
  if (has('adapter_model.safetensors')) {
    return '; found adapter_model.safetensors: this is a PEFT adapter folder, load its base model and then the adapter';
  }
  const pickle = entries.find((e) => e === 'pytorch_model.bin' || e === 'pytorch_model.bin.index.json');
  if (pickle) {
    return `; found ${pickle}, which prefkit does not read (PyTorch pickle): convert it first, e.g. in Python model.save_pretrained(dir, safe_serialization=True)`;
  }
  const other = entries.find((e) => e.endsWith('.safetensors'));
  if (other) return `; found ${other}: rename it to ${WEIGHTS_FILE} if it holds the model weights`;
  return '';
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}
