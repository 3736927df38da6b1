// The reference for a run, by mode: none; precomputed (scored once with the starting model — adapters
// off — or ref_model, cached on disk, then dropped); frozen (a copy in memory, needed for TR-DPO sync);
// lora_base (the policy with adapters off).
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { DecoderModel } from '../../models/decoder-params.js';
import { loadModel } from '../../models/load-save.js';
import { setLoraEnabled } from '../../models/lora-peft.js';
import type { ReferenceProvider } from '../types.js';
import { modelFingerprint } from '../reference/fingerprint.js';
import { cloneFrozen, frozenReference, loraBaseReference, scoreRows } from '../reference/live-reference.js';
import { precomputeReference, type RefCacheReport } from '../reference/ref-cache.js';
import type { RowSource } from '../reference/row-source.js';

export type ReferenceMode = 'none' | 'precomputed' | 'frozen' | 'lora_base';

export interface ReferenceSetup {
  provider: ReferenceProvider | null;
  /** The frozen reference model (frozen mode only; TR-DPO mixes into it). */
  frozenModel: DecoderModel | null;
  cache: RefCacheReport[];
}

export function defaultCacheDir(): string {
  return process.env.PREFKIT_CACHE ? join(process.env.PREFKIT_CACHE, 'ref-logps') : join(homedir(), '.cache', 'prefkit', 'ref-logps');
}

export function setupReference(o: {
  mode: ReferenceMode; policy: DecoderModel; refModelDir: string | null; sources: RowSource[]; cacheDir: string | null;
  settings: Record<string, unknown>; batchSize: number; log(line: string): void;
}): ReferenceSetup {
  if (o.mode === 'none') return { provider: null, frozenModel: null, cache: [] };
  if (o.mode === 'lora_base') return { provider: loraBaseReference(o.policy), frozenModel: null, cache: [] };
  const external = o.refModelDir ? loadModel(o.refModelDir) : null;
  if (o.mode === 'frozen') {
    const model = external ?? cloneFrozen(o.policy);
    return { provider: frozenReference(model), frozenModel: model, cache: [] };
  }
  const scorer = external ?? o.policy;
  // The policy's adapters are new (B = 0) at this point, but switch them off anyway: the reference is the base.
  const compute = (seq: Parameters<typeof scoreRows>[1]) => {
    if (!external) setLoraEnabled(o.policy, false);
    try {
      return scoreRows(scorer, seq);
    } finally {
      if (!external) setLoraEnabled(o.policy, true);
    }
  };
  const { provider, reports } = precomputeReference(o.sources, {
    cacheDir: o.cacheDir ?? defaultCacheDir(), compute, modelFingerprint: modelFingerprint(scorer), settings: o.settings,
    batchSize: o.batchSize, log: o.log,
  });
  return { provider, frozenModel: null, cache: reports };
}
