// TR-DPO (Gorbatovski et al., "Learn Your Reference Model for Real Good Alignment", arXiv 2404.09656),
// soft update as TRL's SyncRefModelCallback: every ref_model_sync_steps optimizer steps,
//   theta_ref <- alpha * theta_policy + (1 - alpha) * theta_ref.
import type { DecoderModel } from '../../models/decoder-params.js';
import { namedParams } from '../../nn/params.js';

export function mixIntoReference(policy: DecoderModel, ref: DecoderModel, alpha: number): void {
  const pol = new Map(namedParams(policy.params));
  for (const [name, r] of namedParams(ref.params)) {
    const p = pol.get(name);
    if (!p) throw new Error(`reference sync: the policy has no parameter '${name}'`);
    const a = p.data;
    const b = r.data;
    for (let i = 0; i < b.length; i++) b[i] = alpha * a[i] + (1 - alpha) * b[i];
  }
}
