// One entry point for reading weights lazily: a .safetensors file or the .index.json of a sharded
// checkpoint, both behind the SafetensorsReader interface.

import { openSafetensorsFile, type SafetensorsReader } from './reader.js';
import { openShardedSafetensors } from './sharded.js';

/**
 * Opens `file` lazily: reads and validates the header(s) now, each tensor's bytes on `get(name)`.
 * A path ending in ".index.json" (e.g. model.safetensors.index.json) opens a sharded checkpoint.
 */
export function openSafetensors(file: string): SafetensorsReader {
  return file.endsWith('.index.json') ? openShardedSafetensors(file) : openSafetensorsFile(file);
}
