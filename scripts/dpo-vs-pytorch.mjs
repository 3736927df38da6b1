#!/usr/bin/env node
// Side-by-side DPO step benchmark: prefkit against the PyTorch peer script on the same machine, in
// alternating rounds (prefkit, PyTorch --threads 1, PyTorch --threads 2, repeated) so that a slow
// phase of a shared machine hits both. Each run is a separate process with the peer's protocol
// (2 warm-up steps, median of 8). Prints one line per run, then one JSON summary: the median over
// rounds of each side's ms/step, PyTorch's best thread count, the speed-up in tokens/s (and per round)
// and the peak RSS ratio.
//
// usage: node scripts/dpo-vs-pytorch.mjs PATH/TO/pytorch_dpo_step.py [--preset tiny|small] [--rounds N]
import { join } from 'node:path';
import { peerArgs, root, runJson as run } from './peer-common.mjs';

const { peer, opt } = peerArgs('usage: node scripts/dpo-vs-pytorch.mjs PATH/TO/pytorch_dpo_step.py [--preset tiny|small] [--rounds N]');
const preset = opt('--preset', 'tiny');
const rounds = Number(opt('--rounds', '3'));

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const runs = { prefkit: [], torch1: [], torch2: [] };
for (let r = 0; r < rounds; r++) {
  runs.prefkit.push(run('node', [join(root, 'bin', 'prefkit.js'), 'bench', 'dpo', '--preset', preset, '--json']));
  for (const t of [1, 2]) {
    runs[`torch${t}`].push(run('/usr/bin/python3', [peer, preset, '--threads', String(t)], { OMP_WAIT_POLICY: 'PASSIVE' }));
  }
  const [p, t1, t2] = [runs.prefkit, runs.torch1, runs.torch2].map((xs) => xs[r]);
  console.log(`round ${r + 1}: prefkit ${p.ms_per_step} ms, PyTorch 1 thread ${t1.ms_per_step} ms, ` +
    `2 threads ${t2.ms_per_step} ms -> ${(Math.min(t1.ms_per_step, t2.ms_per_step) / p.ms_per_step).toFixed(2)}x`);
}

const ms = (xs) => Math.round(median(xs.map((x) => x.ms_per_step)) * 10) / 10;
const rss = (xs) => Math.max(...xs.map((x) => x.peak_rss_mb));
const torchBest = ms(runs.torch1) <= ms(runs.torch2) ? 'torch1' : 'torch2';
console.log(JSON.stringify({
  preset,
  rounds,
  prefkit_ms_per_step: ms(runs.prefkit),
  pytorch_ms_per_step: { threads1: ms(runs.torch1), threads2: ms(runs.torch2) },
  pytorch_best_threads: torchBest === 'torch1' ? 1 : 2,
  speedup: Number((ms(runs[torchBest]) / ms(runs.prefkit)).toFixed(3)),
  speedup_per_round: runs.prefkit.map((p, i) =>
    Number((Math.min(runs.torch1[i].ms_per_step, runs.torch2[i].ms_per_step) / p.ms_per_step).toFixed(3))),
  prefkit_peak_rss_mb: rss(runs.prefkit),
  pytorch_peak_rss_mb: Math.max(rss(runs.torch1), rss(runs.torch2)),
  rss_ratio: Number((rss(runs.prefkit) / Math.min(rss(runs.torch1), rss(runs.torch2))).toFixed(3)),
}));
