// Every sub-command, in the order `prefkit --help` lists them. Command modules import their
// implementation inside run() (and usage() where it is generated), so `prefkit X` loads only what X
// needs: a smaller JS heap makes every garbage collection of a training run cheaper (the DPO bench
// step took about 10 % longer with every layer loaded).
import type { Command } from '../command.js';
import { benchCommands } from './bench.js';
import { dataCommands } from './data.js';
import { evalCommands } from './eval.js';
import { demoCommand } from './demo.js';
import { modelCommands } from './model.js';
import { lossCommands } from './loss.js';
import { trainCommands } from './train.js';

export const COMMANDS: Command[] = [demoCommand, ...modelCommands, ...dataCommands, ...lossCommands, ...trainCommands, ...evalCommands, ...benchCommands];
