// `prefkit demo`: the controlled preference-optimisation experiment (not built yet).
import type { Command } from '../command.js';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'run the controlled-sentiment DPO experiment (not available yet)',
  usage: 'usage: prefkit demo [--quick | --full] [--out DIR]\n\nNot available yet: see README.md for the plan.',
  async run(): Promise<number> {
    console.log([
      'prefkit demo — planned, not built yet. When it lands it will:',
      '  1. train a small Llama-style model with a byte-level tokenizer on a bundled English corpus (SFT);',
      '  2. sample completions for held-out sentence openings and score them with a sentiment lexicon;',
      '  3. build preference pairs and run DPO (several beta), IPO, cDPO and rDPO, clean and with 30% flipped labels;',
      '  4. report lexicon reward vs sampled KL, ranking accuracy and win rate, in the terminal and report.html.',
      'Today prefkit provides the engine (tensors, autograd, native kernels): try `prefkit bench gemm`.',
    ].join('\n'));
    return 3;
  },
};
