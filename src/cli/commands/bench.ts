// `prefkit bench ...`: performance measurements printed as JSON lines (or a table).
import { cpus } from 'node:os';
import type { Command } from '../command.js';
import { parseIntList, parseOptions } from '../args.js';
import { runGemmBench } from '../../bench/gemm.js';

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

export const benchCommands: Command[] = [gemmCommand];
