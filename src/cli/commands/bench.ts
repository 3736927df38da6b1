// `prefkit bench ...`: performance measurements printed as JSON lines (or a table).
import { cpus } from 'node:os';
import { UsageError, type Command } from '../command.js';
import { parseIntList, parseOptions } from '../args.js';


const gemmUsage = `usage: prefkit bench gemm [--json] [--sizes 256,512,1024,2048] [--threads 1,N]

Measures single-precision GEMM throughput of the native backend for square n x n products,
plain ('nn') and with a transposed operand ('nt', 'tn'), on 1 thread and on all cores.
GFLOP/s = 2 n^3 / seconds / 1e9. With --json, one JSON object per line:
  {"n": 1024, "transpose": "nn", "threads": 2, "gflops": 181.2}`;

const gemmCommand: Command = {
  name: 'bench gemm',
  summary: 'GEMM GFLOP/s of the native backend (JSON lines with --json)',
  usage: gemmUsage,
  async run(argv) {
    const { values } = parseOptions('bench gemm', argv, {
      json: { type: 'boolean' },
      sizes: { type: 'string' },
      threads: { type: 'string' },
    });
    const { runGemmBench } = await import('../../bench/gemm.js');
    const sizes = parseIntList('sizes', values.sizes as string | undefined, [256, 512, 1024, 2048]);
    const all = cpus().length;
    const threads = parseIntList('threads', values.threads as string | undefined, all > 1 ? [1, all] : [1]);
    const rows = runGemmBench({ sizes, threads });
    for (const row of rows) {
      if (values.json) console.log(JSON.stringify(row));
      else console.log(`n=${String(row.n).padStart(5)}  ${row.transpose}  threads=${row.threads}  ${row.gflops.toFixed(1)} GFLOP/s`);
    }
    return 0;
  },
};

const dpoUsage = `usage: prefkit bench dpo --preset tiny|small [--steps N] [--warmup N] [--threads T] [--seq-len T] [--vocab V] [--json]

One DPO training step of a Llama-style decoder, the same step as the PyTorch peer script
(policy forward on 2 x pairs sequences, summed completion log-probs, sigmoid DPO loss with beta 0.1
against precomputed reference log-probs, backward, AdamW lr 1e-4). Prints one JSON line: preset,
params, ms_per_step (median after warm-up), tokens_per_s, peak_rss_mb, gflops (formula in
src/bench/dpo.ts), loss. --seq-len and --vocab override the preset (for scaling tables).`;

const dpoCommand: Command = {
  name: 'bench dpo',
  summary: 'time one DPO training step (tokens/s, peak RSS) against the PyTorch peer presets',
  usage: dpoUsage,
  async run(argv) {
    const { values } = parseOptions('bench dpo', argv, {
      preset: { type: 'string' }, steps: { type: 'string' }, warmup: { type: 'string' }, threads: { type: 'string' },
      'seq-len': { type: 'string' }, vocab: { type: 'string' }, json: { type: 'boolean' },
    });
    const { DPO_PRESETS, runDpoBench } = await import('../../bench/dpo.js');
    const preset = (values.preset as string | undefined) ?? 'tiny';
    if (!(preset in DPO_PRESETS)) throw new UsageError(`--preset must be one of: ${Object.keys(DPO_PRESETS).join(', ')}; got '${preset}'`);
    const one = (name: string): number | undefined => {
      const v = values[name] as string | undefined;
      return v === undefined ? undefined : parseIntList(name, v, [])[0];
    };
    const result = runDpoBench({
      preset, steps: one('steps'), warmup: one('warmup'), threads: one('threads'), seqLen: one('seq-len'), vocab: one('vocab'),
    });
    console.log(values.json ? JSON.stringify(result) : Object.entries(result).map(([k, v]) => `${k}: ${v}`).join('\n'));
    return 0;
  },
};

export const benchCommands: Command[] = [gemmCommand, dpoCommand];
