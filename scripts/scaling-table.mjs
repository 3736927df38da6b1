#!/usr/bin/env node
// Scaling tables for docs/performance.md: ms/step and peak RSS of one DPO step, prefkit vs the PyTorch
// peer, as the sequence length doubles (preset small, T = 128 .. 1024) and as the vocabulary grows
// (preset small, V = 256, 32000, 128000). Each run is a separate process, so peak RSS is per run.
//
// usage: node scripts/scaling-table.mjs PATH/TO/pytorch_dpo_step.py [--steps N] [--threads T]
import { join } from 'node:path';
import { peerArgs, root, runJson as run } from './peer-common.mjs';

const { peer, opt } = peerArgs('usage: node scripts/scaling-table.mjs PATH/TO/pytorch_dpo_step.py [--steps N] [--threads T]');
const steps = opt('--steps', '3');
const threads = opt('--threads', '2');

function row(seqLen, vocab) {
  const common = ['--seq-len', String(seqLen), '--vocab', String(vocab), '--steps', steps, '--threads', threads];
  const ours = run('node', [join(root, 'bin', 'prefkit.js'), 'bench', 'dpo', '--preset', 'small', '--json', '--warmup', '1', ...common]);
  const torch = run('/usr/bin/python3', [join(root, 'scripts', 'pytorch-peer-scaling.py'), peer, 'small', ...common, '--warmup', '1'],
    { OMP_WAIT_POLICY: 'PASSIVE' });
  return `| ${seqLen} | ${vocab} | ${ours.ms_per_step} | ${torch.ms_per_step} | ${(torch.ms_per_step / ours.ms_per_step).toFixed(2)}x | ` +
    `${ours.peak_rss_mb} | ${torch.peak_rss_mb} | ${(ours.peak_rss_mb / torch.peak_rss_mb).toFixed(2)} |`;
}

const header = '| T | V | prefkit ms/step | PyTorch ms/step | speed-up | prefkit peak RSS MB | PyTorch peak RSS MB | RSS ratio |\n' +
  '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |';
console.log('Sequence length (preset small, V = 32000):\n');
console.log(header);
for (const T of [128, 256, 512, 1024]) console.log(row(T, 32000));
console.log('\nVocabulary (preset small, T = 256):\n');
console.log(header);
for (const V of [256, 32000, 128000]) console.log(row(256, V));
