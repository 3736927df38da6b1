// A sharded checkpoint behind the SafetensorsReader interface: `model.safetensors.index.json` holds
// {"metadata": {...}, "weight_map": {tensor name: shard file name}}, the shards sit next to it.
//
// Opening reads the index and every shard's header (not its data), and checks that the index and the
// shards agree: each shard exists inside the index's folder, each mapped tensor is in its shard, and
// every tensor of a shard is listed for that shard (nothing is silently ignored). `metadata.total_size`
// is kept as given in `indexMetadata` and not checked (writers disagree on what it counts).

import * as fs from 'node:fs';
import * as path from 'node:path';
import { compareCodePoints } from './code-point-order.js';
import { SafetensorsError, messageOf } from './errors.js';
import type { TensorInfo } from './header.js';
import { openSafetensorsFile, unknownTensor, type RawTensor, type SafetensorsReader } from './reader.js';

export interface ShardedSafetensorsReader extends SafetensorsReader {
  /** The "metadata" object of the index file, as written there. */
  readonly indexMetadata: Readonly<Record<string, unknown>>;
}

/** Opens a sharded checkpoint from its index file (e.g. model.safetensors.index.json). */
export function openShardedSafetensors(indexFile: string): ShardedSafetensorsReader {
  const { weightMap, metadata } = readIndex(indexFile);
  const dir = path.dirname(indexFile);
  const shardNames = [...new Set(Object.values(weightMap))].sort(compareCodePoints);
  const shards = new Map<string, SafetensorsReader>();
  try {
    for (const shard of shardNames) shards.set(shard, openShard(indexFile, dir, shard));
    checkAgreement(indexFile, weightMap, shards);
  } catch (err) {
    for (const reader of shards.values()) reader.close();
    throw err;
  }
  return new ShardedReader(indexFile, weightMap, shards, metadata);
}

function readIndex(indexFile: string): { weightMap: Record<string, string>; metadata: Record<string, unknown> } {
  let text: string;
  try {
    text = fs.readFileSync(indexFile, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new SafetensorsError(indexFile, code === 'ENOENT' ? 'cannot open: no such file' : `cannot read: ${messageOf(err)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new SafetensorsError(indexFile, `invalid sharded-checkpoint index: not valid JSON (${messageOf(err)})`);
  }
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
  if (!isObject(json) || !isObject(json['weight_map'])) {
    throw new SafetensorsError(indexFile, 'invalid sharded-checkpoint index: expected an object with a "weight_map" object');
  }
  const weightMap: Record<string, string> = {};
  for (const [name, shard] of Object.entries(json['weight_map'])) {
    if (typeof shard !== 'string' || shard === '') {
      throw new SafetensorsError(
        indexFile,
        `invalid sharded-checkpoint index: weight_map[${JSON.stringify(name)}] must be a shard file name, got ${JSON.stringify(shard)}`,
      );
    }
    weightMap[name] = shard;
  }
  if (Object.keys(weightMap).length === 0) {
    throw new SafetensorsError(indexFile, 'invalid sharded-checkpoint index: weight_map is empty');
  }
  const metadata = json['metadata'];
  return { weightMap, metadata: isObject(metadata) ? { ...metadata } : {} };
}

function openShard(indexFile: string, dir: string, shard: string): SafetensorsReader {
  const resolved = path.resolve(dir, shard);
  const rel = path.relative(path.resolve(dir), resolved);
  if (path.isAbsolute(shard) || rel.startsWith('..') || path.isAbsolute(rel)) {
    throw new SafetensorsError(
      indexFile,
      `weight_map names shard ${JSON.stringify(shard)} outside the index's folder; shards must sit next to the index`,
    );
  }
  if (!fs.existsSync(resolved)) {
    throw new SafetensorsError(indexFile, `shard ${JSON.stringify(shard)} listed in weight_map is missing (${resolved})`);
  }
  return openSafetensorsFile(resolved);
}

function checkAgreement(
  indexFile: string,
  weightMap: Record<string, string>,
  shards: Map<string, SafetensorsReader>,
): void {
  for (const [name, shard] of Object.entries(weightMap)) {
    if (!shards.get(shard)!.has(name)) {
      throw new SafetensorsError(
        indexFile,
        `weight_map puts tensor ${JSON.stringify(name)} in shard ${JSON.stringify(shard)}, which has no such tensor`,
      );
    }
  }
  for (const [shard, reader] of shards) {
    for (const name of reader.names) {
      if (weightMap[name] !== shard) {
        const listed = weightMap[name] === undefined ? 'is not in weight_map' : `is mapped to ${JSON.stringify(weightMap[name])}`;
        throw new SafetensorsError(
          indexFile,
          `shard ${JSON.stringify(shard)} holds tensor ${JSON.stringify(name)}, which ${listed}`,
        );
      }
    }
  }
}

class ShardedReader implements ShardedSafetensorsReader {
  readonly files: readonly string[];
  readonly metadata: Readonly<Record<string, string>>;
  readonly names: readonly string[];

  constructor(
    readonly path: string,
    private readonly weightMap: Record<string, string>,
    private readonly shards: Map<string, SafetensorsReader>,
    readonly indexMetadata: Readonly<Record<string, unknown>>,
  ) {
    const readers = [...shards.values()];
    this.files = readers.map((r) => r.path);
    this.metadata = readers[0]!.metadata;
    this.names = Object.keys(weightMap).sort(compareCodePoints);
  }

  has(name: string): boolean {
    return Object.prototype.hasOwnProperty.call(this.weightMap, name);
  }

  info(name: string): TensorInfo {
    return this.shardOf(name).info(name);
  }

  get(name: string): Float32Array {
    return this.shardOf(name).get(name);
  }

  getRaw(name: string): RawTensor {
    return this.shardOf(name).getRaw(name);
  }

  close(): void {
    for (const reader of this.shards.values()) reader.close();
  }

  private shardOf(name: string): SafetensorsReader {
    if (!this.has(name)) throw unknownTensor(this.path, name, this.names);
    return this.shards.get(this.weightMap[name]!)!;
  }
}
